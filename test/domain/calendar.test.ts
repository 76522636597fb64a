import { describe, expect, it } from 'vitest';
import { type DayView, dayView, ranges, summarize } from '../../src/domain/calendar.js';
import type { CalendarDay } from '../../src/hostaway/schemas.js';

const day = (date: string, fields: Partial<CalendarDay> = {}): CalendarDay => ({ id: 1, date, ...fields });
const view = (date: string, reason: DayView['reason'], price: number | null = null): DayView => ({
  date,
  available: reason === null,
  reason,
  price,
  minStay: null,
  reservationId: null,
});

describe('dayView: one calendar day as a manager reads it', () => {
  it('a day is free when Hostaway flags it available, as 1 or as true', () => {
    for (const isAvailable of [1, true] as const) {
      const v = dayView(day('2026-12-01', { isAvailable, status: 'available', price: 120, minimumStay: 2 }));
      expect(v).toEqual({
        date: '2026-12-01',
        available: true,
        reason: null,
        price: 120,
        minStay: 2,
        reservationId: null,
      });
    }
  });

  it('a closed day says why: reserved (also mreserved), pending, or blocked by the host', () => {
    const reasons = (['reserved', 'mreserved', 'pending', 'blocked', 'available', undefined] as const).map(
      (status) => dayView(day('2026-12-01', { isAvailable: 0, status })).reason,
    );
    expect(reasons).toEqual(['reserved', 'reserved', 'pending', 'blocked', 'blocked', 'blocked']);
    expect(dayView(day('2026-12-01', { isAvailable: false, status: 'reserved' }))).toMatchObject({
      available: false,
      reason: 'reserved',
    });
  });

  it('a day with no flag at all is not free', () => {
    expect(dayView(day('2026-12-01'))).toMatchObject({ available: false, reason: 'blocked' });
  });

  it('missing price and minimum stay read as null, not as zero', () => {
    const v = dayView(day('2026-12-01', { isAvailable: 1, price: null }));
    expect(v.price).toBeNull();
    expect(v.minStay).toBeNull();
    expect(dayView(day('2026-12-01', { isAvailable: 1, price: 0, minimumStay: 0 }))).toMatchObject({
      price: 0,
      minStay: 0,
    });
  });

  it('the reservation holding the day is the first one listed; none when the list is absent or empty', () => {
    const held = (id: number) => ({
      id,
      listingMapId: 1,
      channelId: 2000,
      channelName: 'direct',
      reservationId: String(id),
      arrivalDate: '2026-12-01',
      departureDate: '2026-12-03',
      status: 'new',
    });
    expect(
      dayView(day('2026-12-01', { isAvailable: 0, status: 'reserved', reservations: [held(7), held(8)] }))
        .reservationId,
    ).toBe(7);
    expect(dayView(day('2026-12-01', { isAvailable: 0, reservations: [] })).reservationId).toBeNull();
    expect(dayView(day('2026-12-01', { isAvailable: 0, reservations: null })).reservationId).toBeNull();
    expect(dayView(day('2026-12-01', { isAvailable: 0 })).reservationId).toBeNull();
  });
});

describe('summarize: the counts of a calendar', () => {
  it('counts each state, and occupancy is reserved and pending nights over the nights not blocked', () => {
    const days = [
      view('2026-12-01', null, 100),
      view('2026-12-02', null, 101),
      view('2026-12-03', null, null),
      view('2026-12-04', 'reserved', 500),
      view('2026-12-05', 'reserved', 500),
      view('2026-12-06', 'pending', 500),
      view('2026-12-07', 'blocked', 900),
    ];
    expect(summarize(days)).toEqual({
      days: 7,
      available: 3,
      reserved: 2,
      pending: 1,
      blocked: 1,
      // 3 of the 6 nights not blocked
      occupancyPercent: 50,
      // the free nights with a price: (100 + 101) / 2 = 100.5, rounded
      averageAvailablePrice: 101,
    });
  });

  it('occupancy keeps one decimal', () => {
    const days = [view('2026-12-01', 'reserved'), view('2026-12-02', null), view('2026-12-03', null)];
    expect(summarize(days).occupancyPercent).toBe(33.3);
    const twoThirds = [
      view('2026-12-01', 'pending'),
      view('2026-12-02', 'reserved'),
      view('2026-12-03', null),
    ];
    expect(summarize(twoThirds).occupancyPercent).toBe(66.7);
  });

  it('a fully blocked calendar has occupancy 0, and no free night has no average price', () => {
    const s = summarize([view('2026-12-01', 'blocked', 80), view('2026-12-02', 'blocked', 80)]);
    expect(s).toEqual({
      days: 2,
      available: 0,
      reserved: 0,
      pending: 0,
      blocked: 2,
      occupancyPercent: 0,
      averageAvailablePrice: null,
    });
    expect(summarize([])).toMatchObject({ days: 0, occupancyPercent: 0, averageAvailablePrice: null });
  });

  it('free nights without a price leave the average to the priced ones', () => {
    expect(
      summarize([view('2026-12-01', null, null), view('2026-12-02', null, 90)]).averageAvailablePrice,
    ).toBe(90);
    expect(summarize([view('2026-12-01', null, null)]).averageAvailablePrice).toBeNull();
  });
});

describe('ranges: runs of days in the same state', () => {
  it('joins consecutive days of one state and starts a new run when the state changes', () => {
    const days = [
      view('2026-12-01', null),
      view('2026-12-02', null),
      view('2026-12-03', 'reserved'),
      view('2026-12-04', 'pending'),
      view('2026-12-05', 'pending'),
      view('2026-12-06', 'blocked'),
      view('2026-12-07', null),
    ];
    expect(ranges(days)).toEqual([
      { from: '2026-12-01', to: '2026-12-02', state: 'available' },
      { from: '2026-12-03', to: '2026-12-03', state: 'reserved' },
      { from: '2026-12-04', to: '2026-12-05', state: 'pending' },
      { from: '2026-12-06', to: '2026-12-06', state: 'blocked' },
      { from: '2026-12-07', to: '2026-12-07', state: 'available' },
    ]);
    expect(ranges([])).toEqual([]);
  });
});
