/**
 * hostaway_find_gaps through the SDK client, at an hour when the western listings are still on the 25th
 * while UTC is on the 26th. Expected gaps are worked out here from the sandbox's calendars by a plainer
 * rule: a free night can be sold when some allowed arrival on or before it, in the same free run, may
 * stay to the run's end.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { plusDays } from '../helpers/metrics-oracle.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const NOW = '2026-11-26T06:00:00Z';
const DAYS = 30;
const localDate = (zone: string) => new Date(Date.parse(NOW)).toLocaleDateString('en-CA', { timeZone: zone });

type Gap = {
  start: string;
  end: string;
  nights: number;
  unsellableNights: number;
  minimumStay: number;
  causes: string[];
  averagePrice: number | null;
  suggestedPrice: number | null;
  updateCalendar: {
    listingId: number;
    ranges: unknown[];
    set: { minimumStay?: number; price?: number };
  } | null;
};
type Answer = {
  totalListings: number;
  checked: number[];
  nextOffset: number | null;
  unsellableNights: number;
  listings: Array<{ id: number; today: string; timeZone: string; gaps: Gap[] }>;
};

describe('hostaway_find_gaps', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  const store = () => runtime.sandbox!.store();
  const call = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_find_gaps', arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as Answer;
  };
  /** The gaps of one listing, by the plainer rule. */
  const expected = (id: number, discount = 15) => {
    const zone = store().listing(id).timeZoneName as string;
    const today = localDate(zone);
    const days = store().calendar(id, today, plusDays(today, DAYS - 1 + 30), false);
    const gaps: Array<[string, string, number, number, number, number | null]> = [];
    for (let s = 0; s < days.length; s++) {
      if (!days[s]!.isAvailable || (s > 0 && days[s - 1]!.isAvailable)) continue;
      let e = s;
      while (days[e + 1]?.isAvailable) e++;
      if (e + 1 >= days.length || days[s]!.date > plusDays(today, DAYS - 1)) continue;
      let unsellable = 0;
      for (let n = s; n <= e; n++) {
        const ok = days
          .slice(s, n + 1)
          .some((d, k) => !d.closedOnArrival && (d.minimumStay as number) <= e - (s + k) + 1);
        if (!ok) unsellable++;
      }
      if (unsellable === 0) continue;
      const prices = days.slice(s, e + 1).map((d) => d.price as number);
      const average = prices.reduce((a, b) => a + b, 0) / prices.length;
      const price = Math.round(average * (1 - discount / 100));
      gaps.push([days[s]!.date, days[e]!.date, e - s + 1, unsellable, days[s]!.minimumStay as number, price]);
    }
    return gaps;
  };
  const actual = (out: Answer, id: number) =>
    (out.listings.find((l) => l.id === id)?.gaps ?? []).map((g) => [
      g.start,
      g.end,
      g.nights,
      g.unsellableNights,
      g.minimumStay,
      g.suggestedPrice,
    ]);

  beforeAll(async () => {
    runtime = await startTestRuntime({ now: NOW });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  it('pages through every listing, one calendar request each, and finds the gaps the calendar holds', async () => {
    const ids = store()
      .allListings()
      .map((l) => l.id)
      .sort((a, b) => a - b);
    const before = runtime.sandbox!.requests.lastSeq;
    const first = await call({ limit: 13 });
    const calendars = runtime.sandbox!.requests.list(before).filter((e) => e.path.endsWith('/calendar'));
    expect(calendars).toHaveLength(13);
    expect(first).toMatchObject({ totalListings: 25, nextOffset: 13 });
    const second = await call({ limit: 13, offset: first.nextOffset });
    expect(second.nextOffset).toBeNull();
    expect([...first.checked, ...second.checked]).toEqual(ids);
    let found = 0;
    for (const id of ids) {
      const out = first.checked.includes(id) ? first : second;
      expect(actual(out, id), `listing ${id}`).toEqual(expected(id));
      found += expected(id).length;
    }
    expect(found).toBeGreaterThan(10);
    // Each listing counts from its own today: Los Angeles is still on the 25th.
    const la = [...first.listings, ...second.listings].find((l) => l.timeZone === 'America/Los_Angeles');
    expect(la?.today).toBe('2026-11-25');
    expect(
      [...first.listings, ...second.listings].find((l) => l.timeZone === 'America/New_York')?.today,
    ).toBe('2026-11-26');
  });

  it('applying the suggested fix makes the gap sellable', async () => {
    const out = await call({ listingIds: [40160] });
    const gap = out.listings[0]?.gaps.find((g) => g.updateCalendar !== null) as Gap;
    expect(gap.causes).toEqual(['minimum stay']);
    expect(gap.updateCalendar).toEqual({
      listingId: 40160,
      ranges: [{ startDate: gap.start, endDate: gap.end }],
      set: { minimumStay: gap.nights, price: gap.suggestedPrice },
    });
    store().updateCalendar(40160, {
      startDate: gap.start,
      endDate: gap.end,
      minimumStay: gap.nights,
      price: gap.suggestedPrice,
    });
    runtime.client.clearCache();
    const after = await call({ listingIds: [40160] });
    expect(after.listings[0]?.gaps.map((g) => g.start) ?? []).not.toContain(gap.start);
    expect(actual(after, 40160)).toEqual(expected(40160));
  });

  it('a run closed to arrival cannot be sold whatever its length; no minimum stay to change then', async () => {
    // A free run of at least three nights, sellable as it is, in the next 30 days of some listing.
    let found: { id: number; start: string; end: string } | undefined;
    for (const l of store().allListings()) {
      const today = localDate(l.timeZoneName as string);
      const days = store().calendar(l.id, today, plusDays(today, DAYS - 1), false);
      for (let s = 1; s + 3 < days.length && !found; s++) {
        const run = days.slice(s, s + 3);
        if (!days[s - 1]!.isAvailable && run.every((d) => d.isAvailable) && !days[s + 3]!.isAvailable)
          if ((run[0]!.minimumStay as number) <= 3)
            found = { id: l.id, start: run[0]!.date, end: run[2]!.date };
      }
      if (found) break;
    }
    if (!found) throw new Error('no three-night run in the seeded calendars');
    const before = await call({ listingIds: [found.id], discountPercent: 0 });
    expect(before.listings[0]?.gaps.map((g) => g.start) ?? []).not.toContain(found.start);
    store().updateCalendar(found.id, { startDate: found.start, endDate: found.end, closedOnArrival: 1 });
    runtime.client.clearCache();
    const out = await call({ listingIds: [found.id], discountPercent: 0 });
    const gap = out.listings[0]?.gaps.find((g) => g.start === found.start);
    expect(gap).toMatchObject({
      end: found.end,
      nights: 3,
      unsellableNights: 3,
      causes: ['closed to arrival'],
      updateCalendar: null,
    });
    expect(gap?.suggestedPrice).toBe(Math.round(gap?.averagePrice as number));
    expect(actual(out, found.id)).toEqual(expected(found.id, 0));
  });

  it('refuses unknown listings and an offset past the end', async () => {
    for (const [args, message] of [
      [{ listingIds: [1] }, /No listing 1/],
      [{ offset: 25 }, /past the 25 listings/],
      [{ days: 91 }, /days/],
    ] as const) {
      const r = await client.callTool({ name: 'hostaway_find_gaps', arguments: args });
      expect(r.isError).toBe(true);
      expect((r.content as Array<{ text: string }>)[0]!.text).toMatch(message);
    }
  });
});
