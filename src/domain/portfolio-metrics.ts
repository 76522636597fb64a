/**
 * A portfolio's performance over a period, from its stays and its listings' blocked days, night by night.
 *
 * Nights (each in its own period, month and listing):
 *   listing nights   days in the period, per listing (each listing's own dates)
 *   blocked nights   nights the host closed on the calendar that no stay holds (null when not read)
 *   owner nights     nights owner stays hold
 *   nights available = listing nights - blocked nights - owner nights
 *   nights sold      nights confirmed guest stays (new, modified) hold
 *   occupancy        = nights sold / nights available
 *   revenue          rent (the finance report's accommodation less cleaning) of the nights sold, each
 *                    stay's rent spread evenly over its nights: only the nights inside the period count
 *   ADR              = revenue / nights sold;  RevPAR = revenue / nights available
 * Stays (each counted once, in the period and month of its arrival):
 *   bookings         confirmed guest stays arriving
 *   average stay     their nights (all of them) / bookings
 *   lead time        average days from the booking date (UTC) to the arrival date
 *   cancellation rate = cancelled / (bookings + cancelled), of the stays arriving
 * Owner stays earn nothing and are not bookings; requests not yet confirmed (pending, awaiting payment)
 * neither sell nor remove nights.
 */
import { dayNumber, daysBetween, fromDayNumber } from '../hostaway/dates.js';
import { monthOf, type Span, shiftYears } from './date-spans.js';

export const SOLD_STATUSES: ReadonlySet<string> = new Set(['new', 'modified']);
export type StayKind = 'sold' | 'owner' | 'cancelled' | 'other';

export function stayKind(status: string): StayKind {
  if (SOLD_STATUSES.has(status)) return 'sold';
  if (status === 'ownerStay') return 'owner';
  if (status === 'cancelled') return 'cancelled';
  return 'other';
}

export interface MetricStay {
  id: number;
  listingId: number;
  /** The channel's label, for grouping by channel. */
  channel: string;
  kind: StayKind;
  arrival: string;
  departure: string;
  /** When it was booked: Hostaway's UTC timestamp `YYYY-MM-DD HH:MM:SS`, when known. */
  bookedAt: string | null;
  /** The stay's rent in cents (finance report), for sold stays; null when the report has no row. */
  rentCents: number | null;
}

export interface ListingPeriod {
  id: number;
  /** The period in the listing's own dates. */
  span: Span;
  /** Day numbers the host closed on the calendar; null when the calendar was not read. */
  blocked: ReadonlySet<number> | null;
}

export type GroupBy = 'listing' | 'channel' | 'month' | 'none';

export interface Metrics {
  listingNights: number;
  blockedNights: number | null;
  ownerNights: number;
  nightsAvailable: number;
  nightsSold: number;
  occupancyPercent: number | null;
  revenue: number;
  adr: number | null;
  revpar: number | null;
  bookings: number;
  averageLengthOfStay: number | null;
  averageLeadTimeDays: number | null;
  cancellations: number;
  cancellationRatePercent: number | null;
}

interface Acc {
  listingNights: number;
  blockedNights: number;
  ownerNights: number;
  nightsSold: number;
  revenueCents: number;
  bookings: number;
  bookingNights: number;
  leadDays: number;
  leadCount: number;
  cancellations: number;
}

const emptyAcc = (): Acc => ({
  listingNights: 0,
  blockedNights: 0,
  ownerNights: 0,
  nightsSold: 0,
  revenueCents: 0,
  bookings: 0,
  bookingNights: 0,
  leadDays: 0,
  leadCount: 0,
  cancellations: 0,
});

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const ratio = (a: number, b: number, places: number, scale = 1) =>
  b > 0 ? round((a / b) * scale, places) : null;

function finish(a: Acc, blocksRead: boolean): Metrics {
  const available = a.listingNights - a.blockedNights - a.ownerNights;
  const revenue = Math.round(a.revenueCents) / 100;
  return {
    listingNights: a.listingNights,
    blockedNights: blocksRead ? a.blockedNights : null,
    ownerNights: a.ownerNights,
    nightsAvailable: available,
    nightsSold: a.nightsSold,
    occupancyPercent: ratio(a.nightsSold, available, 1, 100),
    revenue,
    adr: ratio(revenue, a.nightsSold, 2),
    revpar: ratio(revenue, available, 2),
    bookings: a.bookings,
    averageLengthOfStay: ratio(a.bookingNights, a.bookings, 2),
    averageLeadTimeDays: ratio(a.leadDays, a.leadCount, 1),
    cancellations: a.cancellations,
    cancellationRatePercent: ratio(a.cancellations, a.bookings + a.cancellations, 1, 100),
  };
}

export interface PeriodInput {
  listings: readonly ListingPeriod[];
  stays: readonly MetricStay[];
  groupBy: GroupBy;
  /**
   * Years added to a date before its month is taken, so that a year-earlier period's nights fall under
   * this period's months (grouping by month).
   */
  monthShiftYears?: number;
}

/**
 * The metrics of one period, in total and per group. By channel, the nights on offer (listing, blocked,
 * owner and available nights) are the whole portfolio's in every group: a channel's occupancy and RevPAR
 * are its share, and they add up to the total.
 */
export function periodMetrics(input: PeriodInput): { total: Metrics; groups: Map<string, Metrics> } {
  const { groupBy } = input;
  const shift = input.monthShiftYears ?? 0;
  const month = (day: number) => monthOf(shiftYears(fromDayNumber(day), shift));
  const byId = new Map(input.listings.map((l) => [l.id, l]));
  const total = emptyAcc();
  const groups = new Map<string, Acc>();
  const acc = (key: string | null): Acc[] => {
    if (key === null) return [total];
    let g = groups.get(key);
    if (!g) {
      g = emptyAcc();
      groups.set(key, g);
    }
    return [total, g];
  };
  /** Where a night's figures go: the listing's, the channel's (stays only) or the month's group. */
  const keyOf = (listingId: number, channel: string | null, day: number): string | null => {
    if (groupBy === 'listing') return String(listingId);
    if (groupBy === 'month') return month(day);
    if (groupBy === 'channel') return channel;
    return null;
  };

  const held = new Map<number, Set<number>>();
  for (const s of input.stays) {
    const l = byId.get(s.listingId);
    if (!l || s.kind === 'other') continue;
    const first = dayNumber(l.span.from);
    const last = dayNumber(l.span.to);
    const arrival = dayNumber(s.arrival);
    const departure = dayNumber(s.departure);
    const nights = departure - arrival;
    if (s.kind === 'sold' || s.kind === 'owner') {
      const mine = held.get(l.id) ?? new Set<number>();
      held.set(l.id, mine);
      for (let d = Math.max(arrival, first); d <= Math.min(departure - 1, last); d++) {
        mine.add(d);
        if (s.kind === 'owner') {
          for (const a of acc(keyOf(l.id, null, d))) a.ownerNights++;
          continue;
        }
        for (const a of acc(keyOf(l.id, s.channel, d))) {
          a.nightsSold++;
          a.revenueCents += (s.rentCents ?? 0) / nights;
        }
      }
    }
    if (arrival < first || arrival > last) continue;
    for (const a of acc(keyOf(l.id, s.channel, arrival))) {
      if (s.kind === 'cancelled') a.cancellations++;
      if (s.kind !== 'sold') continue;
      a.bookings++;
      a.bookingNights += nights;
      if (s.bookedAt) {
        a.leadDays += Math.max(0, daysBetween(s.bookedAt.slice(0, 10), s.arrival));
        a.leadCount++;
      }
    }
  }

  for (const l of input.listings) {
    const mine = held.get(l.id);
    for (let d = dayNumber(l.span.from); d <= dayNumber(l.span.to); d++) {
      for (const a of acc(keyOf(l.id, null, d))) {
        a.listingNights++;
        if (l.blocked?.has(d) && !mine?.has(d)) a.blockedNights++;
      }
    }
  }

  const blocksRead = input.listings.length > 0 && input.listings.every((l) => l.blocked !== null);
  const out = new Map<string, Metrics>();
  for (const [key, g] of groups) {
    if (groupBy === 'channel') {
      g.listingNights = total.listingNights;
      g.blockedNights = total.blockedNights;
      g.ownerNights = total.ownerNights;
    }
    out.set(key, finish(g, blocksRead));
  }
  return { total: finish(total, blocksRead), groups: out };
}

export interface Change {
  occupancyPoints: number | null;
  nightsSoldPercent: number | null;
  revenuePercent: number | null;
  adrPercent: number | null;
  revparPercent: number | null;
}

const percentChange = (now: number | null, before: number | null) =>
  now === null || before === null || before === 0 ? null : round(((now - before) / before) * 100, 1);

/** How `now` moved from `before`: occupancy in percentage points, the rest in percent. */
export function change(now: Metrics, before: Metrics): Change {
  return {
    occupancyPoints:
      now.occupancyPercent === null || before.occupancyPercent === null
        ? null
        : round(now.occupancyPercent - before.occupancyPercent, 1),
    nightsSoldPercent: percentChange(now.nightsSold, before.nightsSold),
    revenuePercent: percentChange(now.revenue, before.revenue),
    adrPercent: percentChange(now.adr, before.adr),
    revparPercent: percentChange(now.revpar, before.revpar),
  };
}

/** A stay's rent in cents from a finance report row: accommodation less cleaning, as the finance report tool counts it. */
export function rentCents(row: Record<string, unknown>): number {
  const cents = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) : 0);
  return cents(row.accommodationFee) - cents(row.cleaningFeeValue);
}
