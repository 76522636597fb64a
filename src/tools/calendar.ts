import * as z from 'zod';
import { dayView, ranges, summarize } from '../domain/calendar.js';
import { checkRange } from '../domain/dates.js';
import { ToolInputError } from '../domain/errors.js';
import { table } from '../domain/render.js';
import { addDays, dateInZone, daysBetween } from '../hostaway/dates.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, listingIndex, mainZone, zonesOf } from './listing-index.js';
import { summarizeListing } from './listings.js';

const MAX_CALENDAR_DAYS = 366;

const DayOut = z.object({
  date: z.string(),
  available: z.boolean(),
  reason: z.enum(['reserved', 'pending', 'blocked']).nullable(),
  price: z.number().nullable(),
  minStay: z.number().int().nullable(),
  reservationId: z.number().int().nullable(),
});

export const getAvailability = defineTool({
  name: 'hostaway_get_availability',
  title: 'Listing availability',
  description:
    'One listing\'s calendar from startDate to endDate (both included, at most 366 days): per day whether it is free or why not (reserved, pending, blocked by the host), the nightly price and the minimum stay, plus counts and occupancy. Dates are in the listing\'s own time zone, which the answer names with its today. format="ranges" gives runs of days instead of one line per day.',
  toolset: 'calendar',
  input: z
    .object({
      listingId: z.number().int().min(1),
      startDate: DateArg.describe('first day: YYYY-MM-DD, or today, tomorrow, +N... in the listing zone'),
      endDate: DateArg.describe('last day (included): YYYY-MM-DD, or today, +30...'),
      format: z.enum(['days', 'ranges']).default('days'),
    })
    .strict(),
  output: z.object({
    listing: z.object({ id: z.number().int(), name: z.string(), timeZone: z.string().nullable() }),
    today: z.string().describe("today's date in the listing's time zone"),
    startDate: z.string(),
    endDate: z.string(),
    summary: z.object({
      days: z.number().int(),
      available: z.number().int(),
      reserved: z.number().int(),
      pending: z.number().int(),
      blocked: z.number().int(),
      occupancyPercent: z.number(),
      averageAvailablePrice: z.number().nullable(),
    }),
    days: z.array(DayOut).optional(),
    ranges: z
      .array(
        z.object({
          from: z.string(),
          to: z.string(),
          state: z.enum(['available', 'reserved', 'pending', 'blocked']),
        }),
      )
      .optional(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    // The listing first: its time zone says what "today" or "+7" means for it.
    const listing = await ctx.client.listings.get(args.listingId, ctx.signal);
    const zone = listing.timeZoneName || 'UTC';
    const now = ctx.now();
    const startDate = dateIn('startDate', args.startDate, zone, now);
    const endDate = dateIn('endDate', args.endDate, zone, now);
    checkRange('startDate', startDate, 'endDate', endDate, MAX_CALENDAR_DAYS - 1);
    const calendar = await ctx.client.calendar.get(
      args.listingId,
      { startDate, endDate, includeResources: true },
      ctx.signal,
    );
    const days = calendar.map(dayView);
    return {
      listing: { id: listing.id, name: listing.name, timeZone: listing.timeZoneName ?? null },
      today: dateInZone(now, zone),
      startDate,
      endDate,
      summary: summarize(days),
      ...(args.format === 'days' ? { days } : { ranges: ranges(days) }),
    };
  },
  render: (o) => {
    const s = o.summary;
    const head = `${o.listing.name} (#${o.listing.id}, ${o.listing.timeZone ?? 'zone unknown'}, today ${o.today}) ${o.startDate}..${o.endDate}: ${s.available} free, ${s.reserved} reserved, ${s.pending} pending, ${s.blocked} blocked of ${s.days} days; occupancy ${s.occupancyPercent}%${s.averageAvailablePrice !== null ? `; average free night ${s.averageAvailablePrice}` : ''}`;
    // Stryker disable next-line ArrayDeclaration: an answer without days always has ranges; [] only satisfies the type
    return `${head}\n${o.days ? table(o.days) : table(o.ranges ?? [])}`;
  },
});

export const findAvailableListings = defineTool({
  name: 'hostaway_find_available_listings',
  title: 'Find available listings',
  description:
    "Which listings are free for a whole stay: every night from checkIn up to checkOut (the check-out day itself is not a night), for a number of guests, optionally in one city. Uses Hostaway's availability filter, then checks each candidate's calendar for the stay price and minimum stay. Returns at most `limit` listings (each costs one calendar request).",
  toolset: 'calendar',
  input: z
    .object({
      checkIn: DateArg.describe("arrival date: YYYY-MM-DD, or today, tomorrow, +N (each listing's own day)"),
      checkOut: DateArg.describe('departure date: YYYY-MM-DD, or +N...'),
      guests: z.number().int().min(1).max(50).optional(),
      city: z.string().trim().min(1).max(100).optional(),
      limit: z.number().int().min(1).max(25).default(10),
    })
    .strict(),
  output: z.object({
    checkIn: z.string().describe('the arrival date in the zone of most listings'),
    checkOut: z.string(),
    nights: z.number().int(),
    guests: z.number().int().nullable(),
    listings: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        checkIn: z
          .string()
          .describe("the arrival date in this listing's zone (differs only for relative dates)"),
        city: z.string().nullable(),
        capacity: z.number().int().nullable(),
        bedrooms: z.number().int().nullable(),
        stayPrice: z.number().nullable().describe('sum of the nightly prices, before fees and taxes'),
        averageNightly: z.number().nullable(),
        currency: z.string().nullable(),
        minStayOk: z.boolean().describe('the stay is at least the minimum stay of its first night'),
      }),
    ),
    moreAvailable: z
      .boolean()
      .describe('more listings matched than were checked; raise limit or narrow by city'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    // Relative dates mean each listing's own day: ask once per distinct stay the zones resolve to.
    const index = await listingIndex(ctx.client, ctx.signal);
    const now = ctx.now();
    const stays = new Map<string, { checkIn: string; checkOut: string; zones: Set<string> }>();
    for (const zone of [mainZone(index), ...zonesOf(index)]) {
      const checkIn = dateIn('checkIn', args.checkIn, zone, now);
      const checkOut = dateIn('checkOut', args.checkOut, zone, now);
      const key = `${checkIn}|${checkOut}`;
      const stay = stays.get(key) ?? { checkIn, checkOut, zones: new Set<string>() };
      stay.zones.add(zone);
      stays.set(key, stay);
    }
    const first = [...stays.values()][0] as { checkIn: string; checkOut: string };
    checkRange('checkIn', first.checkIn, 'checkOut', first.checkOut, 365, 'nights');
    const nights = daysBetween(first.checkIn, first.checkOut);
    if (nights < 1) throw new ToolInputError('checkOut must be at least one day after checkIn.');
    const pages = await Promise.all(
      [...stays.values()].map(async (stay) => {
        const page = await ctx.client.listings.list(
          {
            availabilityDateStart: stay.checkIn,
            availabilityDateEnd: stay.checkOut,
            availabilityGuestNumber: args.guests,
            city: args.city,
            limit: args.limit + 1,
          },
          ctx.signal,
        );
        const inZone = page.items.filter((l) => stay.zones.has(index.get(l.id)?.timeZone ?? 'UTC'));
        return {
          stay,
          items: inZone,
          more: page.items.length > args.limit || (page.count ?? 0) > args.limit,
        };
      }),
    );
    const found = pages.flatMap((p) => p.items.map((l) => ({ l, stay: p.stay })));
    const candidates = found.filter(({ l }) => l.specialStatus !== 'archived').slice(0, args.limit);
    const checked = await Promise.all(
      candidates.map(async ({ l, stay }) => {
        const days = (
          await ctx.client.calendar.get(
            l.id,
            { startDate: stay.checkIn, endDate: addDays(stay.checkOut, -1) },
            ctx.signal,
          )
        ).map(dayView);
        const free = days.length === nights && days.every((d) => d.available);
        const prices = days.map((d) => d.price);
        const stayPrice = prices.every((p) => p !== null)
          ? (prices as number[]).reduce((a, b) => a + b, 0)
          : null;
        const s = summarizeListing(l);
        return free
          ? {
              id: s.id,
              name: s.name,
              checkIn: stay.checkIn,
              city: s.city,
              capacity: s.capacity,
              bedrooms: s.bedrooms,
              stayPrice,
              averageNightly: stayPrice !== null ? Math.round(stayPrice / nights) : null,
              currency: s.currency,
              // Stryker disable next-line OptionalChaining: built only for a free stay, whose days number its nights (at least one)
              minStayOk: (days[0]?.minStay ?? 1) <= nights,
            }
          : null;
      }),
    );
    return {
      checkIn: first.checkIn,
      checkOut: first.checkOut,
      nights,
      guests: args.guests ?? null,
      listings: checked.filter((x): x is NonNullable<typeof x> => x !== null),
      moreAvailable: found.length > args.limit || pages.some((p) => p.more),
    };
  },
  render: (o) =>
    `${o.listings.length} listing(s) free ${o.checkIn} to ${o.checkOut} (${o.nights} nights${o.guests ? `, ${o.guests} guests` : ''})${o.moreAvailable ? '; more match: raise limit or add a city' : ''}\n${table(o.listings)}`,
});
