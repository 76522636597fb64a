/**
 * Structured JSON logs on stderr (stdout belongs to the MCP stdio protocol), with secrets redacted, and
 * a correlation id per incoming call that every upstream request it causes carries.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

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
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** A logger that writes nothing, for library use without logging. */
export const silentLogger: Logger = pino({ level: 'silent' });

interface CallContext {
  correlationId: string;
}

const callContext = new AsyncLocalStorage<CallContext>();

/** Runs `fn` as one incoming call: everything it causes shares one correlation id. */
export function withCorrelation<T>(fn: () => T, correlationId: string = randomUUID()): T {
  return callContext.run({ correlationId }, fn);
}

/** The correlation id of the call in progress, if any. */
export function currentCorrelationId(): string | undefined {
  return callContext.getStore()?.correlationId;
}
