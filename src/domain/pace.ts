/**
 * Pace: what the coming months hold now, against what the same months held at the same point last
 * year. Rebuilt from today's stays and their booking dates (Hostaway keeps no snapshots): last year's
 * figure counts the confirmed stays booked on or before this moment a year ago; a stay that was booked
 * then but cancelled since, or moved, is not in it (the report keeps no booked value for it).
 */
import { dayNumber } from '../hostaway/dates.js';
import { monthOf, monthsAhead, type Span, shiftYears } from './date-spans.js';
import type { MetricStay } from './portfolio-metrics.js';

export interface PaceMonth {
  /** `YYYY-MM`; the current month counts from today. */
  month: string;
  nights: number;
  revenue: number;
  lastYearNights: number;
  lastYearRevenue: number;
  /** What the same dates a year ago ended with (every stay, whenever booked). */
  lastYearFinalNights: number;
  lastYearFinalRevenue: number;
}

interface Sums {
  nights: number;
  cents: number;
  lyNights: number;
  lyCents: number;
  finalNights: number;
  finalCents: number;
}

/** Nights of a stay inside a span, and the rent (cents) they carry. */
function inside(s: MetricStay, span: Span): { nights: number; cents: number } {
  const arrival = dayNumber(s.arrival);
  const departure = dayNumber(s.departure);
  const first = Math.max(arrival, dayNumber(span.from));
  const last = Math.min(departure - 1, dayNumber(span.to));
  const nights = Math.max(0, last - first + 1);
  return { nights, cents: nights > 0 ? ((s.rentCents ?? 0) * nights) / (departure - arrival) : 0 };
}

/**
 * The months ahead for each listing from its own today, this year and a year earlier. `cutoff` is this
 * moment a year ago, as a Hostaway UTC timestamp (`YYYY-MM-DD HH:MM:SS`).
 */
export function pace(input: {
  listings: ReadonlyArray<{ id: number; today: string }>;
  stays: readonly MetricStay[];
  months: number;
  cutoff: string;
}): PaceMonth[] {
  const byListing = new Map<number, MetricStay[]>();
  for (const s of input.stays) {
    if (s.kind !== 'sold') continue;
    const list = byListing.get(s.listingId) ?? [];
    list.push(s);
    byListing.set(s.listingId, list);
  }
  const rows = new Map<string, Sums>();
  for (const l of input.listings) {
    for (const span of monthsAhead(l.today, input.months)) {
      const key = monthOf(span.from);
      const sums = rows.get(key) ?? {
        nights: 0,
        cents: 0,
        lyNights: 0,
        lyCents: 0,
        finalNights: 0,
        finalCents: 0,
      };
      rows.set(key, sums);
      const ly = { from: shiftYears(span.from, -1), to: shiftYears(span.to, -1) };
      for (const s of byListing.get(l.id) ?? []) {
        const now = inside(s, span);
        sums.nights += now.nights;
        sums.cents += now.cents;
        const then = inside(s, ly);
        sums.finalNights += then.nights;
        sums.finalCents += then.cents;
        if (s.bookedAt !== null && s.bookedAt <= input.cutoff) {
          sums.lyNights += then.nights;
          sums.lyCents += then.cents;
        }
      }
    }
  }
  const money = (cents: number) => Math.round(cents) / 100;
  return [...rows.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([month, s]) => ({
      month,
      nights: s.nights,
      revenue: money(s.cents),
      lastYearNights: s.lyNights,
      lastYearRevenue: money(s.lyCents),
      lastYearFinalNights: s.finalNights,
      lastYearFinalRevenue: money(s.finalCents),
    }));
}
