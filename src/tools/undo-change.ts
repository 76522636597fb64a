/**
 * Undoing a write this server made, by its change id, through the same two-step protocol:
 * - a calendar change: each day it altered gets back the values it held just before (the change's
 *   snapshot), for the fields the change set; days someone changed since are named before anything is
 *   written. Undoing that undo puts the change back the same way.
 * - a task creation (hostaway_create_task, whose result holds taskId): the task is deleted. A deleted
 *   task cannot be brought back, so that undo cannot be undone.
 * - a sent message cannot be unsent: refused, as is any change that is not done.
 */
import * as z from 'zod';
import type { HostawayClient } from '../client/client.js';
import { HostawayError } from '../client/errors.js';
import { dates, inWords } from '../domain/calendar-change.js';
import { runWrite, type WriteContext, WriteRefused, type WriteSpec } from '../writes/engine.js';
import type { Intent } from '../writes/store.js';
import { CalendarResult, calendarCommit, calendarReconcile, calendarSnapshot } from './calendar-days.js';
import { resultText } from './calendar-write.js';
import { defineTool } from './define.js';
import { findTask, planCalendar, planTask, refusal, type UndoPayload, UndoPreview } from './undo-plans.js';
import { ConfirmationId, OVERWRITES, PROTOCOL, renderWrite, writeOutput } from './write-kit.js';

const UndoInput = z
  .object({
    changeId: z
      .string()
      .regex(/^cf_[A-Za-z0-9_-]{22}$/, 'changeId is the cf_... id a done write returned')
      .describe('the changeId a done write returned (hostaway_recent_changes lists them)'),
    confirmationId: ConfirmationId,
  })
  .strict();
type UndoArgs = z.output<typeof UndoInput>;

const UndoResult = CalendarResult.extend({
  deletedTaskId: z.number().int().nullable().describe('the task deleted, when the change created one'),
});
type UndoResult = z.infer<typeof UndoResult>;

function undoSpec(
  client: HostawayClient,
  writes: WriteContext,
): WriteSpec<UndoArgs, UndoPayload, UndoResult> {
  return {
    tool: 'hostaway_undo_change',
    idempotent: true,
    async plan(args, signal) {
      const intent = await (await writes.store()).getIntent(args.changeId);
      const refuse = (why: string) => refusal(args.changeId, intent, why);
      if (!intent)
        return refuse(
          `no change has id ${args.changeId} in this server's write store: change ids come from a done write's answer (changeId) or hostaway_recent_changes, and a server in demo mode keeps them in memory only, until it restarts`,
        );
      // Several accounts: a change is undone in the account it was made in (its preview's audit says which).
      if (writes.account !== undefined) {
        const [made] = await (await writes.store()).recentAudit({
          intentId: intent.id,
          action: 'preview',
          limit: 1,
        });
        const madeIn = made?.detail?.account;
        if (typeof madeIn === 'string' && madeIn !== writes.account)
          return refuse(
            `that change was made in the account "${madeIn}", not "${writes.account}": undo it with account "${madeIn}"`,
          );
      }
      if (intent.state !== 'done') return refuse(notDone(intent));
      const payload = intent.payload as UndoPayload;
      switch (intent.tool) {
        case 'hostaway_send_message':
          return refuse(
            'a sent message cannot be unsent: Hostaway has no way to take it back from the guest. If it needs correcting, send a follow-up with hostaway_send_message',
          );
        case 'hostaway_update_calendar':
          return planCalendar(client, intent, signal);
        case 'hostaway_create_task':
          return planTask(client, intent, signal);
        case 'hostaway_undo_change':
          if (payload.kind === 'calendar') return planCalendar(client, intent, signal);
          return refuse(
            'that change undid a task creation by deleting the task; a deleted task cannot be brought back by an undo: create it again with hostaway_create_task',
          );
        default:
          return refuse(`changes made by ${intent.tool} cannot be undone by this tool`);
      }
    },
    async snapshot(payload, signal) {
      if (payload.kind === 'calendar') return calendarSnapshot(client, payload, signal);
      if (payload.kind !== 'task') throw new WriteRefused('there is nothing to undo');
      client.forget('tasks');
      const task = await findTask(client, payload.taskId, signal);
      if (!task) throw new WriteRefused(`task ${payload.taskId} no longer exists: it was deleted already`);
      return { task };
    },
    async commit(payload, snapshot, signal) {
      if (payload.kind === 'calendar')
        return { ...(await calendarCommit(client, payload, snapshot, signal)), deletedTaskId: null };
      if (payload.kind !== 'task') throw new WriteRefused('there is nothing to undo');
      try {
        await client.tasks.delete(payload.taskId, signal);
      } catch (err) {
        // A DELETE repeated after a lost answer meets a 404: the first one took; the read-back says so.
        if (!(err instanceof HostawayError && err.kind === 'not_found')) throw err;
      }
      try {
        client.forget('tasks');
        const still = await findTask(client, payload.taskId, signal);
        return taskResult(payload.taskId, !still, null);
      } catch (err) {
        return taskResult(payload.taskId, false, err instanceof Error ? err.message : String(err));
      }
    },
    async reconcile(payload, intent, signal) {
      if (payload.kind === 'calendar') {
        const r = await calendarReconcile(client, payload, intent, signal);
        return r?.took ? { took: true, result: { ...r.result, deletedTaskId: null } } : r;
      }
      if (payload.kind !== 'task') return { took: false };
      client.forget('tasks');
      const still = await findTask(client, payload.taskId, signal);
      return still ? { took: false } : { took: true, result: taskResult(payload.taskId, true, null) };
    },
  };
}

function taskResult(taskId: number, gone: boolean, readBackError: string | null): UndoResult {
  return { daysChanged: 0, verified: gone, notApplied: [], readBackError, deletedTaskId: taskId };
}

function notDone(intent: Intent): string {
  switch (intent.state) {
    case 'pending':
      return 'that change was previewed but never confirmed: nothing was changed, so there is nothing to undo';
    case 'committing':
      return 'that change is being committed right now: wait for its outcome, then undo it';
    case 'failed':
      return 'that change did not take (failed): nothing was changed, so there is nothing to undo';
    default:
      return `that change's outcome is unknown: confirm it again with ${intent.tool} (the same arguments and id) to settle whether it took, then undo it`;
  }
}

const UndoOutput = writeOutput(UndoPreview, UndoResult);

export const undoChange = defineTool({
  name: 'hostaway_undo_change',
  title: 'Undo a change',
  description: `Undoes a write this server made, by the changeId its answer gave (hostaway_recent_changes lists them). A calendar change (hostaway_update_calendar): every day it altered gets back the values it held just before, for the fields it set; the preview shows each day now and restored, and names days someone changed since. A task creation: the task is deleted. A sent message cannot be unsent, and a change that is not done has nothing to undo: both are refused with the reason. ${PROTOCOL} After the commit the days are read back and compared with the values from before the change.`,
  toolset: 'account',
  input: UndoInput,
  output: UndoOutput,
  annotations: OVERWRITES,
  handler: async (args, ctx) =>
    runWrite(undoSpec(ctx.client, ctx.writes), args, ctx.writes, ctx.signal) as Promise<
      z.output<typeof UndoOutput>
    >,
  render: (o) => {
    const p = o.preview;
    const head = `Change ${p.change.id}${p.change.tool ? ` (${p.change.tool}, ${p.change.state}${p.change.at ? ` at ${p.change.at}` : ''}): ${p.change.target}` : ''}`;
    const body =
      p.kind === 'calendar'
        ? [
            `${p.listing?.name ?? 'listing'}: ${p.daysRestored} day(s) restored, ${p.daysAlready} already as before`,
            ...p.days.map(
              (d) =>
                `${dates(d.from, d.to)}${d.days > 1 ? ` (${d.days} days)` : ''}: now ${inWords(d.current)} -> ${inWords(d.restored)}`,
            ),
          ]
        : p.task
          ? [`Delete task ${p.task.id} (${p.task.title}, ${p.task.status ?? 'no status'})`]
          : [];
    const warnings = p.warnings.length ? [`Warnings: ${p.warnings.join('; ')}`] : [];
    return renderWrite(o, [head, ...body, ...warnings].join('\n'), (r) =>
      r.deletedTaskId !== null
        ? `Task ${r.deletedTaskId} ${r.verified ? 'deleted (read back: gone)' : 'delete sent, but it still reads back'}.`
        : resultText(r),
    );
  },
});
