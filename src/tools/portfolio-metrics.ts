/**
 * The portfolio's performance over a period, by listing, channel or month, against the period before
 * and the same dates a year earlier, with the pace of the coming months. Metrics are defined in
 * `src/domain/portfolio-metrics.ts` and in the output schema.
 */
import * as z from 'zod';
import {
  joinSpans,
  monthsAhead,
  previousSpan,
  type Span,
  shiftYears,
  yearEarlier,
} from '../domain/date-spans.js';
import { checkRange } from '../domain/dates.js';
import { pace } from '../domain/pace.js';
import { change, type GroupBy, type Metrics, periodMetrics, stayKind } from '../domain/portfolio-metrics.js';
import { table } from '../domain/render.js';
import { dateInZone, formatDateTime } from '../hostaway/dates.js';
import { DateArg, defineTool, READ_ONLY, ToolInputError } from './define.js';
import { FAN_OUT, mapLimited } from './fan-out.js';
import { dateIn, listingIndex, mainZone } from './listing-index.js';
import { loadBlocked, loadRent, loadReservations, metricStays } from './metrics-data.js';
import { PortfolioMetricsOut } from './metrics-schema.js';

/** About 13 months. */
const MAX_PERIOD_DAYS = 400;
/** Calendars read per call at most (one request each); more listings get the approximation. */
export const MAX_CALENDARS = 50;
const MAX_GROUPS = 60;
/** Reservation spans less than a month apart are read as one. */
const JOIN_GAP_DAYS = 31;

interface ZonePeriods {
  zones: string[];
  today: string;
  current: Span;
  previous: Span | null;
  yearAgo: Span | null;
  pace: Span[];
}

export const portfolioMetrics = defineTool({
  name: 'hostaway_portfolio_metrics',
  title: 'Portfolio metrics',
  description:
    "How the portfolio performed over a period (from/to, relative dates read in each listing's zone, at most 400 days): nights available and sold, occupancy, ADR, RevPAR, revenue (the finance report's rent), bookings, average stay, lead time and cancellation rate, in total and by listing, channel or month, against the period just before and the same dates a year earlier; and the pace of the coming months (on the books now vs the same point last year, from booking dates). A stay crossing the period's ends counts only its nights inside, its rent prorated per night. Reads stays from the reservations list by date and rent from the finance report; blocked nights need one calendar request per listing (at most 50; nightsAvailable='approximate' skips them).",
  toolset: 'finance',
  view: 'numbers',
  input: z
    .object({
      from: DateArg.describe('first night: YYYY-MM-DD, or -30, yesterday...'),
      to: DateArg.describe('last night (included): YYYY-MM-DD, or today...'),
      groupBy: z.enum(['listing', 'channel', 'month', 'none']).default('listing'),
      listingIds: z.array(z.number().int().min(1)).min(1).max(200).optional(),
      compare: z
        .boolean()
        .default(true)
        .describe('also the period just before and the same dates a year earlier'),
      paceMonths: z
        .number()
        .int()
        .min(0)
        .max(12)
        .default(3)
        .describe('coming months for pace, the current one first (0: none)'),
      nightsAvailable: z
        .enum(['calendar', 'approximate'])
        .default('calendar')
        .describe(
          'calendar reads blocked days (one request per listing, at most 50 listings); approximate counts every day but owner stays as available',
        ),
    })
    .strict(),
  output: PortfolioMetricsOut,
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const index = await listingIndex(ctx.client, ctx.signal);
    const unknown = (args.listingIds ?? []).filter((id) => !index.has(id));
    if (unknown.length)
      throw new ToolInputError(
        `No listing ${unknown.join(', ')} in this account; hostaway_search_listings lists them.`,
      );
    const scope = [...new Set(args.listingIds ?? index.keys())].sort((a, b) => a - b);
    const zoneOf = (id: number) => index.get(id)?.timeZone ?? 'UTC';
    const now = ctx.now();
    const main = mainZone(index);
    const zones = [...new Set([main, ...scope.map(zoneOf)])];

    // Each zone's reading of the dates; zones reading them alike share one entry.
    const byZone = new Map<string, ZonePeriods>();
    const periods = new Map<string, ZonePeriods>();
    for (const zone of zones) {
      const current = { from: dateIn('from', args.from, zone, now), to: dateIn('to', args.to, zone, now) };
      checkRange('from', current.from, 'to', current.to, MAX_PERIOD_DAYS - 1);
      const today = dateInZone(now, zone);
      const key = `${current.from}|${current.to}|${today}`;
      let p = periods.get(key);
      if (!p) {
        p = {
          zones: [],
          today,
          current,
          previous: args.compare ? previousSpan(current) : null,
          yearAgo: args.compare ? yearEarlier(current) : null,
          pace: monthsAhead(today, args.paceMonths),
        };
        periods.set(key, p);
      }
      if (zone !== main || scope.some((id) => zoneOf(id) === zone)) p.zones.push(zone);
      byZone.set(zone, p);
    }
    const used = [...periods.values()].filter((p) => p.zones.length > 0);
    const spans = joinSpans(
      used.flatMap((p) => [
        { from: p.previous?.from ?? p.current.from, to: p.current.to },
        ...(p.yearAgo ? [p.yearAgo] : []),
        ...p.pace.flatMap((s) => [s, { from: shiftYears(s.from, -1), to: shiftYears(s.to, -1) }]),
      ]),
      JOIN_GAP_DAYS,
    );

    const inScope = new Set(scope);
    const loaded = await loadReservations(ctx, spans, args.listingIds ? scope : undefined);
    const reservations = loaded.reservations.filter((r) => inScope.has(r.listingMapId));
    const sold = reservations.filter((r) => stayKind(r.status) === 'sold');
    const { rent, missing, currency } = await loadRent(ctx, sold, args.listingIds ? scope : undefined);
    const stays = metricStays(reservations, rent);

    const readCalendars = args.nightsAvailable === 'calendar' && scope.length <= MAX_CALENDARS;
    const blocked = new Map<number, Set<number>>();
    if (readCalendars)
      await mapLimited(scope, FAN_OUT, async (id) => {
        const p = byZone.get(zoneOf(id)) as ZonePeriods;
        const all = [p.current, p.previous, p.yearAgo].filter((s): s is Span => s !== null);
        const span = {
          from: all.map((s) => s.from).sort()[0] as string,
          to: all.map((s) => s.to).sort()[all.length - 1] as string,
        };
        blocked.set(id, await loadBlocked(ctx, id, span));
      });

    const groupBy = args.groupBy as GroupBy;
    const run = (which: 'current' | 'previous' | 'yearAgo') =>
      periodMetrics({
        listings: scope.map((id) => ({
          id,
          span: (byZone.get(zoneOf(id)) as ZonePeriods)[which] as Span,
          blocked: readCalendars ? (blocked.get(id) ?? new Set()) : null,
        })),
        stays,
        groupBy: which === 'previous' && groupBy === 'month' ? 'none' : groupBy,
        monthShiftYears: which === 'yearAgo' ? 1 : 0,
      });
    const current = run('current');
    const previous = args.compare ? run('previous') : null;
    const yearAgo = args.compare ? run('yearAgo') : null;

    const label = (key: string) => (groupBy === 'listing' ? (index.get(Number(key))?.name ?? key) : key);
    const groups = [...current.groups.entries()]
      .map(([key, m]) => ({
        key: label(key),
        listingId: groupBy === 'listing' ? Number(key) : null,
        current: m,
        previous: previous?.groups.get(key) ?? null,
        yearAgo: yearAgo?.groups.get(key) ?? null,
      }))
      .sort((a, b) =>
        groupBy === 'month'
          ? a.key.localeCompare(b.key)
          : b.current.revenue - a.current.revenue || a.key.localeCompare(b.key),
      );

    const stamp = formatDateTime(now);
    const cutoff = `${shiftYears(stamp.slice(0, 10), -1)}${stamp.slice(10)}`;
    const unpriced = stays.filter((s) => s.kind === 'sold' && s.rentCents === null).length;
    const cut = groups.length > MAX_GROUPS;
    const notes = [
      readCalendars
        ? `blocked nights read from ${scope.length} listing calendar(s), one request each`
        : args.nightsAvailable === 'calendar'
          ? `${scope.length} listings: more than ${MAX_CALENDARS} calendars, so blocked nights were not read (pass at most ${MAX_CALENDARS} listingIds to read them); nights available count every day but owner stays`
          : 'blocked nights not read (approximate): nights available count every day but owner stays',
      loaded.truncated ? 'more stays than could be read; figures are short' : null,
      unpriced ? `${unpriced} confirmed stay(s) missing from the finance report count no revenue` : null,
      missing.length ? `the finance report had no ${missing.join(', ')} column; revenue shows 0` : null,
      cut ? `${groups.length} groups; the first ${MAX_GROUPS} are listed, all are in the total` : null,
      ...(
        [
          ['the period before', previous],
          ['the year-earlier period', yearAgo],
        ] as const
      ).map(([name, p]) =>
        p && p.total.nightsSold + p.total.bookings + p.total.cancellations + p.total.ownerNights === 0
          ? `no stays at all in ${name}: Hostaway may hold no history that far back`
          : null,
      ),
    ].filter((n): n is string => n !== null);

    return {
      periods: used.map((p) => ({
        timeZones: p.zones.sort(),
        today: p.today,
        current: p.current,
        previous: p.previous,
        yearAgo: p.yearAgo,
      })),
      listings: scope.length,
      currency,
      groupBy,
      total: {
        current: current.total,
        previous: previous?.total ?? null,
        yearAgo: yearAgo?.total ?? null,
        vsPrevious: previous ? change(current.total, previous.total) : null,
        vsYearAgo: yearAgo ? change(current.total, yearAgo.total) : null,
      },
      groups: groups.slice(0, MAX_GROUPS),
      pace:
        args.paceMonths > 0
          ? {
              cutoff,
              months: pace({
                listings: scope.map((id) => ({ id, today: (byZone.get(zoneOf(id)) as ZonePeriods).today })),
                stays,
                months: args.paceMonths,
                cutoff,
              }),
            }
          : null,
      nightsAvailableFrom: readCalendars ? ('calendar' as const) : ('approximate' as const),
      calendarsRead: readCalendars ? scope.length : 0,
      complete: !loaded.truncated && unpriced === 0 && missing.length === 0 && !cut,
      notes,
    };
  },
  render: (o) => renderMetrics(o),
});

const pct = (v: number | null) => (v === null ? '-' : `${v}%`);
const num = (v: number | null) => (v === null ? '-' : String(v));

function line(m: Metrics): string {
  return `occupancy ${pct(m.occupancyPercent)} (${m.nightsSold} of ${m.nightsAvailable} nights), ADR ${num(m.adr)}, RevPAR ${num(m.revpar)}, revenue ${m.revenue}; ${m.bookings} bookings, average stay ${num(m.averageLengthOfStay)}, lead ${num(m.averageLeadTimeDays)} days, cancelled ${pct(m.cancellationRatePercent)}`;
}

function renderMetrics(o: z.output<typeof PortfolioMetricsOut>): string {
  const span = (s: { from: string; to: string } | null) => (s ? `${s.from}..${s.to}` : '-');
  const lines = o.periods.map(
    (p) =>
      `${span(p.current)} (previous ${span(p.previous)}, a year earlier ${span(p.yearAgo)}; today ${p.today} in ${p.timeZones.join(', ')})`,
  );
  lines.push(
    `${o.listings} listings${o.currency ? `, ${o.currency}` : ''}; nights available from ${o.nightsAvailableFrom === 'calendar' ? 'calendars (blocks excluded)' : 'days less owner stays (blocks not read)'}${o.complete ? '' : '; INCOMPLETE'}`,
    `now: ${line(o.total.current)}`,
  );
  if (o.total.previous) lines.push(`previous: ${line(o.total.previous)}`);
  if (o.total.yearAgo) lines.push(`a year earlier: ${line(o.total.yearAgo)}`);
  if (o.groups.length) {
    lines.push(`by ${o.groupBy}:`);
    lines.push(
      table(
        o.groups.map((g) => ({
          key: g.listingId ? `${g.key} (#${g.listingId})` : g.key,
          occ: g.current.occupancyPercent,
          adr: g.current.adr,
          revpar: g.current.revpar,
          revenue: g.current.revenue,
          sold: g.current.nightsSold,
          avail: g.current.nightsAvailable,
          bookings: g.current.bookings,
          alos: g.current.averageLengthOfStay,
          lead: g.current.averageLeadTimeDays,
          cxl: g.current.cancellationRatePercent,
          occPrev: g.previous?.occupancyPercent ?? null,
          revPrev: g.previous?.revenue ?? null,
          occLy: g.yearAgo?.occupancyPercent ?? null,
          revLy: g.yearAgo?.revenue ?? null,
        })),
      ),
    );
  }
  if (o.pace) lines.push(`pace (last year booked by ${o.pace.cutoff} UTC):`, table(o.pace.months));
  for (const n of o.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
