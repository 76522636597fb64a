/**
 * The stays of a day or a few days, listing by listing, each read in its listing's own dates: who
 * arrives, who leaves, where one guest leaves and the next arrives the same day (a turnover), who stays
 * through, which listings have nobody for the night, the owners' own stays, and the empty nights the
 * host closed. Only stays whose status holds the calendar count as stays (Hostaway's statuses page):
 * cancelled, declined or expired bookings and inquiries hold nothing.
 */
import { addDays, daysBetween, zonedTimeToUtc } from '../hostaway/dates.js';
import { BLOCKING_STATUSES, type Reservation, type ReservationStatus } from '../hostaway/schemas.js';

/** The reservation fields the brief reads. */
export type StayRecord = Pick<
  Reservation,
  | 'id'
  | 'listingMapId'
  | 'status'
  | 'arrivalDate'
  | 'departureDate'
  | 'channelId'
  | 'channelName'
  | 'guestName'
  | 'guestEmail'
  | 'numberOfGuests'
  | 'checkInTime'
  | 'checkOutTime'
  | 'isPaid'
  | 'totalPrice'
  | 'remainingBalance'
  | 'currency'
>;

export interface BriefListing {
  id: number;
  name: string;
  /** IANA zone; its dates are the listing's dates. */
  timeZone: string;
  /** Local hours the listing gives for check-in and check-out, when it does. */
  checkInHour: number | null;
  checkOutHour: number | null;
  /** Archived listings are never reported vacant. */
  archived: boolean;
}

/** Dates from `from` to `to`, both included, in one listing's zone. */
export interface DayRange {
  from: string;
  to: string;
}

/** Where each listing is and which dates the brief covers there. */
export interface StayScope {
  listing: (id: number) => BriefListing | undefined;
  /** The range in the listing's zone (in the zone most listings use for an unknown listing). */
  rangeOf: (listingId: number) => DayRange;
}

/** Whether a status holds the listing's nights: a booking on, an owner stay, a request that blocks it. */
export function holdsNights(status: string): boolean {
  return BLOCKING_STATUSES.has(status as ReservationStatus);
}

/** Every date of a range, in order. */
export function daysOf(range: DayRange): string[] {
  const n = daysBetween(range.from, range.to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(range.from, i));
}

const within = (date: string, r: DayRange) => date >= r.from && date <= r.to;
const byDateThenId = (date: (s: StayRecord) => string) => (a: StayRecord, b: StayRecord) =>
  date(a).localeCompare(date(b)) || a.listingMapId - b.listingMapId || a.id - b.id;

/** Stays arriving within their listing's range, by date. */
export function arrivalsIn(stays: readonly StayRecord[], scope: StayScope): StayRecord[] {
  return stays
    .filter((s) => holdsNights(s.status) && within(s.arrivalDate, scope.rangeOf(s.listingMapId)))
    .sort(byDateThenId((s) => s.arrivalDate));
}

/** Stays leaving within their listing's range, by date. */
export function departuresIn(stays: readonly StayRecord[], scope: StayScope): StayRecord[] {
  return stays
    .filter((s) => holdsNights(s.status) && within(s.departureDate, scope.rangeOf(s.listingMapId)))
    .sort(byDateThenId((s) => s.departureDate));
}

/** Stays in house before the range starts and still there after it ends: neither arriving nor leaving in it. */
export function stayingThrough(stays: readonly StayRecord[], scope: StayScope): StayRecord[] {
  return stays
    .filter((s) => {
      const r = scope.rangeOf(s.listingMapId);
      return holdsNights(s.status) && s.arrivalDate < r.from && s.departureDate > r.to;
    })
    .sort(byDateThenId((s) => s.departureDate));
}

/** Owner stays that hold a night of the range or end within it. */
export function ownerStaysIn(stays: readonly StayRecord[], scope: StayScope): StayRecord[] {
  return stays
    .filter((s) => {
      const r = scope.rangeOf(s.listingMapId);
      return s.status === 'ownerStay' && s.arrivalDate <= r.to && s.departureDate >= r.from;
    })
    .sort(byDateThenId((s) => s.arrivalDate));
}

export interface Turnover {
  listingId: number;
  date: string;
  /** The stay leaving and the one arriving. */
  outId: number;
  inId: number;
  /** Local hours: the leaving stay's check-out, the arriving stay's check-in (the listing's when the stay says none). */
  checkOutHour: number | null;
  checkInHour: number | null;
  /** Hours from that check-out to that check-in, in the listing's zone; null when an hour is unknown. */
  hoursBetween: number | null;
}

/**
 * Same-day turnovers: at one listing, a stay leaves on the date another arrives, within the range.
 * A one-night stay between two others makes two turnovers at one listing on consecutive days.
 */
export function turnovers(stays: readonly StayRecord[], scope: StayScope): Turnover[] {
  const arriving = new Map<string, StayRecord[]>();
  for (const s of arrivalsIn(stays, scope)) {
    const key = `${s.listingMapId}|${s.arrivalDate}`;
    arriving.set(key, [...(arriving.get(key) ?? []), s]);
  }
  const out: Turnover[] = [];
  for (const leaving of departuresIn(stays, scope)) {
    for (const coming of arriving.get(`${leaving.listingMapId}|${leaving.departureDate}`) ?? []) {
      if (coming.id === leaving.id) continue;
      const listing = scope.listing(leaving.listingMapId);
      const checkOutHour = leaving.checkOutTime ?? listing?.checkOutHour ?? null;
      const checkInHour = coming.checkInTime ?? listing?.checkInHour ?? null;
      const zone = listing?.timeZone ?? 'UTC';
      const date = leaving.departureDate;
      out.push({
        listingId: leaving.listingMapId,
        date,
        outId: leaving.id,
        inId: coming.id,
        checkOutHour,
        checkInHour,
        hoursBetween:
          checkOutHour === null || checkInHour === null
            ? null
            : (zonedTimeToUtc(date, checkInHour, zone) - zonedTimeToUtc(date, checkOutHour, zone)) /
              3_600_000,
      });
    }
  }
  return out;
}

/**
 * Nights of the range no stay holds, per listing (archived listings left out): nobody sleeps there.
 * Only listings with at least one such night appear.
 */
export function vacantNights(
  listings: readonly BriefListing[],
  stays: readonly StayRecord[],
  scope: StayScope,
): Map<number, string[]> {
  const held = new Set<string>();
  for (const s of stays) {
    if (!holdsNights(s.status)) continue;
    const r = scope.rangeOf(s.listingMapId);
    for (const d of daysOf(r))
      if (s.arrivalDate <= d && d < s.departureDate) held.add(`${s.listingMapId}|${d}`);
  }
  const out = new Map<number, string[]>();
  for (const l of listings) {
    if (l.archived) continue;
    const free = daysOf(scope.rangeOf(l.id)).filter((d) => !held.has(`${l.id}|${d}`));
    if (free.length) out.set(l.id, free);
  }
  return out;
}

export interface ClosedRun {
  listingId: number;
  /** First and last closed night, both included. */
  from: string;
  to: string;
  nights: number;
}

/**
 * The vacant nights Hostaway would not sell: a listing absent from the night's availability search
 * though no stay holds it is closed by the host (a block). Nights not searched (`openByNight` lacks
 * them) are not judged. Consecutive nights make one run.
 */
export function closedRuns(
  vacant: ReadonlyMap<number, readonly string[]>,
  openByNight: ReadonlyMap<string, ReadonlySet<number>>,
): ClosedRun[] {
  const runs: ClosedRun[] = [];
  for (const [listingId, nights] of vacant) {
    let run: ClosedRun | undefined;
    for (const night of nights) {
      const open = openByNight.get(night);
      if (!open || open.has(listingId)) {
        run = undefined;
        continue;
      }
      if (run && addDays(run.to, 1) === night) {
        run.to = night;
        run.nights++;
      } else {
        run = { listingId, from: night, to: night, nights: 1 };
        runs.push(run);
      }
    }
  }
  return runs.sort((a, b) => a.from.localeCompare(b.from) || a.listingId - b.listingId);
}
