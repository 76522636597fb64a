/**
 * hostaway_operations_brief: the manager's day (or a few days) in one call. The requests are in
 * brief-fetch.ts; every figure is worked out in src/domain/brief*.ts from what they return.
 */
import * as z from 'zod';
import { briefScope, buildBrief } from '../domain/brief.js';
import { arrivalsIn, type DayRange, vacantNights } from '../domain/brief-stays.js';
import { checkRange } from '../domain/dates.js';
import { table } from '../domain/render.js';
import {
  briefListings,
  conversationScan,
  earlierStays,
  openListingsByNight,
  recentConversations,
  staysOverlapping,
  tasksAround,
} from './brief-fetch.js';
import { BriefOutput } from './brief-output.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, mainZone } from './listing-index.js';

/** The longest range one brief covers, in days. */
const MAX_DAYS = 7;

export const operationsBrief = defineTool({
  name: 'hostaway_operations_brief',
  title: "Operations brief: the manager's day",
  description:
    "The day's operations across all listings in one call, for today (each listing's own date in its time zone) or a range of up to 7 days: arrivals (check-in hour, party size, channel, paid or balance due, unread messages, first stay or returning guest by e-mail or name), departures, same-day turnovers (check-out and next check-in at one listing, hours between), guests staying through, vacant listings (no stay holds the night) and which of their nights the host closed, owner stays and blocks, tasks whose time falls in the range (cleaning and others, open or done, assigned or not), and guests of current or upcoming stays waiting for a reply (longest wait first). Every section says how many; up to `limit` rows each. `cut` says what was not looked at (earlier stays, older conversations) or not shown. Use hostaway_get_reservation or hostaway_get_conversation for detail.",
  toolset: 'reservations',
  input: z
    .object({
      from: DateArg.default('today').describe(
        "first day: YYYY-MM-DD, or today, tomorrow, +N... (each listing's own date)",
      ),
      to: DateArg.optional().describe('last day, included (default: from); at most 7 days in all'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(25)
        .describe('rows shown per section; counts are always complete'),
    })
    .strict(),
  output: BriefOutput,
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const now = ctx.now();
    const listings = await briefListings(ctx.client, ctx.signal);
    const index = new Map(listings.map((l) => [l.id, l]));
    const main = mainZone(index);
    const ranges = new Map<string, DayRange>();
    for (const zone of new Set([main, ...listings.map((l) => l.timeZone)])) {
      const from = dateIn('from', args.from, zone, now);
      const to = dateIn('to', args.to ?? args.from, zone, now);
      checkRange('from', from, 'to', to, MAX_DAYS - 1);
      ranges.set(zone, { from, to });
    }
    // Hostaway is asked for the span that covers every zone's dates; each listing then keeps its own.
    const span = {
      from: [...ranges.values()].map((r) => r.from).sort()[0] as string,
      to: [...ranges.values()]
        .map((r) => r.to)
        .sort()
        .at(-1) as string,
    };
    const [window, tasks, recent] = await Promise.all([
      staysOverlapping(ctx.client, span, ctx.signal),
      tasksAround(ctx.client, span, ctx.signal),
      recentConversations(ctx.client, conversationScan(listings.length), ctx.signal),
    ]);
    const scope = briefScope({ listings, ranges, mainZone: main });
    const arriving = arrivalsIn(window.stays, scope).length > 0;
    const nights = [...new Set([...vacantNights(listings, window.stays, scope).values()].flat())].sort();
    const [history, openByNight] = await Promise.all([
      arriving ? earlierStays(ctx.client, span.from, ctx.signal) : undefined,
      nights.length ? openListingsByNight(ctx.client, nights, ctx.signal) : undefined,
    ]);
    const brief = buildBrief({
      listings,
      ranges,
      mainZone: main,
      stays: window.stays,
      earlier: history?.stays ?? [],
      earlierFrom: history?.since ?? null,
      tasks: tasks.tasks,
      conversations: recent.conversations,
      openByNight: openByNight ?? null,
      now,
      limit: args.limit,
    });
    const fetched = [window.cut, tasks.cut, recent.cut, history?.cut ?? null].filter(
      (c): c is string => c !== null,
    );
    return { ...brief, cut: [...fetched, ...brief.cut] };
  },
  render: renderBrief,
});

const hour = (h: number | null) => (h === null ? '' : `${String(h).padStart(2, '0')}:00`);
const money = (due: number | null, currency: string | null) =>
  due === null ? '?' : due > 0 ? `due ${due} ${currency ?? ''}`.trim() : 'paid';

function renderBrief(o: z.infer<typeof BriefOutput>): string {
  const c = o.counts;
  // Zones that read the same dates are named together: usually one line for the whole account.
  const byDates = new Map<string, { listings: number; zones: string[] }>();
  for (const r of o.ranges) {
    const key = r.from === r.to ? r.from : `${r.from} to ${r.to}`;
    const g = byDates.get(key) ?? { listings: 0, zones: [] };
    g.listings += r.listings;
    g.zones.push(r.timeZone);
    byDates.set(key, g);
  }
  const days = [...byDates]
    .map(([dates, g]) => `${dates} (${g.listings} listing(s) in ${g.zones.join(', ')})`)
    .join('; ');
  const head = [
    `Operations brief, each listing's own dates: ${days}`,
    `arrivals ${c.arrivals} (${c.returningGuests} returning, ${c.balanceDueArrivals} with a balance due) · departures ${c.departures} · turnovers ${c.turnovers} · staying through ${c.inHouse} · vacant ${c.vacant} · owner stays ${c.ownerStays} · blocks ${c.blocks} · tasks ${c.tasks} (${c.openTasks} open, ${c.unassignedOpenTasks} of them unassigned) · waiting for a reply ${c.waiting}`,
    o.earlierStaysFrom ? `returning guests: earlier stays checked from ${o.earlierStaysFrom}` : null,
    ...o.cut.map((x) => `cut: ${x}`),
  ].filter(Boolean);
  const section = (title: string, count: number, rows: ReadonlyArray<Record<string, unknown>>) =>
    `${title} (${count}${rows.length < count ? `, ${rows.length} shown` : ''}):\n${table(rows)}`;
  return [
    head.join('\n'),
    section(
      'arrivals',
      c.arrivals,
      o.arrivals.map((a) => ({
        id: a.reservationId,
        listing: a.listing ?? a.listingId,
        date: a.date,
        checkIn: hour(a.checkInHour),
        guest: a.guest,
        guests: a.guests,
        channel: a.channel,
        status: a.status,
        money: money(a.balanceDue, a.currency),
        unread: a.unread === null ? '?' : a.unread ? 'yes' : 'no',
        history: a.returning ? `returning (${a.earlierStays})` : 'first stay',
      })),
    ),
    section(
      'departures',
      c.departures,
      o.departures.map((d) => ({
        id: d.reservationId,
        listing: d.listing ?? d.listingId,
        date: d.date,
        checkOut: hour(d.checkOutHour),
        guest: d.guest,
        guests: d.guests,
        channel: d.channel,
        status: d.status,
        money: money(d.balanceDue, d.currency),
      })),
    ),
    section(
      'turnovers',
      c.turnovers,
      o.turnovers.map((t) => ({
        listing: t.listing ?? t.listingId,
        date: t.date,
        out: `#${t.outReservationId} by ${hour(t.checkOutHour) || '?'}`,
        in: `#${t.inReservationId} from ${hour(t.checkInHour) || '?'}`,
        hours: t.hoursBetween,
      })),
    ),
    section('staying through', c.inHouse, o.inHouse),
    section(
      'vacant',
      c.vacant,
      o.vacant.map((v) => ({
        listing: v.listing ?? v.listingId,
        nights: v.nights.join(' '),
        closed: v.closed ?? '?',
      })),
    ),
    section('owner stays', c.ownerStays, o.ownerStays),
    section('blocks', c.blocks, o.blocks),
    section(
      'tasks',
      c.tasks,
      o.tasks.map((t) => ({
        id: t.id,
        title: t.title,
        kind: t.kind,
        listing: t.listing ?? t.listingId,
        reservationId: t.reservationId,
        status: t.status,
        start: t.start,
        due: t.due,
        assignee: t.assigneeUserId ?? 'unassigned',
      })),
    ),
    section(
      'waiting for a reply',
      c.waiting,
      o.waiting.map((w) => ({
        conversationId: w.conversationId,
        reservationId: w.reservationId,
        listing: w.listing ?? w.listingId,
        guest: w.guest,
        stay: w.stay,
        arrival: w.arrival,
        departure: w.departure,
        waitingMinutes: w.waitingMinutes,
        unread: w.unread,
      })),
    ),
  ].join('\n\n');
}
