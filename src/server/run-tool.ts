/**
 * The one wrapper every tool handler runs inside, whatever the surface: it gives the call a correlation
 * id, checks the arguments, checks the answer against the tool's output schema, caps the text, and turns
 * every failure into a short tool error that says what to do. No stack trace, URL with credentials,
 * token or key ever reaches the model.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { HostawayError, scrubSecrets } from '../client/errors.js';
import { DEFAULT_TOOL_DEADLINE_MS } from '../config.js';
import { withCorrelation } from '../logging.js';
import { type ToolContext, type ToolDefinition, ToolInputError } from '../tools/define.js';

/** Text beyond this is cut with a note: the structured answer is already capped by each tool. */
export const MAX_TEXT_CHARS = 24_000;

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface RunOptions {
  /** Known secrets (the API key) to scrub from any error text. */
  secrets?: readonly string[];
  /** The call's overall deadline: every upstream request, wait and retry included. */
  deadlineMs?: number;
}

export async function runTool(
  def: ToolDefinition,
  args: unknown,
  ctx: ToolContext,
  { secrets = [], deadlineMs = DEFAULT_TOOL_DEADLINE_MS }: RunOptions = {},
): Promise<ToolResult> {
  const correlationId = randomUUID();
  return withCorrelation(async () => {
    const log = ctx.logger.child({ tool: def.name, correlationId });
    const started = performance.now();
    const parsed = def.input.safeParse(args ?? {});
    if (!parsed.success) {
      log.info({ outcome: 'invalid_arguments' }, 'tool call rejected');
      return errorResult(`Invalid arguments for ${def.name}: ${describeIssues(parsed.error)}`);
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
        return errorResult(
          `${def.name} produced an answer it could not vouch for (reference ${correlationId}). Please report it; the details are in the server log.`,
        );
      }
      const text = def.render(checked.data);
      log.info(
        { outcome: 'ok', ms: Math.round(performance.now() - started), chars: text.length },
        'tool call',
      );
      return {
        content: [{ type: 'text', text: capText(text) }],
        structuredContent: checked.data as Record<string, unknown>,
      };
    } catch (err) {
      if (deadline.signal.aborted && !ctx.signal.aborted) {
        log.warn({ outcome: 'deadline', deadlineMs }, 'tool call stopped at its deadline');
        return errorResult(
          `${def.name} did not finish within ${Math.round(deadlineMs / 1000)} s (the deadline for one tool call) and was stopped. Hostaway may be slow or the rate budget busy: try again shortly, or ask for less at once.`,
        );
      }
      return errorResult(scrubSecrets(messageFor(err, def, correlationId, log), secrets));
    } finally {
      clearTimeout(timer);
    }
  }, correlationId);
}

function messageFor(
  err: unknown,
  def: ToolDefinition,
  correlationId: string,
  log: ToolContext['logger'],
): string {
  if (err instanceof ToolInputError) {
    log.info({ outcome: 'invalid_arguments' }, 'tool call rejected');
    return err.message;
  }
  if (err instanceof HostawayError) {
    log.warn({ outcome: err.kind, status: err.status }, 'tool call failed');
    if (err.kind === 'cancelled') return `${def.name} was cancelled.`;
    return err.message;
  }
  // Anything else is our bug: keep the detail in the log, give the model a reference.
  log.error({ outcome: 'internal_error', err }, 'tool handler crashed');
  return `${def.name} failed unexpectedly (reference ${correlationId}). The server log has the details; try again or report it.`;
}

export function errorResult(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
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
