/**
 * The one wrapper every tool handler runs inside, whatever the surface (MCP, REST, CLI): it gives the
 * call a correlation id, checks the arguments, checks the answer against the tool's output schema, caps
 * the text, and turns every failure into one of a few kinds with a short message that says what to do.
 * It returns a surface-neutral outcome; each surface only maps it (an MCP tool result, an HTTP status
 * with problem details). No stack trace, URL with credentials, token or key ever reaches a caller.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { HostawayError, type HostawayErrorKind, scrubSecrets } from '../client/errors.js';
import { DEFAULT_TOOL_DEADLINE_MS } from '../config.js';
import { withCorrelation } from '../logging.js';
import { type ToolContext, type ToolDefinition, ToolInputError } from '../tools/define.js';

/** Text beyond this is cut with a note: the structured answer is already capped by each tool. */
export const MAX_TEXT_CHARS = 24_000;

/** Why a call failed: Hostaway's kinds, and ours (arguments, deadline, an answer we cannot vouch for, a bug). */
export type FailureKind = HostawayErrorKind | 'invalid_arguments' | 'deadline' | 'bad_output' | 'internal';

export type CallOutcome =
  | { ok: true; data: Record<string, unknown>; text: string }
  | {
      ok: false;
      kind: FailureKind;
      /** For the caller as it is: what happened and what to do, scrubbed of secrets. */
      message: string;
      /** Seconds Hostaway asked to wait, when it said (rate limits). */
      retryAfterSeconds?: number;
    };

export interface RunOptions {
  /** Known secrets (the API key) to scrub from any error text. */
  secrets?: readonly string[];
  /** The call's overall deadline: every upstream request, wait and retry included. */
  deadlineMs?: number;
}

export async function callTool(
  def: ToolDefinition,
  args: unknown,
  ctx: ToolContext,
  { secrets = [], deadlineMs = DEFAULT_TOOL_DEADLINE_MS }: RunOptions = {},
): Promise<CallOutcome> {
  const correlationId = randomUUID();
  return withCorrelation(async () => {
    const log = ctx.logger.child({ tool: def.name, correlationId });
    const started = performance.now();
    const parsed = def.input.safeParse(args ?? {});
    if (!parsed.success) {
      log.info({ outcome: 'invalid_arguments' }, 'tool call rejected');
      return failure(
        'invalid_arguments',
        `Invalid arguments for ${def.name}: ${describeIssues(parsed.error)}`,
      );
    }
    // The handler sees a signal that also fires at the deadline, and the wait for it ends there even if
    // some part of it does not listen. The timer is cleared when the call ends: none outlives its call.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    const signal = AbortSignal.any([ctx.signal, deadline.signal]);
    const expired = new Promise<never>((_, reject) => {
      deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason));
    });
    try {
      const output = await Promise.race([def.handler(parsed.data, { ...ctx, signal }), expired]);
      const checked = def.output.safeParse(output);
      if (!checked.success) {
        log.error(
          { outcome: 'bad_output', issues: describeIssues(checked.error) },
          'tool answer did not fit its schema',
        );
        return failure(
          'bad_output',
          `${def.name} produced an answer it could not vouch for (reference ${correlationId}). Please report it; the details are in the server log.`,
        );
      }
      const text = def.render(checked.data);
      log.info(
        { outcome: 'ok', ms: Math.round(performance.now() - started), chars: text.length },
        'tool call',
      );
      return { ok: true, data: checked.data as Record<string, unknown>, text: capText(text) };
    } catch (err) {
      if (deadline.signal.aborted && !ctx.signal.aborted) {
        log.warn({ outcome: 'deadline', deadlineMs }, 'tool call stopped at its deadline');
        return failure(
          'deadline',
          `${def.name} did not finish within ${Math.round(deadlineMs / 1000)} s (the deadline for one tool call) and was stopped. Hostaway may be slow or the rate budget busy: try again shortly, or ask for less at once.`,
        );
      }
      const { kind, message } = classify(err, def, correlationId, log);
      const retryAfterSeconds = err instanceof HostawayError ? err.retryAfterSeconds : undefined;
      return {
        ...failure(kind, scrubSecrets(message, secrets)),
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      };
    } finally {
      clearTimeout(timer);
    }
  }, correlationId);
}

function classify(
  err: unknown,
  def: ToolDefinition,
  correlationId: string,
  log: ToolContext['logger'],
): { kind: FailureKind; message: string } {
  if (err instanceof ToolInputError) {
    log.info({ outcome: 'invalid_arguments' }, 'tool call rejected');
    return { kind: 'invalid_arguments', message: err.message };
  }
  if (err instanceof HostawayError) {
    log.warn({ outcome: err.kind, status: err.status }, 'tool call failed');
    if (err.kind === 'cancelled') return { kind: 'cancelled', message: `${def.name} was cancelled.` };
    return { kind: err.kind, message: err.message };
  }
  // Anything else is our bug: keep the detail in the log, give the caller a reference.
  log.error({ outcome: 'internal_error', err }, 'tool handler crashed');
  return {
    kind: 'internal',
    message: `${def.name} failed unexpectedly (reference ${correlationId}). The server log has the details; try again or report it.`,
  };
}

function failure(kind: FailureKind, message: string): CallOutcome {
  return { ok: false, kind, message };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
}

function capText(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  return `${text.slice(0, MAX_TEXT_CHARS)}\n[cut at ${MAX_TEXT_CHARS} characters: ask for fewer items (limit) or a narrower range]`;
}
