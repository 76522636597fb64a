import { Writable } from 'node:stream';
import { type ClientDeps, HostawayClient } from '../../src/client/client.js';
import type { ClientOptionsInput } from '../../src/client/options.js';
import { createLogger, type Logger } from '../../src/logging.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/** Small delays so that retry tests take milliseconds, not seconds. */
export const FAST_RETRIES = { max: 3, delaysMs: [20, 40, 80], jitter: 0 };

/** Budgets wide enough not to matter, for tests against a sandbox without rate limits. */
export const NO_LIMITS = {
  perIp: { limit: 10_000, windowMs: 1_000 },
  perAccount: { limit: 10_000, windowMs: 1_000 },
  marginMs: 0,
  maxInFlight: 10,
} as const;

export function clientFor(
  sandbox: Sandbox,
  options: Partial<ClientOptionsInput> = {},
  deps: ClientDeps | Logger = {},
): HostawayClient {
  return new HostawayClient(
    {
      baseUrl: sandbox.url,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      retries: FAST_RETRIES,
      token: { activationDelayMs: 0 },
      limits: NO_LIMITS,
      ...options,
    },
    'info' in deps ? { logger: deps } : deps,
  );
}

/** A logger whose lines are kept, to check what was (and was not) logged. */
export function capturedLogger(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, destination: destination as never });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The most requests in any window of `windowMs`, from times in ms. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
