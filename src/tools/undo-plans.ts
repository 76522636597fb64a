/**
 * What hostaway_undo_change would do for one change, worked out before anything is written: the days a
 * calendar change altered with their values now and before it, or the task a task creation made.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import { HostawayError } from '../client/errors.js';
import {
  dates,
  differing,
  fieldsOf,
  heldNightBlockers,
  intervalsOf,
  pick,
  runs,
  wantedDays,
} from '../domain/calendar-change.js';
import type { WritePlan } from '../writes/engine.js';
import type { Intent } from '../writes/store.js';
import {
  type CalendarPayload,
  type CalendarSnapshot,
  type Row,
  readDays,
  ValuesOut,
} from './calendar-days.js';
import { ToolInputError } from './define.js';

export const UndoPreview = z.object({
  change: z.object({
    id: z.string(),
    tool: z.string().nullable(),
    target: z.string().nullable(),
    state: z.string().nullable(),
    at: z.string().nullable().describe('when it was done (UTC)'),
  }),
  kind: z
    .enum(['calendar', 'task'])
    .nullable()
    .describe('what the undo does: restore calendar days, or delete the created task; null when it cannot'),
  listing: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  daysRestored: z.number().int().describe('days that get their earlier values back'),
  daysAlready: z.number().int().describe('days the change altered that already hold their earlier values'),
  days: z
    .array(
      z.object({
        from: z.string(),
        to: z.string(),
        days: z.number().int(),
        current: ValuesOut,
        restored: ValuesOut,
      }),
    )
    .describe('runs of consecutive days restored alike'),
  task: z.object({ id: z.number().int(), title: z.string(), status: z.string().nullable() }).nullable(),
  warnings: z.array(z.string()),
});
export type UndoPreview = z.infer<typeof UndoPreview>;

export type TaskPayload = { kind: 'task'; taskId: number; title: string };
export type UndoPayload = CalendarPayload | TaskPayload | { kind: 'none' };

/** Puts back, on each day the change altered, the values the day held just before it. */
export async function planCalendar(
  client: HostawayClient,
  intent: Intent,
  signal: AbortSignal,
): Promise<WritePlan<UndoPayload>> {
  const change = intent.payload as CalendarPayload;
  const before = (intent.snapshot as CalendarSnapshot | null)?.days ?? [];
  const first = before[0];
  const last = before[before.length - 1];
  if (!first || !last)
    return refusal(
      intent.id,
      intent,
      'no record of the days before this change was kept, so there is nothing to restore',
    );
  const setByChange = new Map(wantedDays(change.intervals).map((w) => [w.date, w.want]));
  const current = await readDays(client, change.listingId, first.date, last.date, signal);
  const rows: Row[] = [];
  const since: Array<{ date: string; fields: string }> = [];
  const warnings: string[] = [];
  let already = 0;
  for (const was of before) {
    const set = setByChange.get(was.date);
    const altered = set ? differing(was, set) : [];
    // Hostaway has no empty price or stay limit to go back to: those stay as they are.
    const restorable = altered.filter((f) => f === 'note' || f === 'available' || was[f] !== null);
    if (restorable.length < altered.length)
      warnings.push(
        `${was.date}: ${altered.filter((f) => !restorable.includes(f)).join(', ')} had no value before; left as is`,
      );
    if (!set || restorable.length === 0) continue;
    const day = current.get(was.date);
    if (!day)
      throw new ToolInputError(
        `Hostaway's calendar of listing ${change.listingId} no longer has day ${was.date}.`,
      );
    const want = pick(was, restorable);
    // A value that is neither the change's nor the one before it: someone set it since, and the undo overwrites it.
    const moved = differing(day, pick(set, restorable)).filter((f) => differing(day, pick(want, [f])).length);
    if (moved.length) since.push({ date: was.date, fields: moved.join(', ') });
    if (differing(day, want).length === 0) already++;
    else rows.push({ date: was.date, want, day });
  }
  if (since.length)
    warnings.unshift(
      `changed since this change (by someone else or another write) to values the undo overwrites: ${runs(
        since,
        (s) => s.fields,
      )
        .map((r) => `${dates(r.from, r.to)} (${r.first.fields})`)
        .join(', ')}; the undo puts back the values from before the change all the same`,
    );
  if (intent.tool === 'hostaway_undo_change')
    warnings.push('this change was itself an undo: undoing it puts back the values that undo had replaced');
  const blockers = heldNightBlockers(rows);
  if (rows.length === 0)
    blockers.push(
      'every day this change altered already holds its earlier values: there is nothing to restore',
    );
  const preview: UndoPreview = {
    ...emptyPreview(intent.id, intent),
    kind: 'calendar',
    listing: { id: change.listingId, name: change.listing },
    daysRestored: rows.length,
    daysAlready: already,
    days: runs(rows, (r) => JSON.stringify([pick(r.day, fieldsOf(r.want)), r.want])).map((run) => ({
      from: run.from,
      to: run.to,
      days: run.days,
      current: pick(run.first.day, fieldsOf(run.first.want)),
      restored: run.first.want,
    })),
    warnings,
  };
  return {
    target: `undo of ${intent.id}: calendar of listing ${change.listingId} (${change.listing})`,
    payload: {
      kind: 'calendar',
      listingId: change.listingId,
      listing: change.listing,
      intervals: intervalsOf(rows.map((r) => ({ date: r.date, values: r.want }))),
    },
    preview,
    summary: `Undo ${intent.id} on ${change.listing}: put back the earlier values of ${rows.length} day(s).`,
    blockers: blockers.length ? blockers : undefined,
  };
}

/** Deletes the task the change created. */
export async function planTask(
  client: HostawayClient,
  intent: Intent,
  signal: AbortSignal,
): Promise<WritePlan<UndoPayload>> {
  const taskId = (intent.outcome?.result as { taskId?: unknown } | undefined)?.taskId;
  if (typeof taskId !== 'number')
    return refusal(intent.id, intent, 'the task creation recorded no task id, so there is no task to delete');
  client.forget('tasks');
  const task = await findTask(client, taskId, signal);
  if (!task) return refusal(intent.id, intent, `task ${taskId} no longer exists: it was deleted already`);
  const warnings =
    task.status && task.status !== 'pending'
      ? [`the task is ${task.status}: deleting it removes that record as well`]
      : [];
  return {
    target: `undo of ${intent.id}: task ${taskId} (${task.title})`,
    payload: { kind: 'task', taskId, title: task.title },
    preview: {
      ...emptyPreview(intent.id, intent),
      kind: 'task',
      task: { id: taskId, title: task.title, status: task.status ?? null },
      warnings,
    },
    summary: `Undo ${intent.id}: delete task ${taskId} (${task.title}).`,
  };
}

export async function findTask(client: HostawayClient, id: number, signal: AbortSignal) {
  try {
    return await client.tasks.get(id, signal);
  } catch (err) {
    if (err instanceof HostawayError && err.kind === 'not_found') return undefined;
    throw err;
  }
}

export function emptyPreview(id: string, intent: Intent | undefined): UndoPreview {
  return {
    change: {
      id,
      tool: intent?.tool ?? null,
      target: intent?.target ?? null,
      state: intent?.state ?? null,
      at: intent ? new Date(intent.updatedAt).toISOString() : null,
    },
    kind: null,
    listing: null,
    daysRestored: 0,
    daysAlready: 0,
    days: [],
    task: null,
    warnings: [],
  };
}

export function refusal(id: string, intent: Intent | undefined, why: string): WritePlan<UndoPayload> {
  return {
    target: intent ? `undo of ${id}: ${intent.target}` : `undo of ${id}`,
    payload: { kind: 'none' },
    preview: emptyPreview(id, intent),
    summary: `Cannot undo ${id}: ${why}.`,
    blockers: [why],
  };
}
