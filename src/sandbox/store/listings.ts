/**
 * The sandbox's listings (_listing_*.md) and their calendars (_calendar_*.md): the list's filters and
 * sort orders, and the days a calendar answers, built from the listing's prices, the host's overrides
 * and the stays holding each night. A calendar write changes the overrides the next read builds from.
 */

import { addDays, dateInZone, dayNumber, fromDayNumber } from '../../hostaway/dates.js';
import type { ListingFilter } from '../../hostaway/queries.js';
import {
  type CalendarDay,
  CalendarDayReservation,
  type CalendarUpdateBody,
  type Listing,
} from '../../hostaway/schemas.js';
import { type CalendarOverride, nightlyPrice, type ReservationCore } from '../data/generate.js';
import { badRequest, notFound } from '../http-error.js';
import type { StoreState } from './state.js';

const MAX_CALENDAR_DAYS = 3 * 366;
/** The seeded account's hidden (`isPublic=0`) listing custom field. */
const HIDDEN_CUSTOM_FIELD_ID = 102;
const CALENDAR_RESERVATION_KEYS = Object.keys(CalendarDayReservation.shape).filter(
  (k) => k !== 'externalRuid',
);

export class SandboxListings {
  constructor(private readonly state: StoreState) {}

  // -------------------------------------------------------------------------------------------------
  // Listings

  listing(id: number): Listing {
    const l = this.state.listingById.get(id);
    if (!l) throw notFound(`Listing ${id} not found`);
    return l;
  }

  /** A listing with its booking-engine addresses (`attachObjects[]=bookingEngineUrls`). */
  listingWithUrls(listing: Listing): Listing {
    const urls = this.state.bookingEngineListings.has(listing.id)
      ? [`https://booking.example.com/listings/${listing.id}`]
      : [];
    return { ...listing, bookingEngineUrls: urls };
  }

  /**
   * The listings list with `includeResources=1` also shows values of hidden custom fields (`isPublic=0`,
   * changelog 2025-04-25): the seeded account has one, the owner's reference.
   */
  withHiddenCustomFields(listing: Listing): Listing {
    return {
      ...listing,
      customFieldValues: [
        ...(listing.customFieldValues ?? []),
        { customFieldId: HIDDEN_CUSTOM_FIELD_ID, value: `OWN-${listing.id}` },
      ],
    };
  }

  /** Today's date where the listing is. */
  today(listing: Listing): string {
    return dateInZone(this.state.now(), listing.timeZoneName ?? 'UTC');
  }

  searchListings(f: ListingFilter): Listing[] {
    const match = f.match?.toLowerCase();
    const items = this.state.listings.filter((l) => {
      if (f.city && l.city?.toLowerCase() !== f.city.toLowerCase()) return false;
      if (
        f.country &&
        l.country?.toLowerCase() !== f.country.toLowerCase() &&
        l.countryCode !== f.country.toUpperCase()
      )
        return false;
      if (
        match &&
        !l.name.toLowerCase().includes(match) &&
        !l.internalListingName?.toLowerCase().includes(match)
      )
        return false;
      if (
        f.contactName &&
        !`${l.contactName} ${l.contactSurName}`.toLowerCase().includes(f.contactName.toLowerCase())
      )
        return false;
      if (f.propertyTypeId !== undefined && l.propertyTypeId !== f.propertyTypeId) return false;
      if (f.availabilityGuestNumber !== undefined && (l.personCapacity ?? 0) < f.availabilityGuestNumber)
        return false;
      if (
        f.isBookingEngineActive !== undefined &&
        this.state.bookingEngineListings.has(l.id) !== f.isBookingEngineActive
      )
        return false;
      const activity = l.latestActivityOn?.slice(0, 10);
      if (f.latestActivityStart && (!activity || activity < f.latestActivityStart)) return false;
      if (f.latestActivityEnd && (!activity || activity > f.latestActivityEnd)) return false;
      if (f.availabilityDateStart || f.availabilityDateEnd) {
        const start = f.availabilityDateStart ?? this.today(l);
        const end = f.availabilityDateEnd ?? addDays(start, 1);
        if (!this.isFree(l, start, end)) return false;
      }
      return true;
    });
    const by = (key: (l: Listing) => string | number, desc = false) =>
      items.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * (desc ? -1 : 1);
      });
    switch (f.sortOrder) {
      case 'name':
        return by((l) => l.name.toLowerCase());
      case 'nameReversed':
        return by((l) => l.name.toLowerCase(), true);
      case 'orderReversed':
        return by((l) => l.id, true);
      case 'contactName':
        return by((l) => `${l.contactName ?? ''} ${l.contactSurName ?? ''}`.toLowerCase());
      case 'contactNameReversed':
        return by((l) => `${l.contactName ?? ''} ${l.contactSurName ?? ''}`.toLowerCase(), true);
      case 'latestActivity':
        return by((l) => l.latestActivityOn ?? '');
      case 'latestActivityDesc':
        return by((l) => l.latestActivityOn ?? '', true);
      default:
        return by((l) => l.id);
    }
  }

  /**
   * Whether every night from `start` (check-in) up to `end` (check-out, not a night) is open: no stay
   * holds it and the host has not closed it. An `end` equal to `start` asks about that one night.
   */
  isFree(listing: Listing, start: string, end: string): boolean {
    const held = this.state.nightsHeld.get(listing.id);
    const overrides = this.state.overrides.get(listing.id);
    const last = Math.max(dayNumber(start), dayNumber(end) - 1);
    for (let d = dayNumber(start); d <= last; d++) {
      if (held?.has(d)) return false;
      if (overrides?.get(fromDayNumber(d))?.isAvailable === 0) return false;
    }
    return true;
  }

  // -------------------------------------------------------------------------------------------------
  // Calendar

  calendar(
    listingId: number,
    startDate: string | undefined,
    endDate: string | undefined,
    withReservations: boolean,
  ) {
    const listing = this.listing(listingId);
    const start = startDate ?? this.today(listing);
    const end = endDate ?? addDays(start, 364);
    const span = dayNumber(end) - dayNumber(start);
    if (span < 0) throw badRequest(`startDate (${start}) must not be after endDate (${end})`);
    if (span >= MAX_CALENDAR_DAYS)
      throw badRequest(
        `the date range must be shorter than ${MAX_CALENDAR_DAYS} days; ask for a shorter range`,
      );
    const days: CalendarDay[] = [];
    for (let d = dayNumber(start); d <= dayNumber(end); d++)
      days.push(this.day(listing, d, withReservations));
    return days;
  }

  private day(listing: Listing, day: number, withReservations: boolean): CalendarDay {
    const date = fromDayNumber(day);
    const o = this.state.overrides.get(listing.id)?.get(date);
    const holder = this.state.nightsHeld.get(listing.id)?.get(day);
    const pending =
      holder && holder.status !== 'new' && holder.status !== 'modified' && holder.status !== 'ownerStay';
    const closed = o?.isAvailable === 0;
    return {
      id: listing.id * 100_000 + (day % 100_000),
      date,
      isAvailable: holder || closed ? 0 : 1,
      isProcessed: 1,
      status: holder ? (pending ? 'pending' : 'reserved') : closed ? 'blocked' : 'available',
      price: o?.price ?? nightlyPrice(listing, date),
      minimumStay: o?.minimumStay ?? listing.minNights ?? 1,
      maximumStay: o?.maximumStay ?? listing.maxNights ?? 365,
      closedOnArrival: o?.closedOnArrival ?? null,
      closedOnDeparture: o?.closedOnDeparture ?? null,
      note: o?.note ?? null,
      countAvailableUnits: null,
      availableUnitsToSell: null,
      countPendingUnits: null,
      countBlockingReservations: null,
      countBlockedUnits: null,
      desiredUnitsToSell: null,
      reservations: withReservations && holder ? [this.calendarReservation(holder)] : [],
    };
  }

  /** The reservation a calendar day carries: the calendar page's subset of the reservation object. */
  private calendarReservation(core: ReservationCore): CalendarDayReservation {
    const wire = this.state.wire(core) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of CALENDAR_RESERVATION_KEYS) out[key] = wire[key] ?? null;
    return { ...(out as CalendarDayReservation), externalRuid: null };
  }

  /**
   * Applies one calendar update to every date from startDate to endDate, both included. A day held by a
   * reservation stays reserved whatever `isAvailable` says: a block cannot unseat a guest.
   */
  updateCalendar(listingId: number, update: CalendarUpdateBody): CalendarDay[] {
    const listing = this.listing(listingId);
    checkCalendarUpdate(update);
    let overrides = this.state.overrides.get(listing.id);
    if (!overrides) {
      overrides = new Map();
      this.state.overrides.set(listing.id, overrides);
    }
    const changed: CalendarDay[] = [];
    for (let d = dayNumber(update.startDate); d <= dayNumber(update.endDate); d++) {
      const date = fromDayNumber(d);
      const next: CalendarOverride = { ...overrides.get(date) };
      if (update.isAvailable !== undefined) next.isAvailable = update.isAvailable ? 1 : 0;
      if (update.price != null) next.price = update.price;
      if (update.minimumStay != null) next.minimumStay = update.minimumStay;
      if (update.maximumStay != null) next.maximumStay = update.maximumStay;
      if (update.closedOnArrival !== undefined) next.closedOnArrival = toFlag(update.closedOnArrival);
      if (update.closedOnDeparture !== undefined) next.closedOnDeparture = toFlag(update.closedOnDeparture);
      if (update.note !== undefined) next.note = update.note;
      overrides.set(date, next);
      changed.push(this.day(listing, d, false));
    }
    this.state.touchListing(listing);
    return changed;
  }

  /** A batch of updates: every interval is checked before any is applied, so a bad batch changes nothing. */
  updateCalendarIntervals(listingId: number, updates: readonly CalendarUpdateBody[]): void {
    this.listing(listingId);
    for (const [i, update] of updates.entries()) checkCalendarUpdate(update, i);
    for (const update of updates) this.updateCalendar(listingId, update);
  }
}

/** Checks one update's range; `index` names the interval of a batch in the message. */
function checkCalendarUpdate(update: CalendarUpdateBody, index?: number): void {
  const at = index === undefined ? '' : `[${index}].`;
  const span = dayNumber(update.endDate) - dayNumber(update.startDate);
  if (span < 0)
    throw badRequest(`${at}startDate (${update.startDate}) must not be after endDate (${update.endDate})`);
  if (span >= MAX_CALENDAR_DAYS)
    throw badRequest(`${at}startDate to endDate: one update may cover at most ${MAX_CALENDAR_DAYS} days`);
}

function toFlag(v: boolean | 0 | 1 | null | undefined): 0 | 1 | null {
  return v == null ? null : v ? 1 : 0;
}
