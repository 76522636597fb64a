import { describe, expect, it } from 'vitest';
import { checkDate, checkRange } from '../../src/domain/dates.js';
import { ToolInputError } from '../../src/domain/errors.js';

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('date arguments', () => {
  it('a real date passes; an impossible one is refused with an example of the right form', () => {
    expect(() => checkDate('arrivalFrom', '2028-02-29')).not.toThrow();
    const e = thrown(() => checkDate('arrivalFrom', '2026-02-30'));
    expect(e).toBeInstanceOf(ToolInputError);
    expect(e.name).toBe('ToolInputError');
    expect(e.message).toBe(
      'arrivalFrom must be a real date written YYYY-MM-DD (for example 2026-12-24), got "2026-02-30".',
    );
  });

  it('a range returns its length in days, the same day included, up to the limit', () => {
    expect(checkRange('from', '2026-12-01', 'to', '2026-12-01', 10)).toBe(0);
    expect(checkRange('from', '2026-12-01', 'to', '2026-12-11', 10)).toBe(10);
  });

  it('each end is checked by name', () => {
    expect(thrown(() => checkRange('from', '2026-13-01', 'to', '2026-12-01', 10)).message).toMatch(
      /^from must be a real date/,
    );
    expect(thrown(() => checkRange('from', '2026-12-01', 'to', '2026-12-32', 10)).message).toMatch(
      /^to must be a real date/,
    );
  });

  it('a reversed range says to swap the ends', () => {
    const e = thrown(() => checkRange('startDate', '2026-12-02', 'endDate', '2026-12-01', 10));
    expect(e).toBeInstanceOf(ToolInputError);
    expect(e.message).toBe('startDate (2026-12-02) is after endDate (2026-12-01): swap them.');
  });

  it('a range one day too long says how long it is and offers the longest allowed', () => {
    const e = thrown(() => checkRange('from', '2026-12-01', 'to', '2026-12-12', 10));
    expect(e).toBeInstanceOf(ToolInputError);
    expect(e.message).toBe(
      'from to to covers 12 days, both included; at most 11 are allowed. Ask for a shorter range, for example 2026-12-01 to 2026-12-11.',
    );
  });

  it('a stay counts nights, not days', () => {
    const e = thrown(() => checkRange('checkIn', '2026-12-01', 'checkOut', '2026-12-12', 10, 'nights'));
    expect(e.message).toBe(
      'checkIn to checkOut is 11 nights; at most 10 are allowed. Ask for a shorter range, for example 2026-12-01 to 2026-12-11.',
    );
    expect(checkRange('checkIn', '2026-12-01', 'checkOut', '2026-12-11', 10, 'nights')).toBe(10);
  });
});
