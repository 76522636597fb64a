/**
 * The sandbox's reservations (_reservation_*.md): the list's filters, sort orders and keyset pages, and
 * the writes that book, change and cancel a stay. Each write keeps the calendar's held nights true,
 * opens the conversation a new booking has, and reports the change to the store's listeners.
 */

import { dayNumber, formatDateTime, fromDayNumber } from '../../hostaway/dates.js';
import type { ReservationFilter } from '../../hostaway/queries.js';
import {
  BLOCKING_STATUSES,
  type Conversation,
  type ConversationReservation,
  type Listing,
  type Reservation,
  type ReservationCreateBody,
  type ReservationStatus,
  type ReservationUpdateBody,
  WEBHOOK_OBJECTS,
  type WebhookEvent,
} from '../../hostaway/schemas.js';
import { nightlyPrice, type ReservationCore, TAX_RATE } from '../data/generate.js';
import { badRequest, notFound } from '../http-error.js';
import {
  cancelledReservationCore,
  newReservationCore,
  updatedReservationCore,
} from '../reservation-writes.js';
import { singleReservation } from '../views.js';
import type { StoreState } from './state.js';

type SortKey = (r: ReservationCore) => string | number;

export class SandboxReservations {
  constructor(private readonly state: StoreState) {}

  // -------------------------------------------------------------------------------------------------
  // Reservations

  reservation(id: number): Reservation {
    const r = this.state.reservationById.get(id);
    if (!r) throw notFound(`Reservation ${id} not found`);
    return this.state.wire(r);
  }

  /** The reservation a conversation carries: the conversation page's example adds the listing's name. */
  conversationReservation(id: number): ConversationReservation {
    const r = this.reservation(id);
    return {
      ...r,
      listingName: this.state.listingById.get(r.listingMapId)?.name ?? null,
      customerIcalId: null,
      customerIcalName: null,
    };
  }

  searchReservations(f: ReservationFilter): ReservationCore[] {
    const match = f.match?.toLowerCase();
    const email = f.guestEmail?.toLowerCase();
    return this.sorted(f.sortOrder).filter((r) => {
      if (f.listingId !== undefined && r.listingMapId !== f.listingId) return false;
      if (f.channelId !== undefined && r.channelId !== f.channelId) return false;
      if (match && !r.guestName?.toLowerCase().includes(match)) return false;
      if (email && r.guestEmail?.toLowerCase() !== email) return false;
      if (f.arrivalStartDate && r.arrivalDate < f.arrivalStartDate) return false;
      if (f.arrivalEndDate && r.arrivalDate > f.arrivalEndDate) return false;
      if (f.departureStartDate && r.departureDate < f.departureStartDate) return false;
      if (f.departureEndDate && r.departureDate > f.departureEndDate) return false;
      if (f.isStarred !== undefined && Boolean(r.isStarred) !== f.isStarred) return false;
      if (f.isArchived !== undefined && Boolean(r.isArchived) !== f.isArchived) return false;
      if (f.isPinned !== undefined && Boolean(r.isPinned) !== f.isPinned) return false;
      if (f.assigneeUserId !== undefined && r.assigneeUserId !== f.assigneeUserId) return false;
      if (f.customerUserId !== undefined && this.state.wire(r).customerUserId !== f.customerUserId)
        return false;
      if (
        f.reservationAgreement !== undefined &&
        this.state.wire(r).reservationAgreement !== f.reservationAgreement
      )
        return false;
      const activity = r.latestActivityOn?.slice(0, 10) ?? '';
      if (f.latestActivityStart && activity < f.latestActivityStart) return false;
      if (f.latestActivityEnd && activity > f.latestActivityEnd) return false;
      if (f.hasUnreadConversationMessages !== undefined) {
        const unread = Boolean(this.state.conversationByReservation.get(r.id)?.hasUnreadMessages);
        if (unread !== f.hasUnreadConversationMessages) return false;
      }
      return true;
    });
  }

  /**
   * Keyset page after reservation `afterId` in the order of `sortOrder`: the items whose sort key comes
   * strictly after that reservation's, so a page boundary never skips or repeats a record.
   */
  pageAfter(items: ReservationCore[], afterId: number, sortOrder: string | undefined): ReservationCore[] {
    const cursor = this.state.reservationById.get(afterId);
    if (!cursor) throw badRequest(`afterId ${afterId} does not match any reservation`);
    const cmp = this.comparator(sortOrder);
    return items.filter((r) => cmp(r, cursor) > 0);
  }

  private sorted(sortOrder: string | undefined): ReservationCore[] {
    const key = sortOrder ?? '';
    let list = this.state.sortedReservations.get(key);
    if (!list) {
      list = [...this.state.reservationsInIdOrder].sort(this.comparator(sortOrder));
      this.state.sortedReservations.set(key, list);
    }
    return list;
  }

  private comparator(sortOrder: string | undefined): (a: ReservationCore, b: ReservationCore) => number {
    const conv = (r: ReservationCore) => this.state.conversationByReservation.get(r.id);
    const keys: Record<string, [SortKey, boolean]> = {
      arrivalDate: [(r) => r.arrivalDate, false],
      arrivalDateDesc: [(r) => r.arrivalDate, true],
      lastConversationMessageSent: [(r) => conv(r)?.messageSentOn ?? '', false],
      lastConversationMessageSentDesc: [(r) => conv(r)?.messageSentOn ?? '', true],
      lastConversationMessageReceived: [(r) => conv(r)?.messageReceivedOn ?? '', false],
      lastConversationMessageReceivedDesc: [(r) => conv(r)?.messageReceivedOn ?? '', true],
      latestActivity: [(r) => r.latestActivityOn ?? '', false],
      latestActivityDesc: [(r) => r.latestActivityOn ?? '', true],
      updatedOn: [(r) => r.updatedOn ?? '', false],
    };
    // The documented default: updatedOn DESC, id DESC.
    const [key, desc] = keys[sortOrder ?? ''] ?? [(r: ReservationCore) => r.updatedOn ?? '', true];
    return (a, b) => {
      const ka = key(a);
      const kb = key(b);
      const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
      return (primary || a.id - b.id) * (desc ? -1 : 1);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Reservation writes (_reservation_createReservation.md, _reservation_updateReservation.md,
  // _reservation_cancelReservation.md)

  /**
   * Books a stay: status `new`, stamped with the sandbox clock, its nights held on the calendar, a
   * conversation opened for it. Dates another stay holds are refused unless `forceOverbooking`.
   */
  createReservation(
    body: ReservationCreateBody,
    options: { forceOverbooking?: boolean; provider?: string } = {},
  ): Reservation {
    const listing = this.state.listingById.get(body.listingMapId);
    if (!listing) throw badRequest(`listingMapId ${body.listingMapId} does not match any listing`);
    const core = newReservationCore({
      id: this.state.nextReservationId,
      accountId: this.state.accountId,
      listing,
      body,
      provider: options.provider,
      stamp: formatDateTime(this.state.now()),
      accommodation: () => this.accommodation(listing, body.arrivalDate, body.departureDate),
      taxRate: TAX_RATE,
    });
    if (!options.forceOverbooking) this.checkOverlap(core);
    this.state.nextReservationId++;
    this.state.reservationById.set(core.id, core);
    this.state.reservationsInIdOrder = [...this.state.reservationsInIdOrder, core];
    this.state.sortedReservations.clear();
    this.state.holdNights(core);
    this.openConversation(core);
    this.state.touchListing(listing);
    return this.emitReservation('reservation.created', core);
  }

  /** Changes the fields given; dates that another stay holds are refused unless `forceOverbooking`. */
  updateReservation(id: number, body: ReservationUpdateBody, options: { forceOverbooking?: boolean } = {}) {
    const current = this.state.reservationById.get(id);
    if (!current) throw notFound(`Reservation ${id} not found`);
    const next = updatedReservationCore(current, body, formatDateTime(this.state.now()));
    if (!options.forceOverbooking) this.checkOverlap(next);
    this.state.replaceReservation(next);
    return this.emitReservation('reservation.updated', next);
  }

  /** Cancels a stay and frees its nights. Cancelling a cancelled stay changes nothing and reports nothing. */
  cancelReservation(id: number, cancelledBy: 'host' | 'guest'): Reservation {
    const current = this.state.reservationById.get(id);
    if (!current) throw notFound(`Reservation ${id} not found`);
    if (current.status === 'cancelled') return this.singleView(current);
    const next = cancelledReservationCore(current, cancelledBy, formatDateTime(this.state.now()));
    this.state.replaceReservation(next);
    return this.emitReservation('reservation.updated', next);
  }

  /** A stay as `GET /v1/reservations/{id}` answers it (no opt-in parts). */
  private singleView(core: ReservationCore): Reservation {
    return singleReservation(this.state.wire(core), this.state.accountId, {
      includeResources: false,
      includePayments: false,
    });
  }

  private emitReservation(event: WebhookEvent, core: ReservationCore): Reservation {
    const data = this.singleView(core);
    this.state.emit({
      event,
      object: WEBHOOK_OBJECTS.reservation,
      objectId: core.id,
      listingMapId: core.listingMapId,
      data,
    });
    return data;
  }

  /** Refuses a blocking stay on nights another stay holds. */
  private checkOverlap(core: ReservationCore): void {
    if (!BLOCKING_STATUSES.has(core.status as ReservationStatus)) return;
    const held = this.state.nightsHeld.get(core.listingMapId);
    if (!held) return;
    for (let d = dayNumber(core.arrivalDate); d < dayNumber(core.departureDate); d++) {
      const other = held.get(d);
      if (other && other.id !== core.id)
        throw badRequest(
          `listing ${core.listingMapId} is already booked on ${fromDayNumber(d)} by reservation ${other.id} (${other.arrivalDate} to ${other.departureDate}); pick other dates, or send forceOverbooking=1 to book anyway`,
        );
    }
  }

  /** What the nights from arrival to departure cost on the listing's calendar. */
  private accommodation(listing: Listing, arrival: string, departure: string): number {
    const overrides = this.state.overrides.get(listing.id);
    let total = 0;
    for (let d = dayNumber(arrival); d < dayNumber(departure); d++) {
      const date = fromDayNumber(d);
      total += overrides?.get(date)?.price ?? nightlyPrice(listing, date);
    }
    return total;
  }

  /** Every booking has its conversation with the guest, empty until someone writes. */
  private openConversation(core: ReservationCore): void {
    const conv: Conversation = {
      id: this.state.nextConversationId++,
      accountId: this.state.accountId,
      listingMapId: core.listingMapId,
      reservationId: core.id,
      type: 'host-guest-email',
      recipientEmail: core.guestEmail,
      recipientName: core.guestName,
      recipientPicture: null,
      hostEmail: `c-r${core.id}@host.example.com`,
      guestEmail: `c-r${core.id}@guest.example.com`,
      hasUnreadMessages: 0,
      messageSentOn: null,
      messageReceivedOn: null,
    };
    this.state.conversationById.set(conv.id, conv);
    this.state.conversationByReservation.set(core.id, conv);
    this.state.threadSeeds.set(conv.id, []);
  }
}
