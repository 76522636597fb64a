import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listing } from '../../src/hostaway/schemas.js';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Summary = {
  id: number;
  name: string;
  city: string | null;
  timeZone: string | null;
  capacity: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  basePrice: number | null;
  currency: string | null;
  rating: number | null;
  archived: boolean;
};
type Found = { listings: Summary[]; total: number | null; nextOffset: number | null };

/** One listing as the search answer should show it, read straight from the account's data. */
const summary = (l: Listing): Summary => ({
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
  archived: false,
});
const byName = (a: Listing, b: Listing) =>
  a.name.toLowerCase() < b.name.toLowerCase()
    ? -1
    : a.name.toLowerCase() > b.name.toLowerCase()
      ? 1
      : a.id - b.id;

describe('hostaway_search_listings and hostaway_get_listing', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  const callRaw = async <T>(name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return { text: (r.content as Array<{ text: string }>)[0]!.text, out: r.structuredContent as T };
  };
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const listings = () => [...runtime.sandbox!.store().allListings()];

  it('by name, city or party size, sorted by name, each line from the listing itself', async () => {
    const cases: Array<[Record<string, unknown>, (l: Listing) => boolean]> = [
      [
        { query: 'BEACH' },
        (l) =>
          l.name.toLowerCase().includes('beach') ||
          Boolean(l.internalListingName?.toLowerCase().includes('beach')),
      ],
      [{ city: 'Austin' }, (l) => l.city === 'Austin'],
      [{ minGuests: 8 }, (l) => (l.personCapacity ?? 0) >= 8],
      [{}, () => true],
    ];
    for (const [args, keep] of cases) {
      const expected = listings().filter(keep).sort(byName);
      const { out } = await callRaw<Found>('hostaway_search_listings', { ...args, limit: 100 });
      expect(out.listings, JSON.stringify(args)).toEqual(expected.map(summary));
      expect(out.total).toBe(expected.length);
      expect(out.nextOffset).toBeNull();
    }
  });

  it('pages by offset: the next offset until the last page, and a text that says so', async () => {
    const all = listings().sort(byName);
    const first = await callRaw<Found>('hostaway_search_listings', { limit: 10 });
    expect(first.out.listings.map((l) => l.id)).toEqual(all.slice(0, 10).map((l) => l.id));
    expect(first.out.nextOffset).toBe(10);
    const lines = first.text.split('\n');
    expect(lines[0]).toBe(`10 listing(s) of ${all.length}; next page: offset=10`);
    expect(lines[1]).toBe(
      'id\tname\tcity\ttimeZone\tcapacity\tbedrooms\tbathrooms\tbasePrice\tcurrency\trating\tarchived',
    );
    expect(lines).toHaveLength(12);
    const middle = await callRaw<Found>('hostaway_search_listings', { limit: 10, offset: 10 });
    expect(middle.out.listings.map((l) => l.id)).toEqual(all.slice(10, 20).map((l) => l.id));
    expect(middle.out.nextOffset).toBe(20);
    const last = await callRaw<Found>('hostaway_search_listings', { limit: 10, offset: all.length - 10 });
    expect(last.out.nextOffset).toBeNull();
    expect(last.text.split('\n')[0]).toBe(`10 listing(s) of ${all.length}`);
    const none = await callRaw<Found>('hostaway_search_listings', { query: 'no such place' });
    expect(none.out).toEqual({ listings: [], total: 0, nextOffset: null });
    expect(none.text).toBe('0 listing(s) of 0\n(none)');
  });

  it('one listing: its details, every field with detail="full", and the text', async () => {
    for (const l of listings().slice(0, 2)) {
      const { out, text } = await callRaw<{ listing: Record<string, unknown>; full?: unknown }>(
        'hostaway_get_listing',
        { listingId: l.id },
      );
      expect(out.listing).toEqual({
        ...summary(l),
        internalName: l.internalListingName,
        address: l.address,
        checkInFrom: l.checkInTimeStart,
        checkInUntil: l.checkInTimeEnd,
        checkOutBy: l.checkOutTime,
        minNights: l.minNights,
        maxNights: l.maxNights,
        cleaningFee: l.cleaningFee,
        cancellationPolicy: l.cancellationPolicy,
        houseRules: l.houseRules,
        instantBookable: l.instantBookable === 1,
      });
      expect(out.full).toBeUndefined();
      expect(text.split('\n')).toEqual([
        `listing: #${l.id} ${l.name} (${l.internalListingName})`,
        `address: ${l.address}`,
        `timeZone: ${l.timeZoneName}`,
        `sleeps: ${l.personCapacity} guests, ${l.bedroomsNumber} bedrooms, ${l.bathroomsNumber} baths`,
        `hours: check-in ${l.checkInTimeStart}-${l.checkInTimeEnd}h, check-out by ${l.checkOutTime}h`,
        `stay: ${l.minNights}-${l.maxNights} nights${l.instantBookable ? ', instant book' : ''}`,
        `price: ${l.price} ${l.currencyCode} base, cleaning ${l.cleaningFee}`,
        `rating: ${l.averageReviewRating}`,
        `cancellation: ${l.cancellationPolicy}`,
        `rules: ${l.houseRules}`,
      ]);
    }
    expect(
      new Set(
        listings()
          .slice(0, 2)
          .map((l) => l.instantBookable),
      ),
    ).toEqual(new Set([0, 1]));
    const l = listings()[3]!;
    const full = await callRaw<{ full: Record<string, unknown> }>('hostaway_get_listing', {
      listingId: l.id,
      detail: 'full',
    });
    expect(full.out.full).toEqual(JSON.parse(JSON.stringify(l)));
    expect(full.text.split('\n').at(-1)).toBe(`full: ${JSON.stringify(full.out.full)}`);
  });
});
