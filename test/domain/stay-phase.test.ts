import { describe, expect, it } from 'vitest';
import { hoursUntilCheckIn, LIVE_PHASES, stayPhase } from '../../src/domain/stay-phase.js';

describe('stayPhase', () => {
  const today = '2026-11-28';
  it('places a confirmed stay by its dates in the listing day', () => {
    expect(stayPhase('new', '2026-12-01', '2026-12-05', today)).toBe('upcoming');
    expect(stayPhase('modified', '2026-11-28', '2026-12-01', today)).toBe('current');
    expect(stayPhase('new', '2026-11-20', '2026-11-28', today)).toBe('current'); // check-out morning
    expect(stayPhase('new', '2026-11-20', '2026-11-25', today)).toBe('recent');
    expect(stayPhase('new', '2026-11-10', '2026-11-24', today)).toBe('past');
    expect(stayPhase('ownerStay', '2026-11-29', '2026-11-30', today)).toBe('upcoming');
  });

  it('bookings that will not happen are closed, whatever their dates; inquiries stay open until they pass', () => {
    for (const s of [
      'cancelled',
      'declined',
      'expired',
      'inquiryDenied',
      'inquiryTimedout',
      'inquiryNotPossible',
    ])
      expect(stayPhase(s, '2026-12-01', '2026-12-05', today)).toBe('closed');
    expect(stayPhase('inquiry', '2026-12-01', '2026-12-05', today)).toBe('inquiry');
    expect(stayPhase('inquiryPreapproved', '2026-11-28', '2026-11-30', today)).toBe('inquiry');
    expect(stayPhase('inquiry', '2026-11-01', '2026-11-05', today)).toBe('past');
  });

  it('the live phases are current, upcoming, inquiry and recent', () => {
    expect([...LIVE_PHASES].sort()).toEqual(['current', 'inquiry', 'recent', 'upcoming']);
  });
});

describe('hoursUntilCheckIn', () => {
  it("counts to the check-in hour on the arrival day, in the listing's zone", () => {
    // 16:00 in New York on 30 November is 21:00 UTC; from 03:30 UTC on the 29th that is 41.5 hours.
    const now = Date.parse('2026-11-29T03:30:00Z');
    expect(hoursUntilCheckIn('2026-11-30', 16, 'America/New_York', now)).toBe(41.5);
    expect(hoursUntilCheckIn('2026-11-28', 15, 'America/New_York', now)).toBe(-7.5);
  });
});
