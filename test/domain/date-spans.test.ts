import { describe, expect, it } from 'vitest';
import {
  coverDates,
  joinSpans,
  monthEnd,
  monthsAhead,
  previousSpan,
  shiftYears,
  spanDays,
  yearEarlier,
} from '../../src/domain/date-spans.js';

describe('date spans for comparing periods', () => {
  it('a year earlier is the same calendar date; 29 February becomes the 28th', () => {
    expect(shiftYears('2026-11-25', -1)).toBe('2025-11-25');
    expect(shiftYears('2028-02-29', -1)).toBe('2027-02-28');
    expect(shiftYears('2027-02-28', 1)).toBe('2028-02-28');
    expect(yearEarlier({ from: '2026-08-01', to: '2026-10-31' })).toEqual({
      from: '2025-08-01',
      to: '2025-10-31',
    });
  });

  it('the previous period has as many days and ends the day before', () => {
    const q = { from: '2026-08-01', to: '2026-10-31' };
    expect(spanDays(q)).toBe(92);
    expect(previousSpan(q)).toEqual({ from: '2026-05-01', to: '2026-07-31' });
    expect(spanDays(previousSpan(q))).toBe(92);
    expect(previousSpan({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
      from: '2026-02-28',
      to: '2026-02-28',
    });
  });

  it('months ahead: the rest of this month from today, then whole months', () => {
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(monthEnd('2026-12-31')).toBe('2026-12-31');
    expect(monthsAhead('2026-11-25', 3)).toEqual([
      { from: '2026-11-25', to: '2026-11-30' },
      { from: '2026-12-01', to: '2026-12-31' },
      { from: '2027-01-01', to: '2027-01-31' },
    ]);
    expect(monthsAhead('2026-11-25', 0)).toEqual([]);
  });

  it('spans less than the allowed gap apart are read as one; others stay apart', () => {
    const joined = joinSpans(
      [
        { from: '2026-05-01', to: '2026-10-31' },
        { from: '2025-08-01', to: '2025-10-31' },
        { from: '2026-11-25', to: '2027-01-31' },
        { from: '2025-11-25', to: '2026-01-31' },
      ],
      31,
    );
    expect(joined).toEqual([
      { from: '2025-08-01', to: '2026-01-31' },
      { from: '2026-05-01', to: '2027-01-31' },
    ]);
    // 31 days apart joins, 32 does not.
    expect(
      joinSpans(
        [
          { from: '2026-01-01', to: '2026-01-01' },
          { from: '2026-02-02', to: '2026-02-03' },
        ],
        31,
      ),
    ).toHaveLength(1);
    expect(
      joinSpans(
        [
          { from: '2026-01-01', to: '2026-01-01' },
          { from: '2026-02-03', to: '2026-02-03' },
        ],
        31,
      ),
    ).toHaveLength(2);
    // A span inside another does not shorten it.
    expect(
      joinSpans(
        [
          { from: '2026-01-01', to: '2026-03-01' },
          { from: '2026-01-05', to: '2026-01-06' },
        ],
        0,
      ),
    ).toEqual([{ from: '2026-01-01', to: '2026-03-01' }]);
  });

  it('dates covered by the fewest stretches, each at most so long', () => {
    expect(coverDates(['2026-03-10', '2026-01-01', '2026-01-20', '2026-01-20'], 31, 366)).toEqual([
      { from: '2026-01-01', to: '2026-01-20' },
      { from: '2026-03-10', to: '2026-03-10' },
    ]);
    expect(coverDates(['2026-01-01', '2026-01-05', '2026-01-09'], 31, 5)).toEqual([
      { from: '2026-01-01', to: '2026-01-05' },
      { from: '2026-01-09', to: '2026-01-09' },
    ]);
    expect(coverDates([], 31, 366)).toEqual([]);
  });
});
