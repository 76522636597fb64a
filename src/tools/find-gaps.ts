/**
 * Nights in the coming days that cannot be sold (too short for the minimum stay, or closed to arrival
 * or departure, between bookings or blocks), per listing, with the fix the calendar suggests. Reads
 * one calendar per listing: at most 25 listings per call, the rest by offset.
 */
import * as z from 'zod';
import { findGaps, nightInfo } from '../domain/gaps.js';
import { table } from '../domain/render.js';
import { addDays, dateInZone } from '../hostaway/dates.js';
import { defineTool, READ_ONLY, ToolInputError } from './define.js';
import { FAN_OUT, mapLimited } from './fan-out.js';
import { listingIndex } from './listing-index.js';

const MAX_LISTINGS = 25;
/** Days read past the window, to see where a free run that starts in it ends. */
const LOOK_PAST = 30;

const GapOut = z.object({
  start: z.string().describe('first free night'),
  end: z.string().describe('last free night; the next day is taken'),
  nights: z.number().int(),
  unsellableNights: z.number().int().describe('nights of the gap no allowed stay can take'),
  before: z.enum(['reserved', 'pending', 'blocked', 'today']).describe('what precedes the gap'),
  after: z.enum(['reserved', 'pending', 'blocked']).describe('what follows it'),
  minimumStay: z.number().int().describe('the minimum stay of an arrival on the first night'),
  causes: z
    .array(z.enum(['minimum stay', 'closed to arrival', 'closed to departure']))
    .describe('what stops one stay of the whole gap'),
  averagePrice: z.number().nullable().describe("average of the gap nights' calendar prices"),
  suggestedPrice: z
    .number()
    .nullable()
    .describe('averagePrice less discountPercent, rounded to a whole unit: a nightly price for the gap'),
  fix: z.string().describe('what to change, in words'),
  updateCalendar: z
    .object({
      listingId: z.number().int(),
      ranges: z.array(z.object({ startDate: z.string(), endDate: z.string() })),
      set: z.object({ minimumStay: z.number().int().optional(), price: z.number().optional() }),
    })
    .nullable()
    .describe(
      'arguments for hostaway_update_calendar applying the fix (minimum stay = the gap length on its nights, and the suggested price); null when only arrival or departure rules stand in the way',
    ),
});

export const findGapsTool = defineTool({
  name: 'hostaway_find_gaps',
  title: 'Find unsellable gaps',
  description:
    "Nights in the next N days (default 30, at most 90) that cannot be sold: free nights between stays or blocks (or between today and the next stay) too few for the minimum stay of any arrival, or closed to arrival or departure; per listing, each in its own zone from its today. For each gap the fix the calendar suggests: the minimum stay set to the gap's length on its nights, and a nightly price = the average of the gap nights' own prices less discountPercent (default 15), with ready arguments for hostaway_update_calendar. Reads one calendar per listing: at most 25 listings per call (limit), the next ones with offset.",
  toolset: 'calendar',
  input: z
    .object({
      days: z.number().int().min(1).max(90).default(30).describe('how far ahead, from today'),
      listingIds: z.array(z.number().int().min(1)).min(1).max(MAX_LISTINGS).optional(),
      limit: z.number().int().min(1).max(MAX_LISTINGS).default(MAX_LISTINGS).describe('listings per call'),
      offset: z.number().int().min(0).default(0).describe('listings to skip, in id order'),
      discountPercent: z.number().min(0).max(50).default(15),
    })
    .strict(),
  output: z.object({
    days: z.number().int(),
    discountPercent: z.number(),
    totalListings: z.number().int(),
    checked: z.array(z.number().int()).describe('listing ids whose calendars were read, in id order'),
    nextOffset: z.number().int().nullable().describe('pass as offset for the next listings; null when done'),
    unsellableNights: z.number().int().describe('over every gap listed'),
    listings: z
      .array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          timeZone: z.string(),
          today: z.string(),
          gaps: z.array(GapOut),
        }),
      )
      .describe('the listings checked that have gaps; the others have none'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const index = await listingIndex(ctx.client, ctx.signal);
    const unknown = (args.listingIds ?? []).filter((id) => !index.has(id));
    if (unknown.length)
      throw new ToolInputError(
        `No listing ${unknown.join(', ')} in this account; hostaway_search_listings lists them.`,
      );
    const all = [...new Set(args.listingIds ?? index.keys())].sort((a, b) => a - b);
    if (args.offset > 0 && args.offset >= all.length)
      throw new ToolInputError(`offset ${args.offset} is past the ${all.length} listings; start again at 0.`);
    const page = all.slice(args.offset, args.offset + args.limit);
    // Listing defaults for days whose calendar gives no minimum stay or price (the list is cached).
    const listings = await ctx.client.listings.all({}, { signal: ctx.signal, maxItems: 5_000 });
    const details = new Map(listings.items.map((l) => [l.id, l]));
    const now = ctx.now();
    const checked = await mapLimited(page, FAN_OUT, async (id) => {
      const info = index.get(id) as { name: string; timeZone: string };
      const today = dateInZone(now, info.timeZone);
      const last = addDays(today, args.days - 1);
      const days = await ctx.client.calendar.get(
        id,
        { startDate: today, endDate: addDays(last, LOOK_PAST) },
        ctx.signal,
      );
      const listing = details.get(id);
      const nights = days.map((d) => nightInfo(d, listing?.minNights ?? 1, listing?.price ?? null));
      const gaps = findGaps(nights, last, args.discountPercent).map((g) => {
        const set = {
          ...(g.setMinimumStay !== null ? { minimumStay: g.setMinimumStay } : {}),
          ...(g.suggestedPrice !== null ? { price: g.suggestedPrice } : {}),
        };
        return {
          ...g,
          fix: fixInWords(g),
          updateCalendar:
            g.setMinimumStay !== null
              ? { listingId: id, ranges: [{ startDate: g.start, endDate: g.end }], set }
              : null,
        };
      });
      return { id, name: info.name, timeZone: info.timeZone, today, gaps };
    });
    const withGaps = checked.filter((l) => l.gaps.length > 0);
    const next = args.offset + page.length;
    return {
      days: args.days,
      discountPercent: args.discountPercent,
      totalListings: all.length,
      checked: page,
      nextOffset: next < all.length ? next : null,
      unsellableNights: withGaps.reduce((n, l) => n + l.gaps.reduce((m, g) => m + g.unsellableNights, 0), 0),
      listings: withGaps,
    };
  },
  render: (o) => {
    const head = `${o.unsellableNights} unsellable night(s) in the next ${o.days} days across ${o.listings.length} of ${o.checked.length} listings checked (${o.totalListings} in all${o.nextOffset !== null ? `; next: offset ${o.nextOffset}` : ''}); suggested price = gap nights' average less ${o.discountPercent}%`;
    const rows = o.listings.flatMap((l) =>
      l.gaps.map((g) => ({
        listing: `${l.name} (#${l.id})`,
        nights: `${g.start}..${g.end}`,
        n: g.nights,
        unsellable: g.unsellableNights,
        between: `${g.before}/${g.after}`,
        minStay: g.minimumStay,
        avgPrice: g.averagePrice,
        price: g.suggestedPrice,
        fix: g.fix,
      })),
    );
    return `${head}\n${table(rows)}`;
  },
});

function fixInWords(g: ReturnType<typeof findGaps>[number]): string {
  const parts: string[] = [];
  if (g.setMinimumStay !== null)
    parts.push(`set the minimum stay to ${g.setMinimumStay} on ${g.start}..${g.end} (now ${g.minimumStay})`);
  if (g.causes.includes('closed to arrival')) parts.push(`allow arrival on ${g.start}`);
  if (g.causes.includes('closed to departure')) parts.push(`allow departure on the day after ${g.end}`);
  if (g.suggestedPrice !== null) parts.push(`price it at ${g.suggestedPrice} a night`);
  return parts.join('; ');
}
