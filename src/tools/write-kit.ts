/**
 * What every write tool shares: the confirmation argument, the output envelope around its own preview
 * and result, honest annotations, and the rendering of an outcome. The protocol itself lives in
 * `src/writes/engine.ts`; a write tool is a `WriteSpec` plus these pieces.
 */
import * as z from 'zod';
import { WRITE_STATUSES, type WriteOutcome } from '../writes/engine.js';
import type { ToolAnnotations } from './define.js';

export const ConfirmationId = z
  .string()
  .regex(/^cf_[A-Za-z0-9_-]{22}$/, 'confirmationId is the cf_... id a preview of this tool returned')
  .optional()
  .describe(
    'Leave out to preview (nothing changes). To commit, pass the confirmationId the preview returned, with exactly the same other arguments, and only after the person approved the preview.',
  );

/** The protocol, said once in every write tool's description. */
export const PROTOCOL =
  'Two steps: called without confirmationId it changes nothing and returns a preview with a confirmationId; show the preview to the person, and only after they approve call again with the same arguments plus that confirmationId. Each id commits once and expires after a few minutes; repeating it never writes twice.';

export function writeOutput<P extends z.ZodType, R extends z.ZodType>(preview: P, result: R) {
  return z.object({
    status: z
      .enum(WRITE_STATUSES)
      .describe(
        'preview: nothing changed yet, confirm to commit; blocked: cannot go ahead (see blockers); done; failed: nothing changed; unknown: the answer was lost and reading back could not confirm; in_progress: another call is committing it; declined: the person said no',
      ),
    target: z.string().describe('what the write touches'),
    preview,
    confirmationId: z.string().optional().describe('with status preview: pass back to commit'),
    expiresAt: z.string().optional().describe('when the confirmationId stops working (UTC)'),
    changeId: z.string().optional().describe('the change id for undo and the audit log'),
    result: result.optional(),
    blockers: z.array(z.string()).optional(),
    repeated: z
      .boolean()
      .optional()
      .describe('this confirmation had been used before: nothing was sent again'),
    note: z.string().describe('what happened and what to do next'),
  });
}

/** A write that adds something each time (a message, a task): repeating it is not harmless. */
export const ADDS: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** A write that overwrites or removes what was there (calendar values, a task's fields, a deletion). */
export const OVERWRITES: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
};

/** One outcome as text: status and note first, then the tool's own preview and result lines. */
export function renderWrite<R>(
  o: WriteOutcome<R> & { preview: Record<string, unknown> },
  previewText: string,
  resultText?: (result: R) => string,
): string {
  const lines = [`${o.status.toUpperCase()}: ${o.target}`, previewText];
  if (o.blockers?.length) lines.push(`Blockers:\n${o.blockers.map((b) => `- ${b}`).join('\n')}`);
  if (o.result !== undefined && resultText) lines.push(resultText(o.result));
  if (o.confirmationId) lines.push(`confirmationId: ${o.confirmationId} (expires ${o.expiresAt})`);
  lines.push(o.note);
  return lines.filter(Boolean).join('\n');
}
