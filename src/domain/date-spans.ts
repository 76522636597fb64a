/**
 * Spans of calendar dates, both ends included, for questions that compare periods: the same dates a
 * year earlier, the period just before, the months ahead, and a few spans joined into fewer requests.
 */
import { addDays, dayNumber, daysBetween } from '../hostaway/dates.js';

export interface Span {
  /** First date, YYYY-MM-DD. */
  from: string;
  /** Last date, included. */
  to: string;
}

/** Days in a span, both ends counted. */
export function spanDays(span: Span): number {
  return daysBetween(span.from, span.to) + 1;
}

/** The same calendar date `years` later (earlier when negative); 29 February becomes the 28th. */
export function shiftYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${date.slice(5, 7)}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The span of the same length that ends the day before `span` starts. */
export function previousSpan(span: Span): Span {
  const days = spanDays(span);
  return { from: addDays(span.from, -days), to: addDays(span.from, -1) };
}

/** The same dates a year earlier. */
export function yearEarlier(span: Span): Span {
  return { from: shiftYears(span.from, -1), to: shiftYears(span.to, -1) };
}

/** `YYYY-MM` of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The last day of the month `date` falls in. */
export function monthEnd(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 8)}${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * The rest of the current month from `today`, then `count - 1` whole months after it: the windows a
 * pace report looks at. Empty when `count` is 0.
 */
export function monthsAhead(today: string, count: number): Span[] {
  const out: Span[] = [];
  let from = today;
  for (let i = 0; i < count; i++) {
    const to = monthEnd(from);
    out.push({ from, to });
    from = addDays(to, 1);
  }
  return out;
}

/**
 * Spans joined where they overlap or lie at most `maxGapDays` apart, in date order: one request per
 * joined span reads a few days it did not need rather than making another request.
 */
export function joinSpans(spans: readonly Span[], maxGapDays: number): Span[] {
  const sorted = [...spans].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && dayNumber(s.from) - dayNumber(last.to) - 1 <= maxGapDays) {
      if (s.to > last.to) last.to = s.to;
    } else out.push({ ...s });
  }
  return out;
}

/**
 * Dates grouped into spans of at most `maxDays` days each, a new span where the next date is more than
 * `maxGapDays` after the last: the fewest date-filtered requests that cover them all.
 */
export function coverDates(dates: readonly string[], maxGapDays: number, maxDays: number): Span[] {
  const sorted = [...new Set(dates)].sort();
  const out: Span[] = [];
  for (const date of sorted) {
    const last = out[out.length - 1];
    if (last && daysBetween(last.to, date) - 1 <= maxGapDays && daysBetween(last.from, date) + 1 <= maxDays)
      last.to = date;
    else out.push({ from: date, to: date });
  }
  return out;
}
