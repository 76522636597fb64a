/**
 * hostaway_portfolio_metrics through the SDK client against the sandbox, every figure set against the
 * one worked out night by night in test/helpers/metrics-oracle.ts from the sandbox's own stays,
 * calendar and consolidated report. The quarter holds the edge cases, checked to be there: stays
 * crossing both ends, cancelled stays, owner stays; a listing closed for a whole week is added.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { compare, expectedFor, plusDays, rawRent, sum } from '../helpers/metrics-oracle.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type M = Record<string, number | null>;
type Group = { key: string; listingId: number | null; current: M; previous: M | null; yearAgo: M | null };
type Answer = {
  periods: Array<{ current: { from: string; to: string }; previous: { from: string; to: string } | null }>;
  listings: number;
  total: { current: M; previous: M | null; yearAgo: M | null };
  groups: Group[];
  nightsAvailableFrom: string;
  calendarsRead: number;
  complete: boolean;
  notes: string[];
};

const QUARTER = { from: '2026-12-01', to: '2027-02-28' };
const PREVIOUS = { from: '2026-09-02', to: '2026-11-30' };
const YEAR_AGO = { from: '2025-12-01', to: '2026-02-28' };
const HOLDING = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
];

describe('hostaway_portfolio_metrics', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let rent: Map<number, number>;
  /** A listing with nothing booked in a week of March, closed by the host for that whole week. */
  let closed: { id: number; from: string; to: string };
  const store = () => runtime.sandbox!.store();
  const ids = () =>
    store()
      .allListings()
      .map((l) => l.id);
  const call = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_portfolio_metrics', arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as Answer;
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    rent = await rawRent(runtime.sandbox!, await mintToken(runtime.sandbox!), '2025-09-01', '2027-06-30');
    const weeks = Array.from({ length: 40 }, (_, i) => plusDays('2027-03-01', i));
    for (const id of ids()) {
      const from = weeks.find((start) => {
        const to = plusDays(start, 6);
        return !store()
          .allReservations()
          .some(
            (r) =>
              r.listingMapId === id &&
              HOLDING.includes(r.status) &&
              r.arrivalDate <= to &&
              r.departureDate > start,
          );
      });
      if (from) {
        closed = { id, from, to: plusDays(from, 6) };
        break;
      }
    }
    store().updateCalendar(closed.id, { startDate: closed.from, endDate: closed.to, isAvailable: 0 });
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  it('the quarter holds the edge cases: stays over both ends, cancelled and owner stays', () => {
    const all = store().allReservations();
    const over = (d: string) =>
      all.filter((r) => r.status === 'new' && r.arrivalDate < d && r.departureDate > d);
    expect(over(QUARTER.from).length).toBeGreaterThan(0);
    expect(over(plusDays(QUARTER.to, 1)).length).toBeGreaterThan(0);
    const inside = (r: { arrivalDate: string }) =>
      r.arrivalDate >= QUARTER.from && r.arrivalDate <= QUARTER.to;
    expect(all.filter((r) => r.status === 'cancelled' && inside(r)).length).toBeGreaterThan(0);
    expect(all.filter((r) => r.status === 'ownerStay' && inside(r)).length).toBeGreaterThan(0);
    expect(closed).toBeDefined();
  });

  it('per listing and in total, this quarter, the one before and a year earlier: every metric as worked out night by night', async () => {
    const out = await call({ ...QUARTER, groupBy: 'listing', paceMonths: 0 });
    expect(out.periods.map((p) => [p.current, p.previous])).toEqual([[QUARTER, PREVIOUS]]);
    expect(out.nightsAvailableFrom).toBe('calendar');
    expect(out.calendarsRead).toBe(25);
    expect(out.complete).toBe(true);
    const per = ids().map((id) => expectedFor(runtime.sandbox!, id, QUARTER.from, QUARTER.to, rent));
    expect(out.groups).toHaveLength(25);
    for (const [i, id] of ids().entries()) {
      const group = out.groups.find((g) => g.listingId === id) as Group;
      expect(compare(group.current, per[i]!), `listing ${id}`).toEqual([]);
    }
    const total = sum(per);
    expect(compare(out.total.current, total)).toEqual([]);
    // The edge cases weigh: counting cancelled or owner stays as sold, or whole stays over the ends,
    // would give other figures.
    expect(total.ownerNights).toBeGreaterThan(0);
    expect(total.cancellations).toBeGreaterThan(0);
    const wholeStays = store()
      .allReservations()
      .filter(
        (r) =>
          ['new', 'modified'].includes(r.status) &&
          r.arrivalDate <= QUARTER.to &&
          r.departureDate > QUARTER.from,
      )
      .reduce((n, r) => n + (r.nights as number), 0);
    expect(wholeStays).toBeGreaterThan(total.nightsSold);
    // Largest revenue first.
    const revenue = out.groups.map((g) => g.current.revenue as number);
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));

    const previous = sum(
      ids().map((id) => expectedFor(runtime.sandbox!, id, PREVIOUS.from, PREVIOUS.to, rent)),
    );
    expect(compare(out.total.previous as M, previous)).toEqual([]);
    const yearAgo = sum(
      ids().map((id) => expectedFor(runtime.sandbox!, id, YEAR_AGO.from, YEAR_AGO.to, rent)),
    );
    expect(yearAgo.nightsSold).toBeGreaterThan(0);
    expect(compare(out.total.yearAgo as M, yearAgo)).toEqual([]);
  });

  it('revenue is the finance report’s rent: for stays wholly inside the period, to the cent', async () => {
    // One listing from a stay's arrival to the last night of a later stay: nothing crosses either end.
    const id = 40160;
    const sold = store()
      .allReservations()
      .filter((r) => r.listingMapId === id && ['new', 'modified'].includes(r.status))
      .sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate));
    const first = sold.find((r) => r.arrivalDate >= '2026-09-01')!;
    const last = sold.filter((r) => r.departureDate <= '2026-11-20').at(-1)!;
    const period = { from: first.arrivalDate, to: plusDays(last.departureDate, -1) };
    const metrics = await call({
      ...period,
      listingIds: [id],
      groupBy: 'none',
      compare: false,
      paceMonths: 0,
    });
    const r = await client.callTool({
      name: 'hostaway_finance_report',
      arguments: { ...period, listingIds: [id], statuses: ['new', 'modified'], groupBy: 'none' },
    });
    const report = r.structuredContent as { stays: { rent: number; count: number } };
    expect(report.stays.count).toBeGreaterThan(5);
    expect(metrics.total.current.bookings).toBe(report.stays.count);
    expect(metrics.total.current.revenue).toBeCloseTo(report.stays.rent, 2);
  });

  it('a listing closed for the whole period has no nights available, and no occupancy, ADR or RevPAR', async () => {
    const other = ids().find((id) => id !== closed.id) as number;
    const out = await call({
      from: closed.from,
      to: closed.to,
      listingIds: [closed.id, other],
      compare: false,
      paceMonths: 0,
    });
    const shut = out.groups.find((g) => g.listingId === closed.id) as Group;
    expect(shut.current).toMatchObject({
      listingNights: 7,
      blockedNights: 7,
      nightsAvailable: 0,
      nightsSold: 0,
      occupancyPercent: null,
      adr: null,
      revpar: null,
    });
    const expected = [closed.id, other].map((id) =>
      expectedFor(runtime.sandbox!, id, closed.from, closed.to, rent),
    );
    expect(compare(out.total.current, sum(expected))).toEqual([]);
    expect(out.listings).toBe(2);
    expect(out.calendarsRead).toBe(2);
  });

  it('by month and by channel, the groups add up to the total; months match night by night', async () => {
    const months = await call({ ...QUARTER, groupBy: 'month', paceMonths: 0 });
    expect(months.groups.map((g) => g.key)).toEqual(['2026-12', '2027-01', '2027-02']);
    for (const g of months.groups) {
      const inMonth = (d: string) => d.startsWith(g.key);
      const e = sum(
        ids().map((id) =>
          expectedFor(runtime.sandbox!, id, QUARTER.from, QUARTER.to, rent, { night: inMonth }),
        ),
      );
      expect(compare(g.current, e), g.key).toEqual([]);
      // The same month a year earlier; no "previous" by month.
      expect(g.previous).toBeNull();
      expect(g.yearAgo?.nightsSold).toBe(
        sum(
          ids().map((id) =>
            expectedFor(runtime.sandbox!, id, YEAR_AGO.from, YEAR_AGO.to, rent, {
              night: (d) => d.slice(5, 7) === g.key.slice(5, 7),
            }),
          ),
        ).nightsSold,
      );
    }
    const channels = await call({ ...QUARTER, groupBy: 'channel', paceMonths: 0 });
    const t = channels.total.current;
    expect(channels.groups.length).toBeGreaterThan(2);
    const add = (k: string) => channels.groups.reduce((n, g) => n + (g.current[k] as number), 0);
    expect(add('nightsSold')).toBe(t.nightsSold);
    expect(add('bookings')).toBe(t.bookings);
    expect(add('cancellations')).toBe(t.cancellations);
    expect(add('revenue')).toBeCloseTo(t.revenue as number, 1);
    expect(add('occupancyPercent')).toBeCloseTo(t.occupancyPercent as number, 0);
    for (const g of channels.groups) expect(g.current.nightsAvailable).toBe(t.nightsAvailable);
  });

  it('without calendars (approximate), blocked nights are not read and count as available', async () => {
    const before = runtime.sandbox!.requests.lastSeq;
    const out = await call({ ...QUARTER, groupBy: 'none', nightsAvailable: 'approximate', paceMonths: 0 });
    const calendarReads = runtime.sandbox!.requests.list(before).filter((e) => e.path.includes('/calendar'));
    expect(calendarReads).toEqual([]);
    expect(out.nightsAvailableFrom).toBe('approximate');
    const e = sum(ids().map((id) => expectedFor(runtime.sandbox!, id, QUARTER.from, QUARTER.to, rent)));
    expect(e.blockedNights).toBeGreaterThan(0);
    expect(out.total.current).toMatchObject({
      blockedNights: null,
      nightsAvailable: e.nightsAvailable + e.blockedNights,
      nightsSold: e.nightsSold,
    });
    expect(out.notes.join(' ')).toMatch(/blocked nights not read/);
  });

  it('reads stays by date from the list, never one reservation at a time; refuses what it cannot answer', async () => {
    const before = runtime.sandbox!.requests.lastSeq;
    await call({ from: '2026-06-01', to: '2026-06-30', groupBy: 'channel' });
    const paths = runtime.sandbox!.requests.list(before).map((e) => e.path);
    expect(paths.filter((p) => /^\/v1\/reservations\/\d+/.test(p))).toEqual([]);
    expect(paths.filter((p) => p === '/v1/reservations').length).toBeGreaterThan(0);
    expect(paths.filter((p) => p.endsWith('/calendar')).length).toBe(25);
    for (const [args, message] of [
      [{ from: '2026-01-01', to: '2027-03-01' }, /at most 400/],
      [{ from: '2026-03-01', to: '2026-02-01' }, /swap them/],
      [{ from: '2026-02-30', to: '2026-03-01' }, /real date/],
      [{ from: '2026-01-01', to: '2026-01-31', listingIds: [1] }, /No listing 1/],
    ] as const) {
      const r = await client.callTool({ name: 'hostaway_portfolio_metrics', arguments: args });
      expect(r.isError).toBe(true);
      expect((r.content as Array<{ text: string }>)[0]!.text).toMatch(message);
    }
  });
});
