import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type RawDay = { date: string; isAvailable: number; status: string; price: number; minimumStay: number };
type Availability = {
  listing: { id: number; name: string; timeZone: string | null };
  today: string;
  startDate: string;
  endDate: string;
  summary: {
    days: number;
    available: number;
    reserved: number;
    pending: number;
    blocked: number;
    occupancyPercent: number;
    averageAvailablePrice: number | null;
  };
  days?: Array<{ date: string; available: boolean; reason: string | null; price: number | null }>;
  ranges?: Array<{ from: string; to: string; state: string }>;
};
type Found = {
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number | null;
  listings: Array<{
    id: number;
    name: string;
    city: string | null;
    capacity: number | null;
    bedrooms: number | null;
    stayPrice: number | null;
    averageNightly: number | null;
    currency: string | null;
    minStayOk: boolean;
  }>;
  moreAvailable: boolean;
};

/** Statuses that hold a unit's nights, written out here rather than taken from the code under test. */
const HOLDING = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
];
const localDate = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );

describe('hostaway_get_availability and hostaway_find_available_listings', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let token: string;
  const callRaw = async <T>(name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return {
      isError: Boolean(r.isError),
      text: (r.content as Array<{ text: string }>)[0]!.text,
      out: r.structuredContent as T,
    };
  };
  const call = async <T>(name: string, args: Record<string, unknown>) => {
    const r = await callRaw<T>(name, args);
    if (r.isError) throw new Error(r.text);
    return r.out;
  };
  /** The sandbox's raw calendar over HTTP, read without the server's client. */
  const rawCalendar = async (listingId: number, start: string, end: string) => {
    const res = await fetch(
      `${runtime.sandbox!.url}/listings/${listingId}/calendar?startDate=${start}&endDate=${end}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: RawDay[] }).result;
  };
  /** The listings free every night of a stay: no stay holds a night and the host closed none. */
  const freeFor = async (
    nights: string[],
    keep: (l: { personCapacity?: number | null; city?: string | null }) => boolean,
  ) => {
    const free: Array<{ id: number; calendar: RawDay[] }> = [];
    for (const l of runtime.sandbox!.store().allListings()) {
      if (!keep(l)) continue;
      const held = runtime
        .sandbox!.store()
        .allReservations()
        .some(
          (r) =>
            r.listingMapId === l.id &&
            HOLDING.includes(r.status) &&
            nights.some((n) => r.arrivalDate <= n && n < r.departureDate),
        );
      const calendar = await rawCalendar(l.id, nights[0]!, nights.at(-1)!);
      if (!held && !calendar.some((d) => d.status === 'blocked')) free.push({ id: l.id, calendar });
    }
    return free.sort((a, b) => a.id - b.id);
  };
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    token = await mintToken(runtime.sandbox!);
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const listing = (id: number) =>
    runtime
      .sandbox!.store()
      .allListings()
      .find((l) => l.id === id)!;

  it('availability with host blocks and pending nights: the counts and the text agree with the raw calendar', async () => {
    const l = listing(40161);
    const [start, end] = ['2026-11-20', '2027-03-31'];
    const { out, text } = await callRaw<Availability>('hostaway_get_availability', {
      listingId: l.id,
      startDate: start,
      endDate: end,
    });
    const calendar = await rawCalendar(l.id, start, end);
    const count = (status: string) => calendar.filter((d) => d.status === status).length;
    const free = calendar.filter((d) => d.isAvailable === 1);
    expect(count('blocked')).toBeGreaterThan(0);
    expect(count('pending')).toBeGreaterThan(0);
    const occupancy =
      Math.round((1000 * (count('reserved') + count('pending'))) / (calendar.length - count('blocked'))) / 10;
    const average = Math.round(free.reduce((s, d) => s + d.price, 0) / free.length);
    expect(out.summary).toEqual({
      days: calendar.length,
      available: free.length,
      reserved: count('reserved'),
      pending: count('pending'),
      blocked: count('blocked'),
      occupancyPercent: occupancy,
      averageAvailablePrice: average,
    });
    expect(out.days!.map((d) => [d.date, d.reason])).toEqual(
      calendar.map((d) => [d.date, d.isAvailable === 1 ? null : d.status]),
    );
    expect(out.ranges).toBeUndefined();
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `${l.name} (#${l.id}, ${l.timeZoneName}, today ${localDate(runtime.now(), l.timeZoneName!)}) ${start}..${end}: ${free.length} free, ${count('reserved')} reserved, ${count('pending')} pending, ${count('blocked')} blocked of ${calendar.length} days; occupancy ${occupancy}%; average free night ${average}`,
    );
    expect(lines[1]).toBe('date\tavailable\treason\tprice\tminStay\treservationId');
    expect(lines).toHaveLength(calendar.length + 2);
  });

  it('ranges instead of days, and a fully held span has no average free price', async () => {
    const stay = runtime
      .sandbox!.store()
      .allReservations()
      .find(
        (r) =>
          r.listingMapId === 40160 && r.status === 'new' && r.nights! >= 3 && r.arrivalDate > '2026-11-25',
      )!;
    const last = new Date(Date.parse(`${stay.departureDate}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const { out, text } = await callRaw<Availability>('hostaway_get_availability', {
      listingId: 40160,
      startDate: stay.arrivalDate,
      endDate: last,
      format: 'ranges',
    });
    expect(out.days).toBeUndefined();
    expect(out.ranges).toEqual([{ from: stay.arrivalDate, to: last, state: 'reserved' }]);
    expect(out.summary).toMatchObject({
      available: 0,
      reserved: stay.nights,
      occupancyPercent: 100,
      averageAvailablePrice: null,
    });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/; occupancy 100%$/);
    expect(lines.slice(1)).toEqual(['from\tto\tstate', `${stay.arrivalDate}\t${last}\treserved`]);
  });

  it('availability ranges are checked: at most 366 days, in order', async () => {
    const ok = await callRaw<Availability>('hostaway_get_availability', {
      listingId: 40160,
      startDate: '2027-01-01',
      endDate: '2028-01-01',
    });
    expect(ok.isError).toBe(false);
    expect(ok.out.summary.days).toBe(366);
    const tooLong = await callRaw('hostaway_get_availability', {
      listingId: 40160,
      startDate: '2027-01-01',
      endDate: '2028-01-02',
    });
    expect(tooLong.isError).toBe(true);
    expect(tooLong.text).toMatch(
      /^startDate to endDate covers 367 days, both included; at most 366 are allowed/,
    );
    const reversed = await callRaw('hostaway_get_availability', {
      listingId: 40160,
      startDate: '2027-01-02',
      endDate: '2027-01-01',
    });
    expect(reversed.text).toBe('startDate (2027-01-02) is after endDate (2027-01-01): swap them.');
  });

  it('free listings for two nights: their details, the minimum stay of the first night, and the text', async () => {
    const [checkIn, checkOut] = ['2027-02-09', '2027-02-11'];
    const free = await freeFor(['2027-02-09', '2027-02-10'], () => true);
    const { out, text } = await callRaw<Found>('hostaway_find_available_listings', {
      checkIn,
      checkOut,
      limit: free.length,
    });
    expect(out.listings.map((l) => l.id)).toEqual(free.map((f) => f.id));
    expect(out.moreAvailable).toBe(false);
    expect(out).toMatchObject({ checkIn, checkOut, nights: 2, guests: null });
    for (const [i, f] of free.entries()) {
      const l = listing(f.id);
      const stayPrice = f.calendar.reduce((s, d) => s + d.price, 0);
      expect(out.listings[i]).toEqual({
        id: l.id,
        name: l.name,
        checkIn,
        city: l.city,
        capacity: l.personCapacity,
        bedrooms: l.bedroomsNumber,
        stayPrice,
        averageNightly: Math.round(stayPrice / 2),
        currency: l.currencyCode,
        minStayOk: f.calendar[0]!.minimumStay <= 2,
      });
    }
    const minStays = new Set(free.map((f) => f.calendar[0]!.minimumStay));
    expect([...minStays].sort()).toEqual([1, 2, 3]);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${free.length} listing(s) free ${checkIn} to ${checkOut} (2 nights)`);
    expect(lines[1]).toBe(
      'id\tname\tcheckIn\tcity\tcapacity\tbedrooms\tstayPrice\taverageNightly\tcurrency\tminStayOk',
    );
    expect(lines).toHaveLength(free.length + 2);

    const fewer = await callRaw<Found>('hostaway_find_available_listings', {
      checkIn,
      checkOut,
      limit: free.length - 1,
    });
    expect(fewer.out.listings.map((l) => l.id)).toEqual(free.slice(0, -1).map((f) => f.id));
    expect(fewer.out.moreAvailable).toBe(true);
    expect(fewer.text.split('\n')[0]).toBe(
      `${free.length - 1} listing(s) free ${checkIn} to ${checkOut} (2 nights); more match: raise limit or add a city`,
    );
  });

  it('by city and party size', async () => {
    const [checkIn, checkOut] = ['2027-03-08', '2027-03-11'];
    const free = await freeFor(
      ['2027-03-08', '2027-03-09', '2027-03-10'],
      (l) => l.city === 'Miami Beach' && (l.personCapacity ?? 0) >= 5,
    );
    expect(free.length).toBeGreaterThan(0);
    const { out, text } = await callRaw<Found>('hostaway_find_available_listings', {
      checkIn,
      checkOut,
      guests: 5,
      city: 'Miami Beach',
    });
    expect(out.listings.map((l) => l.id)).toEqual(free.map((f) => f.id));
    expect(out.guests).toBe(5);
    expect(text.split('\n')[0]).toBe(
      `${free.length} listing(s) free ${checkIn} to ${checkOut} (3 nights, 5 guests)`,
    );
  });

  it('a stay is at least one night and at most 365, in order', async () => {
    const bad = async (checkIn: string, checkOut: string) => {
      const r = await callRaw('hostaway_find_available_listings', { checkIn, checkOut });
      expect(r.isError).toBe(true);
      return r.text;
    };
    expect(await bad('2027-02-09', '2027-02-09')).toBe('checkOut must be at least one day after checkIn.');
    expect(await bad('2027-02-10', '2027-02-09')).toBe(
      'checkIn (2027-02-10) is after checkOut (2027-02-09): swap them.',
    );
    expect(await bad('2027-02-09', '2028-02-10')).toMatch(
      /^checkIn to checkOut is 366 nights; at most 365 are allowed/,
    );
    const longest = await callRaw<Found>('hostaway_find_available_listings', {
      checkIn: '2027-02-09',
      checkOut: '2028-02-09',
      limit: 1,
    });
    expect(longest.isError).toBe(false);
    expect(longest.out.nights).toBe(365);
    const oneNight = await callRaw<Found>('hostaway_find_available_listings', {
      checkIn: '2027-02-09',
      checkOut: '2027-02-10',
    });
    expect(oneNight.isError).toBe(false);
    expect(oneNight.out.nights).toBe(1);
    expect(oneNight.out.listings.length).toBeGreaterThan(0);
  });

  it("today is the listing's own date, not the UTC one", async () => {
    // 13 hours on: 01:00 UTC on the next day, still the evening before in every US zone.
    runtime.sandbox!.advanceClock(13 * 3_600_000);
    const out = await call<Availability>('hostaway_get_availability', {
      listingId: 40168,
      startDate: '2026-12-01',
      endDate: '2026-12-02',
    });
    const zone = listing(40168).timeZoneName!;
    expect(out.listing.timeZone).toBe(zone);
    expect(out.today).toBe(localDate(runtime.now(), zone));
    expect(out.today).not.toBe(localDate(runtime.now(), 'UTC'));
  });
});

describe('hostaway_find_available_listings when the availability filter and the calendar disagree', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // Calendars are read fresh on every call; the listing search keeps its usual cache, so a second
    // search can name a listing whose calendar has closed since, as a stale Hostaway answer would.
    runtime = await startTestRuntime({ client: { cache: { ttlMs: { calendar: 0 } } } });
    ({ client, close } = await connect(runtime, 'modern (HTTP over a socket)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const find = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_find_available_listings', arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as Found;
  };

  it('a listing the search still names but whose calendar closed one night is left out', async () => {
    const args = { checkIn: '2027-02-09', checkOut: '2027-02-12', limit: 25 };
    const before = await find(args);
    expect(before.listings.length).toBeGreaterThan(2);
    const closed = before.listings[1]!.id;
    // The host closes the middle night of the stay, after the search was answered.
    runtime
      .sandbox!.store()
      .updateCalendar(closed, { startDate: '2027-02-10', endDate: '2027-02-10', isAvailable: 0 });
    const after = await find(args);
    expect(after.listings.map((l) => l.id)).toEqual(
      before.listings.map((l) => l.id).filter((id) => id !== closed),
    );
    expect(after.listings).toEqual(before.listings.filter((l) => l.id !== closed));
  });
});
