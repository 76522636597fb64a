/**
 * What both calendar writes (hostaway_update_calendar, and hostaway_undo_change restoring days) do with
 * Hostaway once a change is planned: read the days fresh, keep them before writing (and refuse if a stay
 * now holds a night whose availability would change), send the intervals, and read every day back to
 * say which took. The payload is the exact list of intervals sent.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import {
  type DayRecord,
  type DayState,
  dayState,
  differing,
  fieldsOf,
  heldNightBlockers,
  pick,
  record,
  spanOf,
  type Values,
  wantedDays,
} from '../domain/calendar-change.js';
import { ToolInputError } from '../domain/errors.js';
import { type CalendarUpdateBody, MAX_CALENDAR_INTERVALS } from '../hostaway/schemas.js';
import { type Reconciled, WriteRefused } from '../writes/engine.js';
import type { Intent } from '../writes/store.js';

export const ValuesOut = z.object({
  available: z.boolean().optional().describe('open for booking (false: blocked)'),
  price: z.number().nullable().optional(),
  minimumStay: z.number().int().nullable().optional(),
  maximumStay: z.number().int().nullable().optional(),
  note: z.string().nullable().optional(),
});

export const CalendarResult = z.object({
  daysChanged: z.number().int().describe('days whose values the write changed'),
  verified: z.boolean().describe('every day was read back afterwards holding the values sent'),
  notApplied: z
    .array(z.object({ date: z.string(), expected: ValuesOut, found: ValuesOut }))
    .describe('days read back without the values sent'),
  readBackError: z.string().nullable().describe('why the days could not be read back, when they could not'),
});
export type CalendarResult = z.infer<typeof CalendarResult>;

/** The exact content of a calendar write: the intervals PUT, in Hostaway's own body form. */
export type CalendarPayload = {
  kind: 'calendar';
  listingId: number;
  listing: string;
  intervals: CalendarUpdateBody[];
};

/** Each day the write covers, as it was just before the write. */
export type CalendarSnapshot = { days: DayRecord[] };

export type Row = { date: string; want: Values; day: DayState };

/** The days from `from` to `to`, read from Hostaway itself (never the cache), with their stays. */
export async function readDays(
  client: HostawayClient,
  listingId: number,
  from: string,
  to: string,
  signal: AbortSignal,
): Promise<Map<string, DayState>> {
  client.forget('calendar');
  const days = await client.calendar.get(
    listingId,
    { startDate: from, endDate: to, includeResources: true },
    signal,
  );
  return new Map(days.map((d) => [d.date, dayState(d)]));
}

/** Each day of the intervals: the values to set and what it holds now. */
export async function rowsOf(
  client: HostawayClient,
  listingId: number,
  intervals: readonly CalendarUpdateBody[],
  signal: AbortSignal,
): Promise<Row[]> {
  const { from, to } = spanOf(intervals);
  const now = await readDays(client, listingId, from, to, signal);
  return wantedDays(intervals).map(({ date, want }) => {
    const day = now.get(date);
    if (!day)
      throw new ToolInputError(
        `Hostaway's calendar of listing ${listingId} has no day ${date} (it returned ${now.size} days for ${from} to ${to}), so it cannot be changed.`,
      );
    return { date, want, day };
  });
}

/** Before the write: every day as it is now, unless a stay has since taken a night to be opened or closed. */
export async function calendarSnapshot(
  client: HostawayClient,
  payload: CalendarPayload,
  signal: AbortSignal,
): Promise<CalendarSnapshot> {
  const rows = await rowsOf(client, payload.listingId, payload.intervals, signal);
  const held = heldNightBlockers(rows);
  if (held.length) throw new WriteRefused(`since the preview, ${held.join('; ')}`);
  return { days: rows.map((r) => record(r.day)) };
}

/** Sends the intervals, then reads every day back: which did not take. */
export async function calendarCommit(
  client: HostawayClient,
  payload: CalendarPayload,
  snapshot: unknown,
  signal: AbortSignal,
): Promise<CalendarResult> {
  await send(client, payload, signal);
  const daysChanged = changedDays(payload, snapshot as CalendarSnapshot | null);
  try {
    const notApplied = misses(await rowsOf(client, payload.listingId, payload.intervals, signal));
    return { daysChanged, verified: notApplied.length === 0, notApplied, readBackError: null };
  } catch (err) {
    return { daysChanged, verified: false, notApplied: [], readBackError: messageOf(err) };
  }
}

/**
 * After a lost answer: every day holds its new values (took); no day the write was to change holds them
 * (did not take); some do and some do not: cannot tell.
 */
export async function calendarReconcile(
  client: HostawayClient,
  payload: CalendarPayload,
  intent: Intent,
  signal: AbortSignal,
): Promise<Reconciled<CalendarResult> | undefined> {
  const rows = await rowsOf(client, payload.listingId, payload.intervals, signal);
  const snapshot = intent.snapshot as CalendarSnapshot | null;
  if (misses(rows).length === 0)
    return {
      took: true,
      result: {
        daysChanged: changedDays(payload, snapshot),
        verified: true,
        notApplied: [],
        readBackError: null,
      },
    };
  const before = new Map((snapshot?.days ?? []).map((d) => [d.date, d]));
  // Without a snapshot every day counts: only a calendar where none holds the new values proves nothing took.
  const toChange = snapshot
    ? rows.filter((r) => {
        const was = before.get(r.date);
        return !was || differing(was, r.want).length > 0;
      })
    : rows;
  return toChange.every((r) => differing(r.day, r.want).length > 0) ? { took: false } : undefined;
}

async function send(client: HostawayClient, payload: CalendarPayload, signal: AbortSignal): Promise<void> {
  const { listingId, intervals } = payload;
  const [only] = intervals;
  if (intervals.length === 1 && only) {
    await client.calendar.update(listingId, only, signal);
    return;
  }
  for (let i = 0; i < intervals.length; i += MAX_CALENDAR_INTERVALS) {
    try {
      await client.calendar.updateIntervals(
        listingId,
        intervals.slice(i, i + MAX_CALENDAR_INTERVALS),
        signal,
      );
    } catch (err) {
      if (i === 0) throw err;
      // Part of the calendar is written: not a failure that proves nothing changed.
      throw new Error(
        `Hostaway took the first ${i} of ${intervals.length} intervals, then: ${messageOf(err)}`,
      );
    }
  }
}

function changedDays(payload: CalendarPayload, snapshot: CalendarSnapshot | null): number {
  const before = new Map((snapshot?.days ?? []).map((d) => [d.date, d]));
  return wantedDays(payload.intervals).filter(({ date, want }) => {
    const was = before.get(date);
    return !was || differing(was, want).length > 0;
  }).length;
}

function misses(rows: readonly Row[]): CalendarResult['notApplied'] {
  return rows
    .filter((r) => differing(r.day, r.want).length > 0)
    .map((r) => ({ date: r.date, expected: r.want, found: pick(r.day, fieldsOf(r.want)) }));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
