import { describe, expect, it } from 'vitest';
import { isRelativeDate, resolveAcrossZones, resolveDate } from '../../src/domain/relative-dates.js';

// 03:30 UTC on Sunday the 29th: still Saturday evening the 28th across the United States.
const NOW = Date.parse('2026-11-29T03:30:00Z');

describe('relative dates, in a listing time zone', () => {
  it('today, tomorrow, yesterday and day offsets follow the zone, not UTC', () => {
    expect(resolveDate('today', 'America/New_York', NOW)).toBe('2026-11-28');
    expect(resolveDate('today', 'UTC', NOW)).toBe('2026-11-29');
    expect(resolveDate('today', 'Asia/Tokyo', NOW)).toBe('2026-11-29');
    expect(resolveDate('tomorrow', 'America/Los_Angeles', NOW)).toBe('2026-11-29');
    expect(resolveDate('yesterday', 'America/Chicago', NOW)).toBe('2026-11-27');
    expect(resolveDate('+7', 'America/Denver', NOW)).toBe('2026-12-05');
    expect(resolveDate('-30', 'Pacific/Honolulu', NOW)).toBe('2026-10-29');
    expect(resolveDate('+0', 'UTC', NOW)).toBe('2026-11-29');
  });

  it('a written date is itself, in every zone', () => {
    expect(resolveDate('2026-12-24', 'Pacific/Honolulu', NOW)).toBe('2026-12-24');
    expect(isRelativeDate('2026-12-24')).toBe(false);
    for (const v of ['today', 'tomorrow', 'yesterday', '+1', '-14', '+365'])
      expect(isRelativeDate(v)).toBe(true);
    for (const v of ['Today', 'next week', '+', '7', '+12345', ' today'])
      expect(isRelativeDate(v)).toBe(false);
  });

  it('across zones: each zone its own day, and the span that covers them', () => {
    const { byZone, min, max } = resolveAcrossZones('today', ['America/New_York', 'Europe/Lisbon'], NOW);
    expect(Object.fromEntries(byZone)).toEqual({
      'America/New_York': '2026-11-28',
      'Europe/Lisbon': '2026-11-29',
    });
    expect([min, max]).toEqual(['2026-11-28', '2026-11-29']);
    const none = resolveAcrossZones('tomorrow', [], NOW);
    expect([none.min, none.max]).toEqual(['2026-11-30', '2026-11-30']);
    const written = resolveAcrossZones('2026-12-01', ['America/New_York', 'Asia/Tokyo'], NOW);
    expect([written.min, written.max]).toEqual(['2026-12-01', '2026-12-01']);
  });
});
