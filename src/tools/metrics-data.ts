/**
 * What the portfolio metrics read from Hostaway, in as few requests as the documented filters allow:
 * stays from the reservations list by date (no request per listing), their rent from the consolidated
 * finance report (so that revenue is the finance report's own figure), and blocked days from each
 * listing's calendar (one request per listing, only when asked for).
 */

import { dayView } from '../domain/calendar.js';
import { channelLabel } from '../domain/channels.js';
import { coverDates, type Span } from '../domain/date-spans.js';
import { type MetricStay, rentCents, stayKind } from '../domain/portfolio-metrics.js';
import { addDays, dayNumber } from '../hostaway/dates.js';
import type { Reservation } from '../hostaway/schemas.js';
import type { ToolContext } from './define.js';
import { FAN_OUT, mapLimited } from './fan-out.js';

/** Stays read per reservations span at most; beyond it the answer says it is incomplete. */
const MAX_STAYS_PER_SPAN = 10_000;
/** Finance report requests cover at most this many days of arrivals each (as the finance tool asks). */
const MAX_REPORT_DAYS = 366;

/** Up to this many listings, stays are read listing by listing (Hostaway's listingId filter). */
const PER_LISTING_WALKS = 3;

/**
 * Every reservation with a night in one of `spans`: departure on or after its first day and arrival on
 * or before its last. The docs do not say whether these filters include their ends, so the arrival
 * bound is one day later; either way nothing is missed, and the extra stays are dropped when counted.
 * For a few listings, one walk per listing and span (the listingId filter); otherwise one walk per
 * span for the whole account, whose other listings are dropped after.
 */
export async function loadReservations(
  ctx: ToolContext,
  spans: readonly Span[],
  listingIds: readonly number[] | undefined,
): Promise<{ reservations: Reservation[]; truncated: boolean }> {
  const filters: Array<number | undefined> =
    listingIds && listingIds.length <= PER_LISTING_WALKS ? [...listingIds] : [undefined];
  const walks = spans.flatMap((span) => filters.map((listingId) => ({ span, listingId })));
  const pages = await mapLimited(walks, FAN_OUT, ({ span, listingId }) =>
    ctx.client.reservations.all(
      { departureStartDate: span.from, arrivalEndDate: addDays(span.to, 1), listingId },
      { signal: ctx.signal, maxItems: MAX_STAYS_PER_SPAN, pageSize: 100 },
    ),
  );
  const byId = new Map<number, Reservation>();
  for (const p of pages) for (const r of p.items) byId.set(r.id, r);
  return { reservations: [...byId.values()], truncated: pages.some((p) => p.truncated) };
}

/**
 * The rent of each confirmed stay, by reservation id, from the consolidated finance report by arrival
 * date (statuses new and modified): one request per stretch of arrival dates (joined where less than a
 * month apart, at most a year long). Also the columns the report lacked, if any, and its currency.
 */
export async function loadRent(
  ctx: ToolContext,
  sold: readonly Reservation[],
  listingIds: readonly number[] | undefined,
): Promise<{ rent: Map<number, number>; missing: string[]; currency: string | null }> {
  const stretches = coverDates(
    sold.map((r) => r.arrivalDate),
    31,
    MAX_REPORT_DAYS,
  );
  const reports = await Promise.all(
    stretches.map((s) =>
      ctx.client.finance.report(
        'consolidated',
        {
          fromDate: s.from,
          toDate: s.to,
          dateType: 'arrivalDate',
          statuses: ['new', 'modified'],
          listingMapIds: listingIds ? [...listingIds] : undefined,
        },
        ctx.signal,
      ),
    ),
  );
  const rent = new Map<number, number>();
  const missing = new Set<string>();
  let currency: string | null = null;
  for (const report of reports) {
    currency ??= report.currency ?? null;
    const names = report.columns.map((c) => c.name);
    for (const n of ['id', 'accommodationFee', 'cleaningFeeValue']) if (!names.includes(n)) missing.add(n);
    for (const cells of report.rows) {
      const row = Object.fromEntries(names.map((n, i) => [n, cells[i]]));
      const id = Number(row.id);
      if (Number.isInteger(id)) rent.set(id, rentCents(row));
    }
  }
  return { rent, missing: [...missing], currency };
}

/** The stays as the metrics count them, with their rent where the report has it. */
export function metricStays(
  reservations: readonly Reservation[],
  rent: ReadonlyMap<number, number>,
): MetricStay[] {
  return reservations.map((r) => {
    const kind = stayKind(r.status);
    return {
      id: r.id,
      listingId: r.listingMapId,
      channel: channelLabel(r.channelId, r.channelName),
      kind,
      arrival: r.arrivalDate,
      departure: r.departureDate,
      bookedAt: r.reservationDate ?? null,
      rentCents: kind === 'sold' ? (rent.get(r.id) ?? null) : null,
    };
  });
}

/** The days the host closed on a listing's calendar over `span`, as day numbers: one request. */
export async function loadBlocked(ctx: ToolContext, listingId: number, span: Span): Promise<Set<number>> {
  const days = await ctx.client.calendar.get(
    listingId,
    { startDate: span.from, endDate: span.to },
    ctx.signal,
  );
  const blocked = new Set<number>();
  for (const d of days) if (dayView(d).reason === 'blocked') blocked.add(dayNumber(d.date));
  return blocked;
}
