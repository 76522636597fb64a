/** Checks on date arguments, with messages that say how to fix the call. */
import { addDays, daysBetween, isIsoDate } from '../hostaway/dates.js';
import { ToolInputError } from './errors.js';

export function checkDate(name: string, value: string): void {
  if (!isIsoDate(value))
    throw new ToolInputError(
      `${name} must be a real date written YYYY-MM-DD (for example 2026-12-24), got "${value}".`,
    );
}

/**
 * Both dates valid, start not after end, and at most `maxDays` apart. A range of days counts both ends
 * (1 to 3 December is 3 days); a stay counts nights (check-in 1, check-out 3 December is 2 nights).
 */
export function checkRange(
  startName: string,
  start: string,
  endName: string,
  end: string,
  maxDays: number,
  counts: 'days' | 'nights' = 'days',
): number {
  checkDate(startName, start);
  checkDate(endName, end);
  const days = daysBetween(start, end);
  if (days < 0) throw new ToolInputError(`${startName} (${start}) is after ${endName} (${end}): swap them.`);
  if (days > maxDays)
    throw new ToolInputError(
      `${startName} to ${endName} ${counts === 'days' ? `covers ${days + 1} days, both included; at most ${maxDays + 1}` : `is ${days} nights; at most ${maxDays}`} are allowed. Ask for a shorter range, for example ${start} to ${addDays(start, maxDays)}.`,
    );
  return days;
}
