/**
 * A calendar change, day by day: the values a write sets on each day, what each day held before, runs of
 * days that change alike, and the reservations that forbid touching a night's availability. Pure
 * functions: the calendar writes (hostaway_update_calendar, and an undo that restores days) read and
 * send through the client, then decide here.
 */
import { addDays, dayNumber } from '../hostaway/dates.js';
import type { CalendarDay, CalendarUpdateBody } from '../hostaway/schemas.js';

/** The day fields a calendar write may set, under the names the tools use (`available` is `isAvailable`). */
export const FIELDS = ['available', 'price', 'minimumStay', 'maximumStay', 'note'] as const;
export type Field = (typeof FIELDS)[number];

export interface Values {
  available?: boolean;
  price?: number | null;
  minimumStay?: number | null;
  maximumStay?: number | null;
  note?: string | null;
}

/** One day as kept in a snapshot: its values and its status (why it is not available). */
export interface DayRecord extends Required<Values> {
  date: string;
  status: string | null;
}

/** A stay that holds a night, as the calendar day names it. */
export interface Holder {
  id: number | null;
  guest: string | null;
  arrival: string | null;
  departure: string | null;
}

export interface DayState extends DayRecord {
  /** Stays holding the night; empty when free or closed by the host. */
  holders: Holder[];
  /** The day counts units: a multi-unit listing, which blocks through desiredUnitsToSell instead. */
  multiUnit: boolean;
}

/** Statuses of a night held by a stay (or by conflicting stays), whatever the reservations list says. */
const HELD_STATUSES = new Set(['reserved', 'mreserved', 'pending', 'conflicted']);

export function dayState(d: CalendarDay): DayState {
  return {
    date: d.date,
    status: d.status ?? null,
    available: d.isAvailable === 1 || d.isAvailable === true,
    price: d.price ?? null,
    minimumStay: d.minimumStay ?? null,
    maximumStay: d.maximumStay ?? null,
    note: d.note ?? null,
    holders: (d.reservations ?? []).map((r) => ({
      id: r.id,
      guest: r.guestName ?? null,
      arrival: r.arrivalDate ?? null,
      departure: r.departureDate ?? null,
    })),
    multiUnit: d.countAvailableUnits !== null && d.countAvailableUnits !== undefined,
  };
}

export function record(d: DayState): DayRecord {
  const { holders: _holders, multiUnit: _multiUnit, ...rest } = d;
  return rest;
}

export function isHeld(d: DayState): boolean {
  return d.holders.length > 0 || HELD_STATUSES.has(d.status ?? '');
}

/** An empty note and no note are the same to a person (Hostaway may give either back). */
function same(field: Field, a: Values[Field], b: Values[Field]): boolean {
  return field === 'note' ? (a ?? '') === (b ?? '') : a === b;
}

/** The fields `want` sets that `have` does not already hold. */
export function differing(have: Values, want: Values): Field[] {
  return FIELDS.filter((f) => want[f] !== undefined && !same(f, have[f], want[f]));
}

export function pick(values: Values, fields: readonly Field[]): Values {
  const out: Values = {};
  for (const f of fields) (out as Record<Field, unknown>)[f] = values[f] ?? null;
  return out;
}

export function fieldsOf(values: Values): Field[] {
  return FIELDS.filter((f) => values[f] !== undefined);
}

/** The body Hostaway takes for one interval: the documented field names, availability as 0/1. */
export function toBody(startDate: string, endDate: string, values: Values): CalendarUpdateBody {
  const body: CalendarUpdateBody = { startDate, endDate };
  if (values.available !== undefined) body.isAvailable = values.available ? 1 : 0;
  if (values.price !== undefined) body.price = values.price;
  if (values.minimumStay !== undefined) body.minimumStay = values.minimumStay;
  if (values.maximumStay !== undefined) body.maximumStay = values.maximumStay;
  if (values.note !== undefined) body.note = values.note;
  return body;
}

export function bodyValues(body: CalendarUpdateBody): Values {
  const out: Values = {};
  if (body.isAvailable !== undefined) out.available = body.isAvailable === 1 || body.isAvailable === true;
  if (body.price !== undefined) out.price = body.price;
  if (body.minimumStay !== undefined) out.minimumStay = body.minimumStay;
  if (body.maximumStay !== undefined) out.maximumStay = body.maximumStay;
  if (body.note !== undefined) out.note = body.note;
  return out;
}

/** Each day the intervals cover, with the values its interval sets (intervals never overlap). */
export function wantedDays(intervals: readonly CalendarUpdateBody[]): Array<{ date: string; want: Values }> {
  return intervals.flatMap((body) => {
    const want = bodyValues(body);
    const out: Array<{ date: string; want: Values }> = [];
    for (let d = body.startDate; d <= body.endDate; d = addDays(d, 1)) out.push({ date: d, want });
    return out;
  });
}

/** The first and last day of some intervals. */
export function spanOf(intervals: readonly { startDate: string; endDate: string }[]): {
  from: string;
  to: string;
} {
  const starts = intervals.map((i) => i.startDate).sort();
  const ends = intervals.map((i) => i.endDate).sort();
  return { from: starts[0] as string, to: ends[ends.length - 1] as string };
}

/** Ranges sorted, with overlapping or touching ones joined (they set the same values). */
export function mergeRanges(
  ranges: readonly { startDate: string; endDate: string }[],
): Array<{ startDate: string; endDate: string }> {
  const out: Array<{ startDate: string; endDate: string }> = [];
  for (const r of [...ranges].sort((a, b) => a.startDate.localeCompare(b.startDate))) {
    const last = out[out.length - 1];
    if (last && dayNumber(r.startDate) <= dayNumber(last.endDate) + 1) {
      if (r.endDate > last.endDate) last.endDate = r.endDate;
    } else out.push({ ...r });
  }
  return out;
}

/** Consecutive dates whose `key` is equal, as runs: "5 to 9 December: open -> blocked". */
export function runs<T extends { date: string }>(
  items: readonly T[],
  key: (item: T) => string,
): Array<{ from: string; to: string; days: number; first: T }> {
  const out: Array<{ from: string; to: string; days: number; first: T; key: string }> = [];
  for (const item of items) {
    const k = key(item);
    const last = out[out.length - 1];
    if (last && last.key === k && dayNumber(item.date) === dayNumber(last.to) + 1) {
      last.to = item.date;
      last.days++;
    } else out.push({ from: item.date, to: item.date, days: 1, first: item, key: k });
  }
  return out.map(({ key: _key, ...r }) => r);
}

/** Days with their own values as the fewest intervals: consecutive days that take the same values share one. */
export function intervalsOf(days: ReadonlyArray<{ date: string; values: Values }>): CalendarUpdateBody[] {
  return runs(days, (d) => JSON.stringify(d.values)).map((r) => toBody(r.from, r.to, r.first.values));
}

export function dates(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

/**
 * Nights held by a stay whose availability the write would set: each holding stay named once, with the
 * nights it holds among them. Blocking a held night would close it under the guest (and keep it closed
 * if the stay moves or is cancelled); opening one would offer it to a second guest.
 */
export function heldNightBlockers(rows: ReadonlyArray<{ day: DayState; want: Values }>): string[] {
  const touched = rows.filter((r) => r.want.available !== undefined && isHeld(r.day));
  const byStay = new Map<string, { holder: Holder | null; status: string | null; nights: DayState[] }>();
  for (const { day } of touched) {
    const holders: Array<Holder | null> = day.holders.length ? day.holders : [null];
    for (const holder of holders) {
      const key = holder ? `r${holder.id}` : `s${day.status}`;
      const entry = byStay.get(key) ?? { holder, status: day.status, nights: [] };
      entry.nights.push(day);
      byStay.set(key, entry);
    }
  }
  return [...byStay.values()].map(({ holder, status, nights }) => {
    const held = runs(nights, () => '')
      .map((r) => dates(r.from, r.to))
      .join(', ');
    const who = holder
      ? `reservation ${holder.id ?? '(no id)'} (${[holder.guest, holder.arrival && holder.departure ? `${holder.arrival} to ${holder.departure}` : null].filter(Boolean).join(', ') || 'no details'})`
      : `a stay (status ${status ?? 'unknown'})`;
    return `${who} holds the night(s) ${held}: their availability cannot be changed while it does; leave those nights out of the ranges, or change the reservation itself first`;
  });
}

/** Values in words: "open, price 210, min stay 3". */
export function inWords(values: Values): string {
  const parts: string[] = [];
  if (values.available !== undefined) parts.push(values.available ? 'open' : 'blocked');
  if (values.price !== undefined) parts.push(`price ${values.price ?? 'none'}`);
  if (values.minimumStay !== undefined) parts.push(`min stay ${values.minimumStay ?? 'none'}`);
  if (values.maximumStay !== undefined) parts.push(`max stay ${values.maximumStay ?? 'none'}`);
  if (values.note !== undefined) parts.push(values.note ? `note "${values.note}"` : 'no note');
  return parts.join(', ');
}
