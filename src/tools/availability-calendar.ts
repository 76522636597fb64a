/**
 * The availability calendar: listings down, days across, for a month (or a range of up to 62 days),
 * a page of listings at a time. One calendar request per listing shown, FAN_OUT at once.
 */
import * as z from 'zod';
import { collectReservations, gridDay, monthSpan, renderGrid } from '../domain/availability-grid.js';
import { checkRange } from '../domain/dates.js';
import { dateInZone } from '../hostaway/dates.js';
import { AvailabilityCalendarOut } from './availability-calendar-schema.js';
import { DateArg, defineTool, READ_ONLY, ToolInputError } from './define.js';
import { FAN_OUT, mapLimited } from './fan-out.js';
import { dateIn, type ListingIndex, type ListingInfo, listingIndex, mainZone } from './listing-index.js';

export const MAX_GRID_DAYS = 62;
const MAX_LISTINGS = 50;

export const availabilityCalendar = defineTool({
  name: 'hostaway_availability_calendar',
  title: 'Availability calendar',
  description:
    "Several listings' availability side by side, listings down and days across: a month (month: YYYY-MM, this or next; default this month) or startDate to endDate (at most 62 days), per day free, reserved, pending or blocked with the nightly price, minimum stay and the reservation holding it; and each reservation seen once, with guest, channel and dates. Pages through the account's listings by name (archived ones left out), limit at a time (one calendar request each), or just the listingIds given. Relative months and dates are read in the zone most listings use; each listing's today is its own.",
  toolset: 'calendar',
  view: 'calendar',
  input: z
    .object({
      month: z
        .string()
        .regex(
          /^(\d{4}-(0[1-9]|1[0-2])|this|next)$/,
          'write the month as YYYY-MM (for example 2026-12), or this or next',
        )
        .optional()
        .describe('YYYY-MM, this or next; not with startDate/endDate'),
      startDate: DateArg.optional().describe('first day: YYYY-MM-DD, or today, +N...; needs endDate'),
      endDate: DateArg.optional().describe('last day (included); at most 62 days from startDate'),
      listingIds: z
        .array(z.number().int().min(1))
        .min(1)
        .max(MAX_LISTINGS)
        .optional()
        .describe("only these listings (default: the account's, archived ones left out)"),
      limit: z.number().int().min(1).max(MAX_LISTINGS).default(10).describe('listings per page'),
      offset: z.number().int().min(0).default(0).describe('listings to skip, in name order'),
    })
    .strict(),
  output: AvailabilityCalendarOut,
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const dated = args.startDate !== undefined || args.endDate !== undefined;
    if (args.month !== undefined && dated)
      throw new ToolInputError(
        'Give either month or startDate and endDate, not both: drop month to use the dates, or drop the dates to see the month.',
      );
    if (dated && (args.startDate === undefined || args.endDate === undefined))
      throw new ToolInputError(
        `${args.startDate === undefined ? 'endDate needs a startDate' : 'startDate needs an endDate'}: give both, or give month instead.`,
      );
    const index = await listingIndex(ctx.client, ctx.signal);
    const unknown = (args.listingIds ?? []).filter((id) => !index.has(id));
    if (unknown.length)
      throw new ToolInputError(
        `No listing ${unknown.join(', ')} in this account; hostaway_search_listings lists them.`,
      );
    const scope = inScope(index, args.listingIds);
    const main = mainZone(new Map(scope));
    const now = ctx.now();
    const { startDate, endDate } =
      args.startDate !== undefined && args.endDate !== undefined
        ? {
            startDate: dateIn('startDate', args.startDate, main, now),
            endDate: dateIn('endDate', args.endDate, main, now),
          }
        : monthSpan(args.month ?? 'this', dateInZone(now, main));
    checkRange('startDate', startDate, 'endDate', endDate, MAX_GRID_DAYS - 1);
    if (args.offset > 0 && args.offset >= scope.length)
      throw new ToolInputError(
        `offset ${args.offset} is past the ${scope.length} listings; start again at 0.`,
      );

    const page = scope.slice(args.offset, args.offset + args.limit);
    const calendars = await mapLimited(page, FAN_OUT, async ([listingId, info]) => ({
      listingId,
      info,
      days: await ctx.client.calendar.get(
        listingId,
        { startDate, endDate, includeResources: true },
        ctx.signal,
      ),
    }));
    const next = args.offset + page.length;
    return {
      startDate,
      endDate,
      listings: calendars.map(({ listingId, info, days }) => ({
        id: listingId,
        name: info.name,
        timeZone: info.timeZone,
        today: dateInZone(now, info.timeZone),
        days: days.map(gridDay),
      })),
      reservations: collectReservations(calendars),
      total: scope.length,
      nextOffset: next < scope.length ? next : null,
    };
  },
  render: renderGrid,
});

/** The listings asked for, or the account's not archived; by name, then id. */
function inScope(
  index: ListingIndex,
  listingIds: readonly number[] | undefined,
): Array<[number, ListingInfo]> {
  const all = listingIds
    ? [...new Set(listingIds)].flatMap((id): Array<[number, ListingInfo]> => {
        const info = index.get(id);
        return info ? [[id, info]] : [];
      })
    : [...index.entries()].filter(([, info]) => !info.archived);
  return all.sort(([a, x], [b, y]) => x.name.localeCompare(y.name) || a - b);
}
