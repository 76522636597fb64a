/**
 * The availability calendar: listings down, days across. Each day's state as one word (and one
 * character in text), the reservations seen on the days once each, the span a month argument means,
 * and the compact text grid.
 */
import { addDays, daysBetween, weekday } from '../hostaway/dates.js';
import type { CalendarDay } from '../hostaway/schemas.js';
import { dayView } from './calendar.js';
import { channelLabel } from './channels.js';
import { table } from './render.js';

export type GridState = 'free' | 'reserved' | 'pending' | 'blocked';

export interface GridDay {
  date: string;
  state: GridState;
  price: number | null;
  minStay: number | null;
  reservationId: number | null;
}

export type GridReservation = {
  id: number;
  listingId: number;
  guest: string | null;
  channel: string | null;
  arrival: string | null;
  departure: string | null;
  status: string | null;
};

export interface GridListing {
  id: number;
  name: string;
  timeZone: string;
  today: string;
  days: GridDay[];
}

/** The whole answer, as the tool returns it. */
export interface AvailabilityGrid {
  startDate: string;
  endDate: string;
  listings: GridListing[];
  reservations: GridReservation[];
  total: number;
  nextOffset: number | null;
}

/** One calendar day: free when Hostaway says available, else why not (as hostaway_get_availability says). */
export function gridDay(d: CalendarDay): GridDay {
  const v = dayView(d);
  return {
    date: v.date,
    state: v.reason ?? 'free',
    price: v.price,
    minStay: v.minStay,
    reservationId: v.reservationId,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every reservation attached to any day of the calendars, once (the first calendar naming it owns it),
 * ordered as the calendars are given, then by arrival (unknown last), then by id.
 */
export function collectReservations(
  calendars: ReadonlyArray<{ listingId: number; days: readonly CalendarDay[] }>,
): GridReservation[] {
  const seen = new Map<number, GridReservation & { order: number }>();
  calendars.forEach(({ listingId, days }, order) => {
    for (const d of days)
      for (const r of d.reservations ?? []) {
        if (seen.has(r.id)) continue;
        seen.set(r.id, {
          order,
          id: r.id,
          listingId,
          guest: r.guestName || null,
          channel: r.channelId ? channelLabel(r.channelId, r.channelName) : (r.channelName ?? null),
          arrival: r.arrivalDate ?? null,
          departure: r.departureDate ?? null,
          status: r.status ?? null,
        });
      }
  });
  return [...seen.values()]
    .sort((a, b) => a.order - b.order || compare(a.arrival ?? '9999', b.arrival ?? '9999') || a.id - b.id)
    .map(({ order: _, ...r }) => r);
}

/**
 * The first and last day of a month argument: `YYYY-MM`, or `this` / `next` month counted from
 * `today` (a YYYY-MM-DD date).
 */
export function monthSpan(month: string, today: string): { startDate: string; endDate: string } {
  let first: string;
  if (month === 'this' || month === 'next') {
    first = `${today.slice(0, 7)}-01`;
    if (month === 'next') first = `${addDays(first, 31).slice(0, 7)}-01`;
  } else first = `${month}-01`;
  const next = `${addDays(first, 31).slice(0, 7)}-01`;
  return { startDate: first, endDate: addDays(next, -1) };
}

/** Every date from `start` to `end`, both included. */
export function datesOf(start: string, end: string): string[] {
  const n = daysBetween(start, end);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(start, i));
}

const CHAR: Record<GridState, string> = { free: '.', reserved: 'R', pending: 'P', blocked: 'B' };
/** A date the calendar did not return. */
const MISSING = '?';

/** The dates cut into calendar weeks: a new group starts on each Monday. */
function weeks(dates: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const date of dates) {
    const last = out[out.length - 1];
    if (last && weekday(date) !== 1) last.push(date);
    else out.push([date]);
  }
  return out;
}

/** One character per date (`?` for a date the calendar lacks), a space before each Monday. */
export function gridLine(days: readonly GridDay[], dates: readonly string[]): string {
  const byDate = new Map(days.map((d) => [d.date, d.state]));
  return weeks(dates)
    .map((week) =>
      week
        .map((date) => {
          const state = byDate.get(date);
          return state ? CHAR[state] : MISSING;
        })
        .join(''),
    )
    .join(' ');
}

/** Above the grid: the day of the month each week starts on, where it fits. */
export function ruler(dates: readonly string[]): string {
  return weeks(dates)
    .map((week) => {
      const day = String(Number((week[0] as string).slice(8, 10)));
      return day.length <= week.length ? day.padEnd(week.length) : ' '.repeat(week.length);
    })
    .join(' ')
    .trimEnd();
}

const oneLine = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/**
 * The answer as text: a header with the range and the page, a legend, a ruler, one line per listing,
 * then the reservations as a table. The page's first listing follows from the answer itself: the page
 * ends at nextOffset, or at the last listing when there is no next page.
 */
export function renderGrid(o: AvailabilityGrid): string {
  const dates = datesOf(o.startDate, o.endDate);
  const offset = (o.nextOffset ?? o.total) - o.listings.length;
  const shown = o.listings.length
    ? `listings ${offset + 1}-${offset + o.listings.length} of ${o.total}`
    : 'no listings in scope';
  const head = `Availability ${o.startDate}..${o.endDate} (${dates.length} days), ${shown}${o.nextOffset !== null ? `; next page: offset=${o.nextOffset}` : ''}`;
  const labels = o.listings.map((l) => `${oneLine(l.name)} (#${l.id}, today ${l.today})`);
  const lines = o.listings.map((l) => gridLine(l.days, dates));
  const width = Math.max(0, ...labels.map((l) => l.length));
  const missing = lines.some((l) => l.includes(MISSING));
  const legend = `. free  R reserved  P pending  B blocked${missing ? '  ? not returned' : ''}; a space before each Monday; above: the day of the month each week starts`;
  const rows = lines.map((line, i) => `${(labels[i] as string).padEnd(width)}  ${line}`);
  const reservations = o.reservations.length
    ? `reservations (${o.reservations.length}):\n${table(o.reservations, ['id', 'listingId', 'guest', 'channel', 'arrival', 'departure'])}`
    : 'reservations: none on these days';
  return [
    head,
    ...(o.listings.length ? [legend, `${' '.repeat(width)}  ${ruler(dates)}`, ...rows, reservations] : []),
  ].join('\n');
}
