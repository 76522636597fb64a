/**
 * A server runtime in live mode against a sandbox of the test's own (as against Hostaway itself), and
 * a wait for something that happens after an answer (a webhook delivery, a poll, a notice).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientOptionsInput } from '../../src/client/options.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/server/runtime.js';
import { FAST_RETRIES } from './client.js';

/** Settings under their environment names, on top of the sandbox's address and credentials. */
export async function liveRuntime(
  sandbox: Sandbox,
  env: Record<string, string> = {},
  options: RuntimeOptions & { client?: Partial<ClientOptionsInput> } = {},
): Promise<Runtime> {
  const config = loadConfig({
    env: {
      HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
      HOSTAWAY_API_KEY: sandbox.clientSecret,
      HOSTAWAY_BASE_URL: sandbox.url,
      HOSTAWAY_WRITE_STORE: 'memory',
      HOSTAWAY_TOKEN_FILE: join(tmpdir(), `hostaway-live-test-${process.pid}-${Math.random()}.json`),
      MCP_HTTP_PORT: '0',
      ...env,
    },
    envFile: '/dev/null',
  });
  return createRuntime(
    { ...config, client: { ...config.client, token: { activationDelayMs: 0 } } },
    {
      logger: silentLogger,
      // Hostaway's timestamps are the sandbox's: its clock is the server's present.
      now: () => sandbox.store().now(),
      ...options,
      client: { retries: FAST_RETRIES, ...options.client },
    },
  );
}

/** Waits until `check` gives a value (or true), for at most `ms`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
