/**
 * hostaway_balances_due: stays with money still owed, by arrival date, with totals per currency. The
 * reservations list is read with `includePayments=1`, which fills each stay's remainingBalance.
 */
import * as z from 'zod';
import { balancesDue } from '../domain/balances.js';
import type { DayRange } from '../domain/brief-stays.js';
import { channelLabel } from '../domain/channels.js';
import { checkRange } from '../domain/dates.js';
import { table } from '../domain/render.js';
import { RESERVATION_PAGE } from './brief-fetch.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, listingIndex, mainZone, zonesOf } from './listing-index.js';

const MAX_STAYS = 5_000;

export const balancesDueTool = defineTool({
  name: 'hostaway_balances_due',
  title: 'Balances due',
  description:
    "Guest stays arriving in a date range (default: today to 30 days ahead, each listing's own dates; at most 366 days) that still owe money, by arrival date: guest, listing, channel, status, total and amount due, with totals per currency (never added across currencies). The amount due is Hostaway's remainingBalance (total less what the guest paid); where Hostaway gives none, an unpaid stay (isPaid false) owes its whole total. Owner stays, cancelled or declined bookings and inquiries are left out. Optionally one listing. Use hostaway_get_reservation for a stay's payment method and details.",
  toolset: 'finance',
  input: z
    .object({
      from: DateArg.default('today').describe(
        "first arrival date: YYYY-MM-DD, or today, +N... (each listing's own)",
      ),
      to: DateArg.default('+30').describe('last arrival date, included'),
      listingId: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(200).default(50).describe('stays shown; totals cover all'),
    })
    .strict(),
  output: z.object({
    from: z.string().describe('first arrival date in the zone most listings use'),
    to: z.string(),
    stays: z.array(
      z.object({
        reservationId: z.number().int(),
        listingId: z.number().int(),
        listing: z.string().nullable(),
        guest: z.string().nullable(),
        arrival: z.string(),
        departure: z.string(),
        channel: z.string(),
        status: z.string(),
        total: z.number().nullable(),
        due: z.number(),
        currency: z.string().nullable(),
        basis: z
          .enum(['remainingBalance', 'isPaid'])
          .describe('remainingBalance: Hostaway says what is left; isPaid: not paid, so the whole total'),
      }),
    ),
    count: z.number().int().describe('stays owing money (all of them, whatever limit shows)'),
    totals: z.array(z.object({ currency: z.string().nullable(), due: z.number(), stays: z.number().int() })),
    checked: z.number().int().describe('guest bookings arriving in the range'),
    unknown: z.number().int().describe('of those, stays Hostaway gave no payment state for'),
    note: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const index = await listingIndex(ctx.client, ctx.signal);
    const now = ctx.now();
    const main = mainZone(index);
    const ranges = new Map<string, DayRange>();
    for (const zone of new Set([main, ...zonesOf(index)])) {
      const from = dateIn('from', args.from, zone, now);
      const to = dateIn('to', args.to, zone, now);
      checkRange('from', from, 'to', to, 365);
      ranges.set(zone, { from, to });
    }
    const all = [...ranges.values()];
    const got = await ctx.client.reservations.all(
      {
        arrivalStartDate: all.map((r) => r.from).sort()[0],
        arrivalEndDate: all
          .map((r) => r.to)
          .sort()
          .at(-1),
        listingId: args.listingId,
        includePayments: true,
      },
      { pageSize: RESERVATION_PAGE, maxItems: MAX_STAYS, signal: ctx.signal },
    );
    const rangeOf = (listingId: number) =>
      ranges.get(index.get(listingId)?.timeZone ?? main) ?? (ranges.get(main) as DayRange);
    const result = balancesDue(got.items, rangeOf);
    const mainRange = ranges.get(main) as DayRange;
    return {
      from: mainRange.from,
      to: mainRange.to,
      stays: result.owed.slice(0, args.limit).map(({ stay: r, balance }) => ({
        reservationId: r.id,
        listingId: r.listingMapId,
        listing: index.get(r.listingMapId)?.name ?? null,
        guest: r.guestName ?? null,
        arrival: r.arrivalDate,
        departure: r.departureDate,
        channel: channelLabel(r.channelId, r.channelName),
        status: r.status,
        total: r.totalPrice ?? null,
        due: balance.due as number,
        currency: r.currency ?? null,
        basis: balance.basis as 'remainingBalance' | 'isPaid',
      })),
      count: result.owed.length,
      totals: result.totals,
      checked: result.checked,
      unknown: result.unknown,
      note: got.truncated
        ? `read the first ${got.items.length} of ${got.total ?? 'more'} reservations arriving in the range: narrow the dates or pick a listing`
        : null,
    };
  },
  render: (o) => {
    const totals = o.totals
      .map((t) => `${t.due} ${t.currency ?? ''} over ${t.stays} stay(s)`.trim())
      .join('; ');
    return [
      `${o.count} stay(s) arriving ${o.from} to ${o.to} owe money${totals ? `: ${totals}` : ''} (${o.checked} guest booking(s) checked${o.unknown ? `, ${o.unknown} without a payment state` : ''})${o.stays.length < o.count ? `; ${o.stays.length} shown` : ''}`,
      o.note ? `note: ${o.note}` : null,
      table(o.stays),
    ]
      .filter(Boolean)
      .join('\n');
  },
});
