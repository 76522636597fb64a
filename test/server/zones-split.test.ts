import { describe, expect, it } from 'vitest';
import { dateIn, type ListingIndex, mainZone, zonesOf } from '../../src/tools/listing-index.js';
import { useTestServer } from '../helpers/server.js';

const NOW = '2026-11-29T06:00:00Z';
const localDate = (zone: string, plusDays = 0) =>
  new Date(Date.parse(NOW) + plusDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: zone });

describe('the listing index', () => {
  const index = (zones: string[]): ListingIndex =>
    new Map(
      zones.map((timeZone, i) => [i + 1, { name: `L${i}`, timeZone, checkInHour: null, archived: false }]),
    );
  it('the main zone is the one most listings use; ties go by name; none means UTC', () => {
    expect(mainZone(index(['America/Denver', 'America/Chicago', 'America/Chicago']))).toBe('America/Chicago');
    expect(mainZone(index(['Europe/Paris', 'America/Denver']))).toBe('America/Denver');
    expect(mainZone(index([]))).toBe('UTC');
    expect([...zonesOf(index(['A/B', 'C/D', 'A/B']))].sort()).toEqual(['A/B', 'C/D']);
  });
  it('a date argument resolved and checked, naming the argument when it is not a date', () => {
    const now = Date.parse(NOW);
    expect(dateIn('from', 'today', 'America/Chicago', now)).toBe('2026-11-29');
    expect(dateIn('from', 'today', 'America/Denver', now)).toBe('2026-11-28');
    expect(() => dateIn('checkOut', '2026-02-30', 'UTC', now)).toThrow(/^checkOut must be a real date/);
  });
});

describe('tools at an hour when the listings’ days differ', () => {
  const server = useTestServer(NOW);
  const { store, zoneOf, call } = server;

  it('the clock splits the listings between two days', () => {
    const days = new Set(
      store()
        .allListings()
        .map((l) => localDate(l.timeZoneName as string)),
    );
    expect([...days].sort()).toEqual(['2026-11-28', '2026-11-29']);
  });

  it('"arriving today" keeps each stay that arrives on its own listing’s today, and no other', async () => {
    const out = await call<{ reservations: Array<{ id: number }> }>('hostaway_search_reservations', {
      arrivalFrom: 'today',
      arrivalTo: 'today',
      statuses: ['all'],
      limit: 100,
    });
    const expected = store()
      .allReservations()
      .filter((r) => r.arrivalDate === localDate(zoneOf(r.listingMapId)))
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(out.reservations.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected);
    // Both days are represented: a single date for everyone would lose one side.
    const days = new Set(
      expected.map(
        (id) =>
          store()
            .allReservations()
            .find((r) => r.id === id)!.arrivalDate,
      ),
    );
    expect(days.size).toBe(2);
  });

  it('free listings for "today to +2" are checked for each listing’s own nights', async () => {
    const out = await call<{ listings: Array<{ id: number; checkIn: string }>; checkIn: string }>(
      'hostaway_find_available_listings',
      { checkIn: 'today', checkOut: '+2', limit: 25 },
    );
    expect(out.listings.length).toBeGreaterThan(0);
    for (const l of out.listings) expect(l.checkIn, String(l.id)).toBe(localDate(zoneOf(l.id)));
    expect(new Set(out.listings.map((l) => l.checkIn)).size).toBe(2);
  });

  it('date arguments are named in their errors, whatever the tool', async () => {
    const bad = async (name: string, args: Record<string, unknown>) => {
      const r = await server.client().callTool({ name, arguments: args });
      expect(r.isError).toBe(true);
      return (r.content as Array<{ text: string }>)[0]!.text;
    };
    expect(
      await bad('hostaway_get_availability', { listingId: 40160, startDate: '2026-02-30', endDate: '+3' }),
    ).toMatch(/^startDate must be a real date/);
    expect(
      await bad('hostaway_get_availability', { listingId: 40160, startDate: 'today', endDate: '2026-02-30' }),
    ).toMatch(/^endDate must be a real date/);
    expect(await bad('hostaway_find_available_listings', { checkIn: '2026-02-30', checkOut: '+3' })).toMatch(
      /^checkIn must be a real date/,
    );
    expect(
      await bad('hostaway_find_available_listings', { checkIn: 'today', checkOut: '2026-02-30' }),
    ).toMatch(/^checkOut must be a real date/);
    expect(await bad('hostaway_finance_report', { from: '2026-02-30', to: 'today' })).toMatch(
      /^from must be a real date/,
    );
    expect(await bad('hostaway_finance_report', { from: '-30', to: '2026-02-30' })).toMatch(
      /^to must be a real date/,
    );
  });
});
