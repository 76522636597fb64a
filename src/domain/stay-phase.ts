/**
 * Where a guest's stay stands, for deciding whose messages matter now: a current or upcoming stay, an
 * open inquiry, a stay long past, or a booking that will not happen (cancelled, declined, expired).
 */
import { addDays, zonedTimeToUtc } from '../hostaway/dates.js';

export const STAY_PHASES = ['current', 'upcoming', 'inquiry', 'recent', 'past', 'closed'] as const;
export type StayPhase = (typeof STAY_PHASES)[number];

/** The phases a manager waits on by default: guests in house, coming, asking, or just gone. */
export const LIVE_PHASES: ReadonlySet<StayPhase> = new Set(['current', 'upcoming', 'inquiry', 'recent']);

/** Statuses of a booking that will not take place. */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set([
  'cancelled',
  'declined',
  'expired',
  'inquiryDenied',
  'inquiryTimedout',
  'inquiryNotPossible',
]);
const INQUIRY = new Set(['inquiry', 'inquiryPreapproved']);

/** Days after check-out during which a guest's message still counts as recent (deposits, lost items). */
export const RECENT_DAYS = 3;

/**
 * The phase of a stay on `today` (the listing's own date): departure day counts as current, since the
 * guest is still there in the morning.
 */
export function stayPhase(status: string, arrival: string, departure: string, today: string): StayPhase {
  if (CLOSED_STATUSES.has(status)) return 'closed';
  if (INQUIRY.has(status)) return departure < today ? 'past' : 'inquiry';
  if (arrival > today) return 'upcoming';
  if (departure >= today) return 'current';
  return departure >= addDays(today, -RECENT_DAYS) ? 'recent' : 'past';
}

/** Hours from `now` until check-in (arrival day at the check-in hour, in the listing's zone); negative once past. */
export function hoursUntilCheckIn(
  arrival: string,
  checkInHour: number,
  timeZone: string,
  now: number,
): number {
  return (zonedTimeToUtc(arrival, checkInHour, timeZone) - now) / 3_600_000;
}
