import { describe, expect, it } from 'vitest';
import { findGaps, type NightInfo, nightInfo } from '../../src/domain/gaps.js';
import { addDays } from '../../src/hostaway/dates.js';

const TODAY = '2026-12-01';
/**
 * A calendar from TODAY written as letters: F free, R reserved, P pending, B blocked; each day's minimum
 * stay `min` unless `at` says otherwise.
 */
function cal(pattern: string, min = 2, at: Record<number, Partial<NightInfo>> = {}): NightInfo[] {
  return [...pattern].map((c, i) => ({
    date: addDays(TODAY, i),
    free: c === 'F',
    state: c === 'R' ? 'reserved' : c === 'P' ? 'pending' : c === 'B' ? 'blocked' : null,
    minStay: min,
    price: 100 + i * 10,
    closedOnArrival: false,
    closedOnDeparture: false,
    ...at[i],
  }));
}
const LAST = addDays(TODAY, 29);

describe('gaps no stay can fill', () => {
  it('a night between two stays under a two-night minimum: lower it to 1, priced at its own price less the discount', () => {
    const gaps = findGaps(cal('RRFRRFFFRR'), LAST, 15);
    expect(gaps).toEqual([
      {
        start: '2026-12-03',
        end: '2026-12-03',
        nights: 1,
        unsellableNights: 1,
        before: 'reserved',
        after: 'reserved',
        minimumStay: 2,
        causes: ['minimum stay'],
        averagePrice: 120,
        suggestedPrice: 102,
        setMinimumStay: 1,
      },
    ]);
  });

  it('a run long enough is no gap; a run still open at the end of the calendar is none either', () => {
    expect(findGaps(cal('RFFRFFFFF'), LAST, 15)).toEqual([]);
    expect(findGaps(cal('RRRRF'), LAST, 15)).toEqual([]);
  });

  it('tonight counts from today; blocks and pending requests bound a gap too', () => {
    const gaps = findGaps(cal('FFBRFPFFFR', 3), LAST, 10);
    expect(gaps.map((g) => [g.start, g.nights, g.before, g.after, g.setMinimumStay])).toEqual([
      ['2026-12-01', 2, 'today', 'blocked', 2],
      ['2026-12-05', 1, 'reserved', 'pending', 1],
    ]);
    // Two nights at 100 and 110: 105 less 10 %.
    expect(gaps[0]?.suggestedPrice).toBe(95);
  });

  it('only gaps starting by the last day of the window', () => {
    const gaps = findGaps(cal('RFRFR'), addDays(TODAY, 2), 0);
    expect(gaps.map((g) => g.start)).toEqual(['2026-12-02']);
  });

  it('some nights unsellable: a long minimum on the first night only', () => {
    const gaps = findGaps(cal('RFFFR', 2, { 1: { minStay: 4 } }), LAST, 0);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({
      nights: 3,
      unsellableNights: 1,
      causes: ['minimum stay'],
      setMinimumStay: 3,
    });
  });

  it('closed to arrival or departure stops stays the minimum stay allows; no minimum stay to set then', () => {
    const arrival = findGaps(cal('RFFR', 1, { 1: { closedOnArrival: true } }), LAST, 0);
    expect(arrival[0]).toMatchObject({
      unsellableNights: 1,
      causes: ['closed to arrival'],
      setMinimumStay: null,
    });
    const departure = findGaps(cal('RFFR', 1, { 3: { closedOnDeparture: true } }), LAST, 0);
    expect(departure[0]).toMatchObject({
      unsellableNights: 1,
      causes: ['closed to departure'],
      setMinimumStay: null,
    });
  });

  it('no price on any night: no price suggested', () => {
    const gaps = findGaps(cal('RFR', 2, { 1: { price: null } }), LAST, 15);
    expect(gaps[0]).toMatchObject({ averagePrice: null, suggestedPrice: null });
  });
});

describe('a calendar day as the gap search reads it', () => {
  it('takes the listing’s minimum stay and price where the day has none; flags as 1 or true', () => {
    expect(nightInfo({ id: 1, date: TODAY, isAvailable: 1, status: 'available' }, 3, 150)).toEqual({
      date: TODAY,
      free: true,
      state: null,
      minStay: 3,
      price: 150,
      closedOnArrival: false,
      closedOnDeparture: false,
    });
    expect(
      nightInfo(
        {
          id: 1,
          date: TODAY,
          isAvailable: 0,
          status: 'blocked',
          minimumStay: 1,
          price: 90,
          closedOnArrival: 1,
          closedOnDeparture: true,
        },
        3,
        150,
      ),
    ).toMatchObject({
      free: false,
      state: 'blocked',
      minStay: 1,
      price: 90,
      closedOnArrival: true,
      closedOnDeparture: true,
    });
  });
});
