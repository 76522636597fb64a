/**
 * The calendar change's pieces on their own, with a stub client where the sandbox cannot reach: a stay
 * that arrives between preview and confirmation, a read-back that fails, a lost answer whose days are
 * half written, more intervals than one batch holds.
 */
import { describe, expect, it } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import {
  differing,
  heldNightBlockers,
  intervalsOf,
  mergeRanges,
  runs,
  toBody,
  wantedDays,
} from '../../src/domain/calendar-change.js';
import { addDays } from '../../src/hostaway/dates.js';
import type { CalendarDay, CalendarUpdateBody } from '../../src/hostaway/schemas.js';
import {
  type CalendarPayload,
  calendarCommit,
  calendarReconcile,
  calendarSnapshot,
  readDays,
} from '../../src/tools/calendar-days.js';
import { WriteRefused } from '../../src/writes/engine.js';
import type { Intent } from '../../src/writes/store.js';

function day(date: string, over: Partial<CalendarDay> = {}): CalendarDay {
  return {
    id: 1,
    date,
    isAvailable: 1,
    status: 'available',
    price: 100,
    minimumStay: 1,
    maximumStay: 30,
    note: null,
    countAvailableUnits: null,
    reservations: [],
    ...over,
  };
}

const STAY = {
  id: 77,
  guestName: 'Ana Silva',
  arrivalDate: '2027-02-02',
  departureDate: '2027-02-04',
} as NonNullable<CalendarDay['reservations']>[number];

/** A client whose calendar answers `days()` and which records what is sent. */
function stub(days: () => CalendarDay[], fail?: (call: number) => Error | undefined) {
  const sent: Array<[string, unknown]> = [];
  let calls = 0;
  const client = {
    forget: () => {},
    calendar: {
      get: async () => days(),
      update: async (_id: number, body: CalendarUpdateBody) => {
        const err = fail?.(++calls);
        if (err) throw err;
        sent.push(['update', body]);
      },
      updateIntervals: async (_id: number, bodies: CalendarUpdateBody[]) => {
        const err = fail?.(++calls);
        if (err) throw err;
        sent.push(['updateIntervals', bodies]);
      },
    },
  } as unknown as HostawayClient;
  return { client, sent };
}

const payload = (intervals: CalendarUpdateBody[]): CalendarPayload => ({
  kind: 'calendar',
  listingId: 1,
  listing: 'Test',
  intervals,
});
const intent = (snapshot: unknown) => ({ snapshot }) as Intent;
const signal = new AbortController().signal;

describe('calendar change, day by day', () => {
  it('joins overlapping and touching ranges, and keeps the others apart, in order', () => {
    expect(
      mergeRanges([
        { startDate: '2027-02-10', endDate: '2027-02-12' },
        { startDate: '2027-02-01', endDate: '2027-02-03' },
        { startDate: '2027-02-04', endDate: '2027-02-05' },
        { startDate: '2027-02-11', endDate: '2027-02-11' },
      ]),
    ).toEqual([
      { startDate: '2027-02-01', endDate: '2027-02-05' },
      { startDate: '2027-02-10', endDate: '2027-02-12' },
    ]);
  });

  it('groups consecutive days alike into runs and intervals; a gap or a difference starts a new one', () => {
    const items = ['2027-02-01', '2027-02-02', '2027-02-04', '2027-02-05', '2027-02-06'].map((date, i) => ({
      date,
      values: { price: i < 4 ? 100 : 120 },
    }));
    expect(runs(items, (d) => String(d.values.price)).map((r) => [r.from, r.to, r.days])).toEqual([
      ['2027-02-01', '2027-02-02', 2],
      ['2027-02-04', '2027-02-05', 2],
      ['2027-02-06', '2027-02-06', 1],
    ]);
    expect(intervalsOf(items)).toEqual([
      { startDate: '2027-02-01', endDate: '2027-02-02', price: 100 },
      { startDate: '2027-02-04', endDate: '2027-02-05', price: 100 },
      { startDate: '2027-02-06', endDate: '2027-02-06', price: 120 },
    ]);
    expect(toBody('2027-02-01', '2027-02-01', { available: false, note: null })).toEqual({
      startDate: '2027-02-01',
      endDate: '2027-02-01',
      isAvailable: 0,
      note: null,
    });
  });

  it('an empty note and no note are the same; any other difference counts', () => {
    expect(differing({ note: null, price: 100 }, { note: '' })).toEqual([]);
    expect(differing({ note: null, price: 100 }, { note: 'x', price: 100 })).toEqual(['note']);
    expect(differing({ available: true, price: 100 }, { available: false, price: 101 })).toEqual([
      'available',
      'price',
    ]);
  });

  it('names each stay whose nights would open or close, once; a price on them is no blocker', async () => {
    const days = new Map(
      [
        day('2027-02-02', { isAvailable: 0, status: 'reserved', reservations: [STAY] }),
        day('2027-02-03', { isAvailable: 0, status: 'reserved', reservations: [STAY] }),
        day('2027-02-05', { isAvailable: 0, status: 'pending', reservations: [] }),
      ].map((d) => [d.date, d]),
    );
    const { client } = stub(() => [...days.values()]);
    const now = await readDays(client, 1, '2027-02-02', '2027-02-05', signal);
    const rows = (want: object) => [...now.values()].map((d) => ({ day: d, want }));
    expect(heldNightBlockers(rows({ available: false }))).toEqual([
      expect.stringMatching(
        /^reservation 77 \(Ana Silva, 2027-02-02 to 2027-02-04\) holds the night\(s\) 2027-02-02\.\.2027-02-03:/,
      ),
      expect.stringMatching(/^a stay \(status pending\) holds the night\(s\) 2027-02-05:/),
    ]);
    expect(heldNightBlockers(rows({ price: 90 }))).toEqual([]);
  });
});

describe('calendar change against Hostaway (stub client)', () => {
  const close = payload([toBody('2027-02-02', '2027-02-03', { available: false })]);

  it('refuses at the last check when a stay took a night to be closed since the preview', async () => {
    const { client, sent } = stub(() => [
      day('2027-02-02', { isAvailable: 0, status: 'reserved', reservations: [STAY] }),
      day('2027-02-03'),
    ]);
    await expect(calendarSnapshot(client, close, signal)).rejects.toThrow(WriteRefused);
    await expect(calendarSnapshot(client, close, signal)).rejects.toThrow(
      /since the preview, reservation 77/,
    );
    expect(sent).toEqual([]);
  });

  it('keeps each day as it was, and after sending lists the days that did not take', async () => {
    let days = [day('2027-02-02'), day('2027-02-03')];
    const { client, sent } = stub(() => days);
    const snapshot = await calendarSnapshot(client, close, signal);
    expect(snapshot.days.map((d) => [d.date, d.available, d.price])).toEqual([
      ['2027-02-02', true, 100],
      ['2027-02-03', true, 100],
    ]);
    days = [day('2027-02-02', { isAvailable: 0, status: 'blocked' }), day('2027-02-03')];
    const result = await calendarCommit(client, close, snapshot, signal);
    expect(sent).toEqual([['update', close.intervals[0]]]);
    expect(result).toEqual({
      daysChanged: 2,
      verified: false,
      notApplied: [{ date: '2027-02-03', expected: { available: false }, found: { available: true } }],
      readBackError: null,
    });
  });

  it('a read-back that fails after sending is reported, not thrown (the write went out)', async () => {
    const { client, sent } = stub(() => {
      throw new HostawayError('upstream', 'Hostaway answered HTTP 503');
    });
    const result = await calendarCommit(client, close, null, signal);
    expect(sent).toHaveLength(1);
    expect(result).toEqual({
      daysChanged: 2,
      verified: false,
      notApplied: [],
      readBackError: 'Hostaway answered HTTP 503',
    });
  });

  it('sends more intervals than one batch holds in batches of 200; a later batch failing is ambiguous', async () => {
    const start = '2027-03-01';
    const many = payload(
      Array.from({ length: 250 }, (_, i) => toBody(addDays(start, i), addDays(start, i), { price: 100 + i })),
    );
    const { client, sent } = stub(() => []);
    await calendarCommit(client, many, null, signal);
    expect(sent.map(([kind, bodies]) => [kind, (bodies as unknown[]).length])).toEqual([
      ['updateIntervals', 200],
      ['updateIntervals', 50],
    ]);
    const second = stub(
      () => [],
      (n) => (n === 2 ? new HostawayError('invalid_request', 'Hostaway refused') : undefined),
    );
    const err = await calendarCommit(second.client, many, null, signal).catch((e: unknown) => e);
    // Not a HostawayError: half the calendar is written, so the engine must read back, not call it failed.
    expect(err).not.toBeInstanceOf(HostawayError);
    expect(String(err)).toMatch(/Hostaway took the first 200 of 250 intervals, then: Hostaway refused/);
  });

  it('reads back after a lost answer: took, did not take, or cannot tell', async () => {
    const three = payload([toBody('2027-02-02', '2027-02-04', { price: 150 })]);
    const before = {
      days: wantedDays(three.intervals).map(({ date }) => ({
        date,
        status: 'available',
        available: true,
        price: 100,
        minimumStay: 1,
        maximumStay: 30,
        note: null,
      })),
    };
    const at = (prices: number[]) =>
      stub(() => prices.map((p, i) => day(addDays('2027-02-02', i), { price: p }))).client;
    expect(await calendarReconcile(at([150, 150, 150]), three, intent(before), signal)).toEqual({
      took: true,
      result: { daysChanged: 3, verified: true, notApplied: [], readBackError: null },
    });
    expect(await calendarReconcile(at([100, 100, 100]), three, intent(before), signal)).toEqual({
      took: false,
    });
    expect(await calendarReconcile(at([150, 100, 100]), three, intent(before), signal)).toBeUndefined();
    // A day that held the price already does not prove the write took.
    const oneHeld = { days: before.days.map((d, i) => (i === 0 ? { ...d, price: 150 } : d)) };
    expect(await calendarReconcile(at([150, 100, 100]), three, intent(oneHeld), signal)).toEqual({
      took: false,
    });
    expect(await calendarReconcile(at([150, 100, 100]), three, intent(null), signal)).toBeUndefined();
  });
});
