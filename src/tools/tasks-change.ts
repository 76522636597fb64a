/**
 * Changing and deleting a task through the two-step write protocol. An update sends only the fields
 * that change, after checking at commit time that nobody changed them since the preview, and reads the
 * task back to verify; a deletion keeps the whole task in its snapshot, so that it could be recreated.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import { HostawayError } from '../client/errors.js';
import { TASK_STATUSES, type Task } from '../hostaway/schemas.js';
import { runWrite, WriteRefused, type WriteSpec } from '../writes/engine.js';
import { defineTool, ToolInputError } from './define.js';
import { listingIndex } from './listing-index.js';
import { localTime, TaskLine, taskLine, taskZone } from './tasks-read.js';
import { WhenArg, whenArg } from './tasks-write.js';
import { ConfirmationId, OVERWRITES, PROTOCOL, renderWrite, writeOutput } from './write-kit.js';

/** The task fields an update may change, under their wire names. */
const FIELDS = [
  'title',
  'description',
  'assigneeUserId',
  'canStartFrom',
  'shouldEndBy',
  'priority',
  'status',
  'resolutionNote',
] as const;
type Field = (typeof FIELDS)[number];
type Value = string | number | null;
type Values = Partial<Record<Field, Value>>;

const NOTHING_GIVEN =
  'Nothing to change: give at least one of title, description, assigneeUserId, unassign, start, due, priority, status or resolutionNote.';

const value = (t: Task, f: Field): Value => (t[f] as Value | undefined) ?? null;
const isTime = (f: Field) => f === 'canStartFrom' || f === 'shouldEndBy';

const UpdateInput = z
  .object({
    taskId: z.number().int().min(1),
    title: z.string().trim().min(1).max(255).optional(),
    description: z.string().trim().min(1).max(5_000).optional(),
    assigneeUserId: z.number().int().min(1).optional().describe('assign to this Hostaway user'),
    unassign: z.boolean().optional().describe('take the assignee off the task'),
    start: WhenArg.optional().describe("new can-start-from time: YYYY-MM-DD HH:MM, the listing's local time"),
    due: WhenArg.optional().describe("new should-end-by time: YYYY-MM-DD HH:MM, the listing's local time"),
    priority: z.number().int().min(0).optional(),
    status: z.enum(TASK_STATUSES).optional().describe('e.g. completed to mark it done, cancelled'),
    resolutionNote: z.string().trim().min(1).max(5_000).optional(),
    confirmationId: ConfirmationId,
  })
  .strict();
type UpdateArgs = z.output<typeof UpdateInput>;

const Change = z.object({
  field: z.enum(FIELDS),
  before: z.string().nullable(),
  after: z.string().nullable(),
});

const UpdatePreview = z.object({
  task: TaskLine.describe('the task as it is now'),
  changes: z.array(Change).describe("before -> after; times in the listing's local time"),
  unchanged: z.array(z.enum(FIELDS)).describe('fields given that already hold that value (not sent)'),
  body: z.record(z.string(), z.unknown()).describe('exactly what is sent to Hostaway (times in UTC)'),
});
type UpdatePreview = z.infer<typeof UpdatePreview>;

const UpdateResult = z.object({
  taskId: z.number().int(),
  changed: z.array(z.enum(FIELDS)),
  verified: z.boolean().describe('reading the task back showed every new value'),
  mismatches: z.array(z.string()).describe('fields that read back different from what was sent'),
});
type UpdateResult = z.infer<typeof UpdateResult>;

type UpdatePayload = { taskId: number; fields: Values; before: Values };

/** The fields of `task` that differ from `wanted`, as words. */
function mismatches(task: Task, wanted: Values): string[] {
  return (Object.keys(wanted) as Field[])
    .filter((f) => value(task, f) !== (wanted[f] ?? null))
    .map((f) => `${f} is ${JSON.stringify(value(task, f))}, not ${JSON.stringify(wanted[f] ?? null)}`);
}

async function freshTask(client: HostawayClient, id: number, signal: AbortSignal): Promise<Task> {
  client.forget('tasks');
  return client.tasks.get(id, signal);
}

function isNotFound(err: unknown): boolean {
  return err instanceof HostawayError && err.kind === 'not_found';
}

function updateSpec(
  client: HostawayClient,
  now: () => number,
): WriteSpec<UpdateArgs, UpdatePayload, UpdateResult> {
  return {
    tool: 'hostaway_update_task',
    idempotent: true,
    async plan(args, signal) {
      if (args.unassign && args.assigneeUserId !== undefined)
        throw new ToolInputError('Give assigneeUserId or unassign, not both.');
      const { taskId: _id, confirmationId: _cf, unassign, ...rest } = args;
      if (!unassign && Object.values(rest).every((v) => v === undefined))
        throw new ToolInputError(NOTHING_GIVEN);
      const task = await freshTask(client, args.taskId, signal);
      const index = await listingIndex(client, signal);
      const zone = taskZone(task, index);
      const at = now();
      const wanted: Values = {
        title: args.title,
        description: args.description,
        assigneeUserId: args.unassign ? null : args.assigneeUserId,
        canStartFrom: args.start && whenArg('start', args.start, zone, at).utc,
        shouldEndBy: args.due && whenArg('due', args.due, zone, at, true).utc,
        priority: args.priority,
        status: args.status,
        resolutionNote: args.resolutionNote,
      };
      const given = FIELDS.filter((f) => wanted[f] !== undefined);
      const changed = given.filter((f) => value(task, f) !== wanted[f]);
      const fields: Values = Object.fromEntries(changed.map((f) => [f, wanted[f] ?? null]));
      const before: Values = Object.fromEntries(changed.map((f) => [f, value(task, f)]));
      const start = fields.canStartFrom ?? value(task, 'canStartFrom');
      const due = fields.shouldEndBy ?? value(task, 'shouldEndBy');
      if (typeof start === 'string' && typeof due === 'string' && due < start)
        throw new ToolInputError(
          `The due time (${localTime(due, zone)}) would be before the start (${localTime(start, zone)}) (${zone}).`,
        );
      const show = (f: Field, v: Value) =>
        v === null ? null : isTime(f) ? localTime(String(v), zone) : String(v);
      const line = taskLine(task, index);
      const preview: UpdatePreview = {
        task: line,
        changes: changed.map((f) => ({
          field: f,
          before: show(f, before[f] ?? null),
          after: show(f, fields[f] ?? null),
        })),
        unchanged: given.filter((f) => !changed.includes(f)),
        body: fields,
      };
      return {
        target: `task ${task.id} "${task.title}"${line.listing ? ` (${line.listing})` : ''}`,
        payload: { taskId: task.id, fields, before },
        preview,
        summary: `Change task ${task.id} "${task.title}": ${preview.changes.map((c) => `${c.field} ${c.before ?? '(none)'} -> ${c.after ?? '(none)'}`).join('; ')}`,
        blockers: changed.length
          ? undefined
          : [`task ${task.id} already has these values: nothing to change`],
      };
    },
    // The values being replaced, checked to be still those the preview showed.
    async snapshot(payload, signal) {
      const task = await freshTask(client, payload.taskId, signal);
      const moved = (Object.keys(payload.fields) as Field[]).filter(
        (f) =>
          value(task, f) !== (payload.before[f] ?? null) && value(task, f) !== (payload.fields[f] ?? null),
      );
      if (moved.length)
        throw new WriteRefused(
          `task ${task.id} changed since the preview (${moved.map((f) => `${f} is now ${JSON.stringify(value(task, f))}`).join(', ')}): nothing was sent; preview again`,
        );
      return {
        taskId: task.id,
        previous: Object.fromEntries(Object.keys(payload.fields).map((f) => [f, value(task, f as Field)])),
      };
    },
    async commit(payload, _snapshot, signal) {
      await client.tasks.update(payload.taskId, payload.fields, signal);
      const wrong = mismatches(await freshTask(client, payload.taskId, signal), payload.fields);
      return {
        taskId: payload.taskId,
        changed: Object.keys(payload.fields) as Field[],
        verified: wrong.length === 0,
        mismatches: wrong,
      };
    },
    async reconcile(payload, _intent, signal) {
      const task = await freshTask(client, payload.taskId, signal);
      return mismatches(task, payload.fields).length
        ? { took: false }
        : {
            took: true,
            result: {
              taskId: payload.taskId,
              changed: Object.keys(payload.fields) as Field[],
              verified: true,
              mismatches: [],
            },
          };
    },
  };
}

const UpdateOutput = writeOutput(UpdatePreview, UpdateResult);

export const updateTask = defineTool({
  name: 'hostaway_update_task',
  title: 'Update a task',
  description: `Changes a task: assign it (assigneeUserId) or unassign it, reschedule it (start, due: YYYY-MM-DD HH:MM in the listing's local time, sent to Hostaway in UTC), complete or cancel it (status), or change its title, description, priority or resolution note. ${PROTOCOL} The preview shows each field before -> after; only the fields that change are sent, after checking that nobody changed them since the preview, and the task is read back to verify.`,
  toolset: 'tasks',
  input: UpdateInput,
  output: UpdateOutput,
  annotations: OVERWRITES,
  handler: async (args, ctx) =>
    runWrite(updateSpec(ctx.client, ctx.now), args, ctx.writes, ctx.signal) as Promise<
      z.output<typeof UpdateOutput>
    >,
  render: (o) =>
    renderWrite(
      o,
      [
        `Task ${o.preview.task.id} "${o.preview.task.title}"${o.preview.task.listing ? ` at ${o.preview.task.listing}` : ''} (times in ${o.preview.task.timeZone})`,
        ...o.preview.changes.map((c) => `${c.field}: ${c.before ?? '(none)'} -> ${c.after ?? '(none)'}`),
        o.preview.unchanged.length ? `already so (not sent): ${o.preview.unchanged.join(', ')}` : '',
        `body: ${JSON.stringify(o.preview.body)}`,
      ]
        .filter(Boolean)
        .join('\n'),
      (r) =>
        r.verified
          ? `Task ${r.taskId} updated (${r.changed.join(', ')}); read back and verified.`
          : `Task ${r.taskId} was sent the change, but reads back different: ${r.mismatches.join('; ')}.`,
    ),
});

// -------------------------------------------------------------------------------------------------

const DeleteInput = z.object({ taskId: z.number().int().min(1), confirmationId: ConfirmationId }).strict();
type DeleteArgs = z.output<typeof DeleteInput>;

const DeletePreview = z.object({
  task: TaskLine,
  description: z.string().nullable(),
  warnings: z.array(z.string()),
});

/** What it takes to recreate a task by hand: its fields, without the ones Hostaway sets itself. */
const RECREATE_FIELDS = [
  'title',
  'description',
  'listingMapId',
  'channelId',
  'reservationId',
  'assigneeUserId',
  'canStartFrom',
  'shouldEndBy',
  'status',
  'priority',
  'cost',
  'costCurrency',
  'color',
  'categoriesMap',
  'resolutionNote',
] as const;

const DeleteResult = z.object({
  taskId: z.number().int(),
  deleted: z.literal(true),
  removed: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('the task as it was (its fields for a new task, times in UTC)'),
});
type DeleteResult = z.infer<typeof DeleteResult>;

function recreateBody(task: Task | null | undefined): Record<string, unknown> | null {
  if (!task) return null;
  return Object.fromEntries(RECREATE_FIELDS.filter((f) => task[f] != null).map((f) => [f, task[f]]));
}

function deleteSpec(client: HostawayClient): WriteSpec<DeleteArgs, { taskId: number }, DeleteResult> {
  // The engine hands reconcile() the intent as claimed, before its snapshot was saved: keep our own.
  let taken: Task | undefined;
  return {
    tool: 'hostaway_delete_task',
    idempotent: true,
    async plan(args, signal) {
      const task = await freshTask(client, args.taskId, signal);
      const index = await listingIndex(client, signal);
      const line = taskLine(task, index);
      const warnings =
        task.status === 'inProgress' ? ['the task is in progress: someone may be doing it now'] : [];
      return {
        target: `task ${task.id} "${task.title}"${line.listing ? ` (${line.listing})` : ''}`,
        payload: { taskId: task.id },
        preview: { task: line, description: task.description ?? null, warnings },
        summary: `Delete task ${task.id} "${task.title}"${line.listing ? ` at ${line.listing}` : ''} (${line.status ?? 'no status'}, start ${line.start ?? 'not set'}).`,
      };
    },
    // The whole task as it was, read just before deleting (fails, sending nothing, if it is gone).
    async snapshot(payload, signal) {
      taken = await freshTask(client, payload.taskId, signal);
      return taken;
    },
    async commit(payload, snapshot, signal) {
      try {
        await client.tasks.delete(payload.taskId, signal);
      } catch (err) {
        // It was there a moment ago: a 404 now (a retry after a lost answer, or someone else) means gone.
        if (!isNotFound(err)) throw err;
      }
      return { taskId: payload.taskId, deleted: true, removed: recreateBody(snapshot as Task) };
    },
    async reconcile(payload, intent, signal) {
      try {
        await freshTask(client, payload.taskId, signal);
        return { took: false };
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const removed = recreateBody((intent.snapshot as Task | null) ?? taken);
        return { took: true, result: { taskId: payload.taskId, deleted: true, removed } };
      }
    },
  };
}

const DeleteOutput = writeOutput(DeletePreview, DeleteResult);

export const deleteTask = defineTool({
  name: 'hostaway_delete_task',
  title: 'Delete a task',
  description: `Deletes a task. ${PROTOCOL} The preview shows the task; the whole task is kept with the change (and returned) so that it could be recreated by hand. Deleting cannot be undone in Hostaway; to call a task off while keeping it, hostaway_update_task with status cancelled is gentler.`,
  toolset: 'tasks',
  input: DeleteInput,
  output: DeleteOutput,
  annotations: OVERWRITES,
  handler: async (args, ctx) =>
    runWrite(deleteSpec(ctx.client), args, ctx.writes, ctx.signal) as Promise<z.output<typeof DeleteOutput>>,
  render: (o) => {
    const t = o.preview.task;
    return renderWrite(
      o,
      [
        `Task ${t.id} "${t.title}"${t.listing ? ` at ${t.listing}` : ''}${t.reservationId ? `, reservation ${t.reservationId}` : ''}: ${t.status ?? 'no status'}, start ${t.start ?? 'not set'}, due ${t.due ?? 'not set'} (${t.timeZone}), ${t.assigneeUserId ? `assignee user ${t.assigneeUserId}` : 'unassigned'}`,
        o.preview.description ? `description: ${o.preview.description}` : '',
        o.preview.warnings.length ? `Warnings: ${o.preview.warnings.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      (r) => `Task ${r.taskId} deleted.${r.removed ? ` It was: ${JSON.stringify(r.removed)}` : ''}`,
    );
  },
});
