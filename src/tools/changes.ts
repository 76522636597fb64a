/**
 * The audit log as a read tool: what was previewed, confirmed, committed, refused or reconciled, when,
 * by whom, and with what result. It reads the server's own write store, not Hostaway.
 */
import * as z from 'zod';
import { AUDIT_ACTIONS } from '../writes/store.js';
import { defineTool } from './define.js';

export const recentChanges = defineTool({
  name: 'hostaway_recent_changes',
  title: 'Recent changes (audit log)',
  description:
    'This server\'s audit log of writes, newest first: every preview, confirmation, commit (with its result: done, failed, unknown), refusal and read-back, with the tool, the target, who called (token name or local), the change id and a digest of the content. Filter by tool, action, result, changeId or since (UTC time). Use it to answer "what did we change today?" or to find a change id to undo.',
  toolset: 'account',
  input: z
    .object({
      tool: z.string().optional().describe('e.g. hostaway_send_message'),
      action: z.enum(AUDIT_ACTIONS).optional(),
      result: z.string().optional().describe('e.g. done, failed, unknown, refused'),
      changeId: z.string().optional().describe('one change: its preview, confirmation and outcome'),
      since: z.iso.datetime({ offset: true }).optional().describe('UTC time, e.g. 2026-11-29T08:00:00Z'),
      limit: z.number().int().min(1).max(200).default(30),
    })
    .strict(),
  output: z.object({
    entries: z.array(
      z.object({
        at: z.string().describe('UTC'),
        tool: z.string(),
        action: z.enum(AUDIT_ACTIONS),
        result: z.string(),
        target: z.string().nullable(),
        changeId: z.string().nullable(),
        caller: z.string(),
        digest: z.string().nullable().describe('first 12 hex digits of the content digest'),
        detail: z.string().nullable(),
      }),
    ),
    store: z.enum(['memory', 'embedded', 'postgres']),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  needsWrites: true,
  handler: async (args, ctx) => {
    const store = await ctx.writes.store();
    const entries = await store.recentAudit({
      tool: args.tool,
      action: args.action,
      result: args.result,
      intentId: args.changeId,
      since: args.since ? Date.parse(args.since) : undefined,
      limit: args.limit,
    });
    return {
      store: store.kind,
      entries: entries.map((e) => ({
        at: new Date(e.at).toISOString(),
        tool: e.tool,
        action: e.action,
        result: e.result,
        target: e.target,
        changeId: e.intentId || null,
        caller: e.caller,
        digest: e.digest ? e.digest.slice(0, 12) : null,
        detail: e.detail ? JSON.stringify(e.detail).slice(0, 300) : null,
      })),
    };
  },
  render: (o) =>
    o.entries.length === 0
      ? 'No changes recorded.'
      : o.entries
          .map(
            (e) =>
              `${e.at} ${e.tool} ${e.action} -> ${e.result}${e.target ? ` | ${e.target}` : ''}${e.changeId ? ` | ${e.changeId}` : ''} | by ${e.caller}${e.detail ? ` | ${e.detail}` : ''}`,
          )
          .join('\n'),
});
