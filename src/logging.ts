/**
 * Structured JSON logs on stderr (stdout belongs to the MCP stdio protocol), with secrets redacted, and
 * a correlation id per incoming call that every upstream request it causes carries. Inside an
 * OpenTelemetry span (see src/server/tracing.ts) each line also carries `traceId` and `spanId`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

type OtelApi = typeof import('@opentelemetry/api');

/** Where every copy of the OpenTelemetry API (1.x) keeps what was registered with it. */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
let otelApi: OtelApi | undefined;

/**
 * The OpenTelemetry API, once something has registered with it (a tracer provider, a context manager,
 * a propagator: an SDK's setup does all three); undefined until then. With nothing registered every
 * call into the API is a no-op, so it is not even loaded: that was a tenth of the stdio server's start
 * (some fifty CommonJS files). Registered later (an SDK started after this server), it is loaded then.
 * Node resolves the package to its CommonJS build for `import` and `require` alike: one instance.
 */
export function otel(): OtelApi | undefined {
  if (otelApi) return otelApi;
  if ((globalThis as Record<symbol, unknown>)[OTEL_GLOBAL] === undefined) return undefined;
  otelApi = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
  return otelApi;
}

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field paths that may hold secrets anywhere in a log object. */
const REDACT_PATHS = [
  'apiKey',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'token',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.apiKey',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.authorization',
];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr unless a test captures them. */
  destination?: DestinationStream;
  /** Fixed fields on every line (for example `mode: "sandbox"`). */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'hostaway-mcp', ...options.base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      mixinMergeStrategy: mergeTraceFields,
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that writes nothing, for library use without logging. */
export const silentLogger: Logger = pino({ level: 'silent' });

interface CallContext {
  correlationId?: string;
  /** Who the call is for (a token's name, "local (stdio)"): the rate budget takes turns among callers. */
  caller?: string;
}

const callContext = new AsyncLocalStorage<CallContext>();

/** Runs `fn` as one incoming call: everything it causes shares one correlation id. */
export function withCorrelation<T>(fn: () => T, correlationId: string = randomUUID()): T {
  return callContext.run({ ...callContext.getStore(), correlationId }, fn);
}

/** Runs `fn` on behalf of `caller`: every upstream request it causes waits in that caller's line. */
export function withCaller<T>(caller: string, fn: () => T): T {
  return callContext.run({ ...callContext.getStore(), caller }, fn);
}

/** The correlation id of the call in progress, if any. */
export function currentCorrelationId(): string | undefined {
  return callContext.getStore()?.correlationId;
}

/** Whose call is in progress, if anyone's. */
export function currentCaller(): string | undefined {
  return callContext.getStore()?.caller;
}

export interface TraceIds {
  traceId: string;
  spanId: string;
}

/**
 * The ids of the OpenTelemetry span active here, when there is a real one: none without a tracer
 * provider (the API's no-op tracer makes spans with an invalid context) or outside any span. An
 * unsampled span counts too: its ids still tie the log lines of one call together.
 */
export function currentTraceIds(): TraceIds | undefined {
  const api = otel();
  const span = api?.trace.getSpan(api.context.active());
  if (!api || !span) return undefined;
  const sc = span.spanContext();
  return api.isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : undefined;
}

const NO_FIELDS = Object.freeze({});

/** pino's mixin: the trace ids on every line written inside a span, nothing (and no allocation) outside. */
function traceFields(): object {
  return currentTraceIds() ?? NO_FIELDS;
}

/** Outside a span the line's own object goes on untouched, exactly as without the mixin. */
function mergeTraceFields(line: object, fields: object): object {
  return fields === NO_FIELDS ? line : Object.assign(fields, line);
}
