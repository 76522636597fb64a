/**
 * OpenTelemetry trace context, through the API alone: this package registers no SDK, no exporter and
 * no propagator. Without them every call here is a cheap no-op (the API's no-op tracer makes spans with
 * an invalid context, nothing is recorded and no log line gets a trace id). A user who starts an SDK in
 * the same process (for example `node --import ./otel.mjs`, with a context manager such as the
 * AsyncLocalStorage one, so that the active span follows `await`) gets one span per tool call, and the
 * log lines written inside it carry its `traceId` and `spanId` (src/logging.ts).
 */
import { readFileSync } from 'node:fs';
import type { Attributes, Span } from '@opentelemetry/api';
import { HostawayError } from '../client/errors.js';
import { otel } from '../logging.js';

export { currentTraceIds, type TraceIds } from '../logging.js';

export const TRACER_NAME = 'hostaway-mcp-server';

/** The package version, read like the server's own (not imported from it: server.ts imports us). */
const TRACER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export type SpanAttributes = Record<string, string | number | boolean>;

/** What the function run inside a tool span may do with it. */
export interface ToolSpan {
  /** The span itself, for attributes or events of the caller's own. */
  readonly span: Span;
  /**
   * The call's outcome, `ok` or the kind of failure (`invalid_arguments`, `deadline`, `rate_limited`...):
   * anything but `ok` marks the span as an error. A tool that fails answers with an error result rather
   * than throwing, so the caller says so here. Unset, a call that returns is `ok`.
   */
  setOutcome(outcome: string): void;
}

/**
 * Runs `fn` inside a span named `tools/call <tool>` (kind SERVER: it is the server's side of the
 * call), active for everything `fn` awaits, so the upstream requests it causes log the same trace id.
 * Attributes: `mcp.method.name`, `mcp.tool.name`, `gen_ai.tool.name`, the caller's (`mcp.surface`...),
 * and at the end `mcp.tool.outcome`. A throw sets status ERROR with `error.type` (the error's kind, not
 * its message: messages can hold what must not leave the process) and is rethrown. The span always ends.
 */
export function withToolSpan<T>(
  tool: string,
  attrs: SpanAttributes,
  fn: (span: ToolSpan) => Promise<T>,
): Promise<T> {
  const api = otel();
  // Nothing registered: what the API's no-op tracer would do (run `fn` with a span that records
  // nothing), without loading the API or making a span, a context and an attribute set per call.
  if (!api) return fn(NO_TOOL_SPAN);
  const { SpanKind, SpanStatusCode, trace } = api;
  const attributes: Attributes = {
    'mcp.method.name': 'tools/call',
    'mcp.tool.name': tool,
    'gen_ai.tool.name': tool,
    ...attrs,
  };
  return trace
    .getTracer(TRACER_NAME, TRACER_VERSION)
    .startActiveSpan(`tools/call ${tool}`, { kind: SpanKind.SERVER, attributes }, async (span) => {
      let outcome: string | undefined;
      const handle: ToolSpan = {
        span,
        setOutcome(value) {
          outcome = value;
        },
      };
      try {
        const result = await fn(handle);
        finish(span, outcome ?? 'ok', SpanStatusCode.ERROR);
        return result;
      } catch (err) {
        const kind = errorType(err);
        finish(span, outcome && outcome !== 'ok' ? outcome : kind, SpanStatusCode.ERROR);
        span.setAttribute('error.type', kind);
        throw err;
      } finally {
        span.end();
      }
    });
}

function finish(span: Span, outcome: string, error: number): void {
  span.setAttribute('mcp.tool.outcome', outcome);
  if (outcome === 'ok') return;
  span.setAttribute('error.type', outcome);
  span.setStatus({ code: error, message: outcome });
}

/** The all-zero ids the API gives a span that records nothing. */
const INVALID_SPAN_CONTEXT = Object.freeze({
  traceId: '00000000000000000000000000000000',
  spanId: '0000000000000000',
  traceFlags: 0,
});

/** A span that records nothing, as the API's no-op tracer makes: for calls with nothing registered. */
const NO_SPAN: Span = {
  spanContext: () => INVALID_SPAN_CONTEXT,
  setAttribute: () => NO_SPAN,
  setAttributes: () => NO_SPAN,
  addEvent: () => NO_SPAN,
  addLink: () => NO_SPAN,
  addLinks: () => NO_SPAN,
  setStatus: () => NO_SPAN,
  updateName: () => NO_SPAN,
  end: () => undefined,
  isRecording: () => false,
  recordException: () => undefined,
};

const NO_TOOL_SPAN: ToolSpan = Object.freeze({ span: NO_SPAN, setOutcome: () => undefined });

function errorType(err: unknown): string {
  if (err instanceof HostawayError) return err.kind;
  if (err instanceof Error) return err.name || 'Error';
  return 'internal_error';
}

/** HTTP headers as Node gives them. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * Runs `fn` in the trace context the caller sent (W3C `traceparent`/`tracestate`), so that a tool span
 * started inside is a child of the caller's span. It takes whatever propagator is registered with the
 * API: with none (this package registers none) the API's no-op propagator extracts nothing and `fn`
 * runs in the current context, as if no header had come; an SDK's setup usually registers the W3C one.
 */
export function withIncomingContext<T>(headers: IncomingHeaders, fn: () => T): T {
  const api = otel();
  // Nothing registered: no propagator to extract with, so `fn` runs in the current context.
  if (!api) return fn();
  return api.context.with(api.propagation.extract(api.context.active(), headers), fn);
}
