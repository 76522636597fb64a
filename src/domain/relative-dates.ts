/**
 * Dates as a manager says them: `today`, `tomorrow`, `yesterday`, or a number of days from today (`+7`,
 * `-3`), resolved in a listing's own time zone. A manager's "today" is their listing's calendar day: at
 * 22:30 in Miami it is still the 28th there though the 29th in UTC.
 */
import { addDays, dateInZone } from '../hostaway/dates.js';

/** Words and offsets a date argument may hold besides YYYY-MM-DD. */
export const RELATIVE_DATE = /^(today|tomorrow|yesterday|[+-]\d{1,4})$/;

/** Whether a date argument is relative (so its value depends on a time zone). */
export function isRelativeDate(value: string): boolean {
  return RELATIVE_DATE.test(value);
}

/** Days from today that a relative date means. */
function offsetDays(value: string): number {
  if (value === 'today') return 0;
  if (value === 'tomorrow') return 1;
  if (value === 'yesterday') return -1;
  return Number(value);
}

/** The calendar date a date argument means in `timeZone` at `now`; a YYYY-MM-DD date is itself. */
export function resolveDate(value: string, timeZone: string, now: number): string {
  if (!isRelativeDate(value)) return value;
  return addDays(dateInZone(now, timeZone), offsetDays(value));
}

/**
 * What a date argument means in each of several zones, and the span they cover (at most two adjacent
 * days for a relative date, since zones are less than a day apart): a query across listings asks
 * Hostaway for the span, then keeps each listing's own day.
 */
export function resolveAcrossZones(
  value: string,
  timeZones: Iterable<string>,
  now: number,
): { byZone: Map<string, string>; min: string; max: string } {
  const byZone = new Map<string, string>();
  for (const zone of timeZones) byZone.set(zone, resolveDate(value, zone, now));
  const dates = [...byZone.values()].sort();
  const only = resolveDate(value, 'UTC', now);
  return { byZone, min: dates[0] ?? only, max: dates.at(-1) ?? only };
}
