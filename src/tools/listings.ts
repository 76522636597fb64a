import * as z from 'zod';
import { fields, table } from '../domain/render.js';
import type { Listing } from '../hostaway/schemas.js';
import { defineTool, READ_ONLY } from './define.js';

export const ListingSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  city: z.string().nullable(),
  timeZone: z.string().nullable(),
  capacity: z.number().int().nullable(),
  bedrooms: z.number().int().nullable(),
  bathrooms: z.number().nullable(),
  basePrice: z.number().nullable(),
  currency: z.string().nullable(),
  rating: z.number().nullable().describe('average review rating, 0-10'),
  archived: z.boolean(),
});
export type ListingSummary = z.infer<typeof ListingSummary>;

export function summarizeListing(l: Listing): ListingSummary {
  return {
    id: l.id,
    name: l.name,
    city: l.city ?? null,
    timeZone: l.timeZoneName ?? null,
    capacity: l.personCapacity ?? null,
    bedrooms: l.bedroomsNumber ?? null,
    bathrooms: l.bathroomsNumber ?? null,
    basePrice: l.price ?? null,
    currency: l.currencyCode ?? null,
    rating: l.averageReviewRating ?? null,
    archived: l.specialStatus === 'archived',
  };
}

export const searchListings = defineTool({
  name: 'hostaway_search_listings',
  title: 'Search listings',
  description:
    'Finds properties (listings) by name, city or guest capacity, with paging. Returns a compact line per listing (id, name, city, time zone, capacity, bedrooms, base price, rating). Use the id with the other tools. Archived listings are left out unless includeArchived is true (filtered by this server).',
  toolset: 'listings',
  input: z
    .object({
      query: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .optional()
        .describe('part of the listing name, e.g. "beach house"'),
      city: z.string().trim().min(1).max(100).optional().describe('exact city name, e.g. "Miami Beach"'),
      minGuests: z.number().int().min(1).max(50).optional().describe('at least this many guests'),
      includeArchived: z.boolean().default(false),
      limit: z.number().int().min(1).max(100).default(25),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
  output: z.object({
    listings: z.array(ListingSummary),
    total: z.number().int().nullable().describe('listings matching the Hostaway filters'),
    nextOffset: z
      .number()
      .int()
      .nullable()
      .describe('pass as offset for the next page; null when this is the last'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const page = await ctx.client.listings.list(
      {
        match: args.query,
        city: args.city,
        availabilityGuestNumber: args.minGuests,
        limit: args.limit,
        offset: args.offset,
        sortOrder: 'name',
      },
      ctx.signal,
    );
    const listings = page.items.map(summarizeListing).filter((l) => args.includeArchived || !l.archived);
    const seen = args.offset + page.items.length;
    return {
      listings,
      total: page.count,
      nextOffset: page.count !== null && seen < page.count ? seen : null,
    };
  },
  render: (o) =>
    `${o.listings.length} listing(s)${o.total !== null ? ` of ${o.total}` : ''}${o.nextOffset !== null ? `; next page: offset=${o.nextOffset}` : ''}\n${table(o.listings)}`,
});

export const getListing = defineTool({
  name: 'hostaway_get_listing',
  title: 'Get listing',
  description:
    'One listing by id: address, time zone, capacity and rooms, check-in and check-out hours, minimum nights, prices and fees, cancellation policy, house rules. detail="full" adds every field Hostaway holds (long; includes access details such as wifi and door codes).',
  toolset: 'listings',
  input: z
    .object({
      listingId: z.number().int().min(1),
      detail: z.enum(['compact', 'full']).default('compact'),
    })
    .strict(),
  output: z.object({
    listing: ListingSummary.extend({
      internalName: z.string().nullable(),
      address: z.string().nullable(),
      checkInFrom: z.number().int().nullable().describe('hour, listing time'),
      checkInUntil: z.number().int().nullable(),
      checkOutBy: z.number().int().nullable(),
      minNights: z.number().int().nullable(),
      maxNights: z.number().int().nullable(),
      cleaningFee: z.number().nullable(),
      cancellationPolicy: z.string().nullable(),
      houseRules: z.string().nullable(),
      instantBookable: z.boolean(),
    }),
    full: z.record(z.string(), z.unknown()).optional().describe('every field, when detail="full"'),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const l = await ctx.client.listings.get(args.listingId, ctx.signal);
    return {
      listing: {
        ...summarizeListing(l),
        internalName: l.internalListingName ?? null,
        address: l.address ?? null,
        checkInFrom: l.checkInTimeStart ?? null,
        checkInUntil: l.checkInTimeEnd ?? null,
        checkOutBy: l.checkOutTime ?? null,
        minNights: l.minNights ?? null,
        maxNights: l.maxNights ?? null,
        cleaningFee: l.cleaningFee ?? null,
        cancellationPolicy: l.cancellationPolicy ?? null,
        houseRules: l.houseRules ?? null,
        instantBookable: Boolean(l.instantBookable),
      },
      ...(args.detail === 'full' ? { full: l as Record<string, unknown> } : {}),
    };
  },
  render: (o) => {
    const l = o.listing;
    return `${fields({
      listing: `#${l.id} ${l.name}${l.internalName ? ` (${l.internalName})` : ''}${l.archived ? ', ARCHIVED' : ''}`,
      address: l.address,
      timeZone: l.timeZone,
      sleeps: `${l.capacity ?? '?'} guests, ${l.bedrooms ?? '?'} bedrooms, ${l.bathrooms ?? '?'} baths`,
      hours: `check-in ${l.checkInFrom ?? '?'}-${l.checkInUntil ?? '?'}h, check-out by ${l.checkOutBy ?? '?'}h`,
      stay: `${l.minNights ?? 1}-${l.maxNights ?? '?'} nights${l.instantBookable ? ', instant book' : ''}`,
      price: `${l.basePrice ?? '?'} ${l.currency ?? ''} base, cleaning ${l.cleaningFee ?? 0}`,
      rating: l.rating,
      cancellation: l.cancellationPolicy,
      rules: l.houseRules,
    })}${o.full ? `\nfull: ${JSON.stringify(o.full)}` : ''}`;
  },
});
