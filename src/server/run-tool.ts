/**
 * The one wrapper every tool handler runs inside, whatever the surface (MCP, REST, CLI): it gives the
 * call a correlation id, checks the arguments, checks the answer against the tool's output schema, caps
 * the text, and turns every failure into one of a few kinds with a short message that says what to do.
 * It returns a surface-neutral outcome; each surface only maps it (an MCP tool result, an HTTP status
 * with problem details). No stack trace, URL with credentials, token or key ever reaches a caller.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
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
    const log = new CallLog(ctx.logger, def.name, correlationId);
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
    // Linked by hand rather than with AbortSignal.any, whose weak references (and cleanup registrations)
    // keep every call's signals alive through young-generation collections: at a high call rate they
    // were promoted by the thousand and grew the old generation until the next full collection.
    const both = new AbortController();
    // A tool reads several things at once (each listing's calendar, say), and each read listens to this
    // signal until it ends: more than Node's ten at a time is the design, not a leak.
    setMaxListeners(0, both.signal);
    const callerGone = () => both.abort(ctx.signal.reason);
    if (ctx.signal.aborted) callerGone();
    else ctx.signal.addEventListener('abort', callerGone, { once: true });
    let timedOut = false;
    let expire: (reason: unknown) => void = () => undefined;
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      const reason = new DOMException('This operation was aborted', 'AbortError');
      both.abort(reason);
      expire(reason);
    }, deadlineMs);
    try {
      const output = await Promise.race([def.handler(parsed.data, { ...ctx, signal: both.signal }), expired]);
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
      if (timedOut && !ctx.signal.aborted) {
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
      ctx.signal.removeEventListener('abort', callerGone);
    }
  }, correlationId);
}

/**
 * The call's log lines, each with the tool's name and the correlation id, as a child logger would write
 * them (the same fields in the same place). No child is made: building one for every call (bindings
 * serialised, redaction run) was a large share of what a call allocated, for lines mostly filtered out.
 */
class CallLog {
  constructor(
    private readonly logger: ToolContext['logger'],
    private readonly tool: string,
    private readonly correlationId: string,
  ) {}

  info(fields: Record<string, unknown>, msg: string): void {
    this.write('info', fields, msg);
  }

  warn(fields: Record<string, unknown>, msg: string): void {
    this.write('warn', fields, msg);
  }

  error(fields: Record<string, unknown>, msg: string): void {
    this.write('error', fields, msg);
  }

  private write(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, msg: string): void {
    if (this.logger.isLevelEnabled(level))
      this.logger[level]({ tool: this.tool, correlationId: this.correlationId, ...fields }, msg);
  }
}

function classify(
  err: unknown,
  def: ToolDefinition,
  correlationId: string,
  log: CallLog,
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
