/**
 * hostaway_availability_calendar against the sandbox, through the SDK client over HTTP. The oracles
 * are the sandbox's own calendar endpoint (read over HTTP with a token of our own), its store, and
 * hostaway_get_availability for the same listing and days.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import type { AvailabilityCalendarOut as Grid } from '../../src/tools/availability-calendar-schema.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Availability = {
  days: Array<{
    date: string;
    available: boolean;
    reason: string | null;
    price: number | null;
    minStay: number | null;
    reservationId: number | null;
  }>;
};
type RawDay = {
  date: string;
  isAvailable: number;
  status: string;
  price: number;
  minimumStay: number;
  reservations: Array<{ id: number }>;
};

const TOOL = 'hostaway_availability_calendar';
/** Channel labels as a manager reads them, written out here rather than taken from the code under test. */
const CHANNEL: Record<number, string> = {
  2000: 'Direct',
  2002: 'Vrbo',
  2005: 'Booking.com',
  2007: 'Expedia',
  2009: 'HomeAway iCal',
  2010: 'Vrbo iCal',
  2013: 'Booking engine',
  2015: 'Custom iCal',
  2016: 'TripAdvisor iCal',
  2017: 'WordPress',
  2018: 'Airbnb',
  2019: 'Marriott',
  2020: 'Partner',
  2021: 'GDS',
  2022: 'Google',
};
type State = Grid['listings'][number]['days'][number]['state'];
const CHAR: Record<State, string> = { free: '.', reserved: 'R', pending: 'P', blocked: 'B' };
const localDate = (instant: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
const byNameThenId = (a: { name: string; id: number }, b: { name: string; id: number }) =>
  a.name.localeCompare(b.name) || a.id - b.id;

function harness(now?: string) {
  const h = {} as {
    runtime: Runtime;
    client: Client;
    close: () => Promise<void>;
    token: string;
  };
  beforeAll(async () => {
    h.runtime = await startTestRuntime(now ? { now } : {});
    ({ client: h.client, close: h.close } = await connect(h.runtime, 'modern (HTTP over a socket)'));
    h.token = await mintToken(h.runtime.sandbox!);
  });
  afterAll(async () => {
    await h.close();
    await h.runtime.close();
  });
  const callRaw = async <T>(name: string, args: Record<string, unknown>) => {
    const r = await h.client.callTool({ name, arguments: args });
    return {
      isError: Boolean(r.isError),
      text: (r.content as Array<{ text: string }>)[0]!.text,
      out: r.structuredContent as T,
    };
  };
  const call = async <T>(name: string, args: Record<string, unknown>) => {
    const r = await callRaw<T>(name, args);
    if (r.isError) throw new Error(r.text);
    return r;
  };
  /** The sandbox's calendar over HTTP, with the reservations on each day, read without the server. */
  const rawCalendar = async (listingId: number, start: string, end: string) => {
    const res = await fetch(
      `${h.runtime.sandbox!.url}/listings/${listingId}/calendar?startDate=${start}&endDate=${end}&includeResources=1`,
      { headers: { authorization: `Bearer ${h.token}` } },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: RawDay[] }).result;
  };
  const store = () => h.runtime.sandbox!.store();
  return { h, callRaw, call, rawCalendar, store };
}

describe('hostaway_availability_calendar', () => {
  const { h, callRaw, call, rawCalendar, store } = harness();

  it('a month of one listing matches hostaway_get_availability and the raw calendar day by day', async () => {
    const id = 40169;
    const listing = store().listing(id);
    const { out, text } = await call<Grid>(TOOL, { month: '2026-12', listingIds: [id] });
    const availability = (
      await call<Availability>('hostaway_get_availability', {
        listingId: id,
        startDate: '2026-12-01',
        endDate: '2026-12-31',
      })
    ).out;
    const raw = await rawCalendar(id, '2026-12-01', '2026-12-31');

    expect(out).toMatchObject({ startDate: '2026-12-01', endDate: '2026-12-31', total: 1, nextOffset: null });
    expect(out.listings).toHaveLength(1);
    const l = out.listings[0]!;
    expect(l).toMatchObject({
      id,
      name: listing.name,
      timeZone: listing.timeZoneName,
      today: localDate(h.runtime.now(), listing.timeZoneName!),
    });
    expect(l.days.map((d) => [d.date, d.state, d.price, d.minStay, d.reservationId])).toEqual(
      availability.days.map((d) => [d.date, d.reason ?? 'free', d.price, d.minStay, d.reservationId]),
    );
    expect(l.days.map((d) => [d.date, d.state, d.price, d.minStay, d.reservationId])).toEqual(
      raw.map((d) => [
        d.date,
        d.isAvailable === 1 ? 'free' : d.status,
        d.price,
        d.minimumStay,
        d.reservations[0]?.id ?? null,
      ]),
    );
    // The month shows every state, and the nights held name their stay.
    expect(new Set(l.days.map((d) => d.state))).toEqual(new Set(['free', 'reserved', 'pending', 'blocked']));
    expect(l.days.filter((d) => d.reservationId !== null).length).toBeGreaterThan(5);
    expect(
      l.days.every((d) => (d.state === 'reserved' || d.state === 'pending') === (d.reservationId !== null)),
    ).toBe(true);

    // The text: one character per day, a space before each Monday (7, 14, 21, 28 December).
    const chars = raw.map((d) => CHAR[d.isAvailable === 1 ? 'free' : (d.status as State)]).join('');
    const row = text.split('\n').find((line) => line.startsWith(`${listing.name} (#${id}, today `))!;
    expect(row).toBe(
      `${listing.name} (#${id}, today ${l.today})  ${chars.slice(0, 6)} ${chars.slice(6, 13)} ${chars.slice(13, 20)} ${chars.slice(20, 27)} ${chars.slice(27)}`,
    );
    expect(text.split('\n')[0]).toBe('Availability 2026-12-01..2026-12-31 (31 days), listings 1-1 of 1');
  });

  it('each stay seen on the days once, by listing then arrival, with the guest and channel the sandbox has', async () => {
    const [start, end] = ['2027-01-01', '2027-01-31'];
    const { out, text } = await call<Grid>(TOOL, { month: '2027-01', limit: 6 });
    expect(out.listings).toHaveLength(6);
    const expected = [];
    for (const l of out.listings) {
      const raw = await rawCalendar(l.id, start, end);
      const ids = [...new Set(raw.flatMap((d) => d.reservations.map((r) => r.id)))];
      const stays = ids
        .map((rid) => store().reservation(rid))
        .sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate) || a.id - b.id);
      expect(stays.length).toBeGreaterThan(0);
      for (const r of stays) {
        expect(r.listingMapId).toBe(l.id);
        expect(CHANNEL[r.channelId], `channel ${r.channelId}`).toBeDefined();
        expected.push({
          id: r.id,
          listingId: l.id,
          guest: r.guestName,
          channel: CHANNEL[r.channelId],
          arrival: r.arrivalDate,
          departure: r.departureDate,
          status: r.status,
        });
      }
      // Every night held names a stay listed.
      for (const d of l.days) if (d.reservationId !== null) expect(ids).toContain(d.reservationId);
    }
    expect(out.reservations).toEqual(expected);
    // A stay that began before the month is listed with its own arrival.
    expect(out.reservations.some((r) => r.arrival! < start)).toBe(true);
    expect(new Set(out.reservations.map((r) => r.channel)).size).toBeGreaterThan(2);

    const lines = text.split('\n');
    const at = lines.indexOf(`reservations (${expected.length}):`);
    expect(at).toBe(9);
    expect(lines.slice(at + 1)).toEqual([
      'id\tlistingId\tguest\tchannel\tarrival\tdeparture',
      ...expected.map((r) => [r.id, r.listingId, r.guest, r.channel, r.arrival, r.departure].join('\t')),
    ]);
  });

  it("pages through the account's listings by name, limit at a time", async () => {
    const all = store()
      .allListings()
      .map((l) => ({ id: l.id, name: l.name }))
      .sort(byNameThenId);
    expect(all).toHaveLength(25);
    const pages = [];
    for (const offset of [0, 10, 20]) pages.push(await call<Grid>(TOOL, { month: 'next', offset }));
    expect(pages.map((p) => [p.out.total, p.out.nextOffset, p.out.listings.length])).toEqual([
      [25, 10, 10],
      [25, 20, 10],
      [25, null, 5],
    ]);
    expect(pages.flatMap((p) => p.out.listings.map((l) => l.id))).toEqual(all.map((l) => l.id));
    expect(pages.map((p) => p.text.split('\n')[0])).toEqual([
      'Availability 2026-12-01..2026-12-31 (31 days), listings 1-10 of 25; next page: offset=10',
      'Availability 2026-12-01..2026-12-31 (31 days), listings 11-20 of 25; next page: offset=20',
      'Availability 2026-12-01..2026-12-31 (31 days), listings 21-25 of 25',
    ]);
    for (const p of pages)
      for (const l of p.out.listings) {
        const zone = store().listing(l.id).timeZoneName!;
        expect(l.timeZone).toBe(zone);
        expect(l.today).toBe(localDate(h.runtime.now(), zone));
        expect(l.days).toHaveLength(31);
      }

    // The listings asked for, once each, by name as well; limit and offset page through them.
    const chosen = [40170, 40160, 40165, 40170];
    const first = await call<Grid>(TOOL, { month: 'next', listingIds: chosen, limit: 2 });
    const rest = await call<Grid>(TOOL, { month: 'next', listingIds: chosen, limit: 2, offset: 2 });
    const named = [40160, 40165, 40170]
      .map((id) => ({ id, name: store().listing(id).name }))
      .sort(byNameThenId);
    expect([first.out.total, first.out.nextOffset, rest.out.total, rest.out.nextOffset]).toEqual([
      3,
      2,
      3,
      null,
    ]);
    expect([...first.out.listings, ...rest.out.listings].map((l) => l.id)).toEqual(named.map((l) => l.id));
  });

  it('the month: this one by default, or the next; or dates, relative ones from today', async () => {
    const range = async (args: Record<string, unknown>) => {
      const { out } = await call<Grid>(TOOL, { ...args, limit: 1 });
      return [out.startDate, out.endDate, out.listings[0]!.days.length];
    };
    expect(await range({})).toEqual(['2026-11-01', '2026-11-30', 30]);
    expect(await range({ month: 'this' })).toEqual(['2026-11-01', '2026-11-30', 30]);
    expect(await range({ month: 'next' })).toEqual(['2026-12-01', '2026-12-31', 31]);
    expect(await range({ month: '2027-02' })).toEqual(['2027-02-01', '2027-02-28', 28]);
    expect(await range({ startDate: 'today', endDate: '+6' })).toEqual(['2026-11-25', '2026-12-01', 7]);
    // At most 62 days, both ends included.
    expect(await range({ startDate: '2027-01-01', endDate: '2027-03-03' })).toEqual([
      '2027-01-01',
      '2027-03-03',
      62,
    ]);
  });

  it('bad input gets an error that says what to fix', async () => {
    const bad = async (args: Record<string, unknown>) => {
      const r = await callRaw(TOOL, args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      return r.text;
    };
    expect(await bad({ month: '2026-12', startDate: '2026-12-01', endDate: '2026-12-31' })).toBe(
      'Give either month or startDate and endDate, not both: drop month to use the dates, or drop the dates to see the month.',
    );
    expect(await bad({ month: 'next', endDate: '2026-12-31' })).toMatch(
      /^Give either month or startDate and endDate/,
    );
    expect(await bad({ startDate: '2026-12-01' })).toBe(
      'startDate needs an endDate: give both, or give month instead.',
    );
    expect(await bad({ endDate: '2026-12-01' })).toBe(
      'endDate needs a startDate: give both, or give month instead.',
    );
    expect(await bad({ startDate: '2027-01-01', endDate: '2027-03-04' })).toBe(
      'startDate to endDate covers 63 days, both included; at most 62 are allowed. Ask for a shorter range, for example 2027-01-01 to 2027-03-03.',
    );
    expect(await bad({ startDate: '2027-01-02', endDate: '2027-01-01' })).toBe(
      'startDate (2027-01-02) is after endDate (2027-01-01): swap them.',
    );
    expect(await bad({ startDate: '2027-02-30', endDate: '2027-03-01' })).toMatch(
      /^startDate must be a real date written YYYY-MM-DD/,
    );
    expect(await bad({ listingIds: [1, 40160, 2] })).toBe(
      'No listing 1, 2 in this account; hostaway_search_listings lists them.',
    );
    expect(await bad({ month: '2026-13' })).toMatch(/month/);
    expect(await bad({ month: '2026-13' })).toMatch(/YYYY-MM/);
    expect(await bad({ offset: 25 })).toBe('offset 25 is past the 25 listings; start again at 0.');
    expect(await bad({ limit: 51 })).toMatch(/limit/);
  });
});

describe('hostaway_availability_calendar with an archived listing, two of one name, and zones a day apart', () => {
  // 08:00 UTC on 1 December: already December in Chicago (the zone most listings use, tied with New
  // York and first by name), still 30 November in Honolulu.
  const { h, call, store } = harness('2026-12-01T08:00:00Z');
  const zones = () => {
    const counts = new Map<string, number>();
    for (const l of store().allListings())
      counts.set(l.timeZoneName!, (counts.get(l.timeZoneName!) ?? 0) + 1);
    return counts;
  };

  it('leaves archived listings out unless asked for, and orders a shared name by id', async () => {
    expect(zones().get('America/Chicago')).toBe(6);
    expect(zones().get('America/New_York')).toBe(6);
    const archived = store().listing(40161);
    archived.specialStatus = 'archived';
    const twin = store().listing(40170);
    twin.name = store().listing(40160).name;
    h.runtime.client.clearCache();

    const expected = store()
      .allListings()
      .filter((l) => l.id !== 40161)
      .map((l) => ({ id: l.id, name: l.name }))
      .sort(byNameThenId);
    const { out } = await call<Grid>(TOOL, { limit: 50 });
    expect(out.total).toBe(24);
    expect(out.nextOffset).toBeNull();
    expect(out.listings.map((l) => l.id)).toEqual(expected.map((l) => l.id));
    const at = out.listings.findIndex((l) => l.id === 40160);
    expect(out.listings[at + 1]!.id).toBe(40170);
    expect([out.startDate, out.endDate]).toEqual(['2026-12-01', '2026-12-31']);

    const asked = await call<Grid>(TOOL, { listingIds: [40161] });
    expect(asked.out.listings.map((l) => [l.id, l.name])).toEqual([[40161, archived.name]]);
    expect(asked.out.total).toBe(1);
  });

  it("this month is the listings' main zone's; each listing's today is its own", async () => {
    const honolulu = store()
      .allListings()
      .filter((l) => l.timeZoneName === 'Pacific/Honolulu')
      .map((l) => l.id);
    const chicago = store()
      .allListings()
      .find((l) => l.timeZoneName === 'America/Chicago')!.id;
    expect(honolulu).toHaveLength(2);

    const all = await call<Grid>(TOOL, { listingIds: [...honolulu, chicago] });
    expect([all.out.startDate, all.out.endDate]).toEqual(['2026-11-01', '2026-11-30']);
    const today = new Map(all.out.listings.map((l) => [l.id, l.today]));
    expect(today.get(chicago)).toBe('2026-12-01');
    for (const id of honolulu) expect(today.get(id)).toBe('2026-11-30');

    const mostly = await call<Grid>(TOOL, { month: 'next', listingIds: [chicago, honolulu[0]!] });
    // One listing each: a tie, which goes to the zone first by name (America/Chicago): next is January.
    expect([mostly.out.startDate, mostly.out.endDate]).toEqual(['2027-01-01', '2027-01-31']);
    const account = await call<Grid>(TOOL, { startDate: 'today', endDate: 'today', limit: 1 });
    expect([account.out.startDate, account.out.endDate]).toEqual(['2026-12-01', '2026-12-01']);
  });
});
