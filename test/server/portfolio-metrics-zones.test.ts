/**
 * hostaway_portfolio_metrics at an hour when the listings' days differ from UTC's: 06:00 UTC on the 26th
 * is already the 26th in New York and Chicago but still the 25th in Denver, Phoenix, Los Angeles and
 * Honolulu. "The last 14 days" and the pace's "from today" follow each listing's own date; expected
 * figures use the platform's own date formatting and the sandbox's stays.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { compare, datesFrom, expectedFor, plusDays, rawRent } from '../helpers/metrics-oracle.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const NOW = '2026-11-26T06:00:00Z';
const localDate = (zone: string) => new Date(Date.parse(NOW)).toLocaleDateString('en-CA', { timeZone: zone });

type M = Record<string, number | null>;
type Answer = {
  periods: Array<{ timeZones: string[]; today: string; current: { from: string; to: string } }>;
  groups: Array<{ listingId: number | null; current: M }>;
  pace: {
    cutoff: string;
    months: Array<{
      month: string;
      nights: number;
      revenue: number;
      lastYearNights: number;
      lastYearRevenue: number;
      lastYearFinalNights: number;
      lastYearFinalRevenue: number;
    }>;
  };
};

describe('portfolio metrics where today is not the same day everywhere', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let out: Answer;
  let rent: Map<number, number>;
  const store = () => runtime.sandbox!.store();
  const zoneOf = (id: number) => store().listing(id).timeZoneName as string;

  beforeAll(async () => {
    runtime = await startTestRuntime({ now: NOW });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    rent = await rawRent(runtime.sandbox!, await mintToken(runtime.sandbox!), '2025-09-01', '2027-03-31');
    const r = await client.callTool({
      name: 'hostaway_portfolio_metrics',
      arguments: { from: '-13', to: 'today', groupBy: 'listing', compare: false, paceMonths: 2 },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    out = r.structuredContent as Answer;
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  it('each zone reads "the last 14 days" from its own today, which UTC does not share everywhere', () => {
    expect(localDate('America/Los_Angeles')).toBe('2026-11-25');
    expect(localDate('UTC')).toBe('2026-11-26');
    const byToday = Object.fromEntries(out.periods.map((p) => [p.today, p]));
    expect(Object.keys(byToday).sort()).toEqual(['2026-11-25', '2026-11-26']);
    expect(byToday['2026-11-25']?.current).toEqual({ from: '2026-11-12', to: '2026-11-25' });
    expect(byToday['2026-11-25']?.timeZones).toContain('America/Los_Angeles');
    expect(byToday['2026-11-26']?.timeZones).toEqual(['America/Chicago', 'America/New_York']);
  });

  it('every listing’s figures are its own last 14 days, night by night', () => {
    for (const l of store().allListings()) {
      const today = localDate(zoneOf(l.id));
      const e = expectedFor(runtime.sandbox!, l.id, plusDays(today, -13), today, rent);
      const g = out.groups.find((x) => x.listingId === l.id);
      expect(compare(g?.current as M, e), `listing ${l.id} (${zoneOf(l.id)})`).toEqual([]);
    }
    // Reading every listing's dates in UTC would move the western listings' period by a day.
    const west = store()
      .allListings()
      .filter((l) => localDate(zoneOf(l.id)) === '2026-11-25');
    const moved = west.map((l) => {
      const e = expectedFor(runtime.sandbox!, l.id, '2026-11-13', '2026-11-26', rent);
      return compare(out.groups.find((x) => x.listingId === l.id)?.current as M, e).length;
    });
    expect(moved.some((n) => n > 0)).toBe(true);
  });

  it('pace: the coming months from each listing’s today, against the same dates a year ago booked by now then', () => {
    expect(out.pace.cutoff.startsWith('2025-11-26 06:0')).toBe(true);
    const expected = new Map<string, number[]>();
    const sold = store()
      .allReservations()
      .filter((r) => ['new', 'modified'].includes(r.status));
    for (const l of store().allListings()) {
      const today = localDate(zoneOf(l.id));
      const windows = [
        [today, '2026-11-30'],
        ['2026-12-01', '2026-12-31'],
      ];
      for (const [from, to] of windows) {
        const row = expected.get((from as string).slice(0, 7)) ?? [0, 0, 0, 0, 0, 0];
        const count = (dates: string[], booked: (at: string) => boolean) => {
          let nights = 0;
          let money = 0;
          for (const d of dates)
            for (const r of sold)
              if (
                r.listingMapId === l.id &&
                r.arrivalDate <= d &&
                d < r.departureDate &&
                booked(r.reservationDate as string)
              ) {
                nights++;
                money += (rent.get(r.id) as number) / (r.nights as number);
              }
          return [nights, money];
        };
        const lastYear = datesFrom(from as string, to as string).map(
          (d) => `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`,
        );
        const [n, m] = count(datesFrom(from as string, to as string), () => true);
        const [ln, lm] = count(lastYear, (at) => at <= out.pace.cutoff);
        const [fn, fm] = count(lastYear, () => true);
        expected.set((from as string).slice(0, 7), [
          row[0]! + n!,
          row[1]! + m!,
          row[2]! + ln!,
          row[3]! + lm!,
          row[4]! + fn!,
          row[5]! + fm!,
        ]);
      }
    }
    expect(out.pace.months.map((m) => m.month)).toEqual(['2026-11', '2026-12']);
    for (const m of out.pace.months) {
      const [n, money, ln, lm, fn, fm] = expected.get(m.month) as number[];
      expect([m.nights, m.lastYearNights, m.lastYearFinalNights], m.month).toEqual([n, ln, fn]);
      expect(m.revenue).toBeCloseTo(money as number, 1);
      expect(m.lastYearRevenue).toBeCloseTo(lm as number, 1);
      expect(m.lastYearFinalRevenue).toBeCloseTo(fm as number, 1);
    }
    // The booking dates matter: last year had more by the end than at this point.
    const dec = out.pace.months[1]!;
    expect(dec.lastYearNights).toBeLessThan(dec.lastYearFinalNights);
    expect(dec.lastYearNights).toBeGreaterThan(0);
  });
});
