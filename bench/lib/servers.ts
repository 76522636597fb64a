/** Starting the server under test in the ways the parts need: live mode against the sandbox. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { ClientOptionsInput } from '../../src/client/options.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createRuntime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';

/** The sandbox's clock for every part. */
export const NOW = '2026-11-25T12:00:00Z';

/** An access token from the sandbox, for requests made directly to it. */
export async function token(sandbox: Sandbox): Promise<string> {
  const res = await fetch(`${sandbox.url}/accessTokens`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(sandbox.accountId),
      client_secret: sandbox.clientSecret,
      scope: 'general',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Environment for a server in live mode against our sandbox: limits out of the way unless asked. */
export function liveEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
    HOSTAWAY_API_KEY: sandbox.clientSecret,
    HOSTAWAY_BASE_URL: sandbox.url,
    HOSTAWAY_TOKEN_FILE: join(tmpdir(), `hostaway-bench-token-${process.pid}.json`),
    HOSTAWAY_RATE_LIMIT_PER_IP: '1000000',
    HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '1000000',
    HOSTAWAY_MAX_IN_FLIGHT: '50',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * The built server (dist/cli.js) over Streamable HTTP on a port picked here, and its address (`/mcp`).
 * Its log level is the one in `env` (`warn` from `liveEnv`, as every other server here runs) and its log
 * goes to a file, never through this process: the benchmark must not pay for reading the server's log,
 * nor keep it. The file is read only to explain a start that failed, and removed by `stop`.
 */
export async function spawnHttp(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; origin: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const logFile = join(tmpdir(), `hostaway-bench-http-${process.pid}-${port}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['dist/cli.js', 'http', '--port', String(port)], {
    env,
    stdio: ['ignore', 'ignore', fd],
  });
  closeSync(fd);
  const origin = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const stop = async () => {
    if (exited === undefined) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    await rm(logFile, { force: true });
  };
  const deadline = performance.now() + 15_000;
  for (;;) {
    if (exited !== undefined) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      await rm(logFile, { force: true });
      throw new Error(`the HTTP server exited ${exited} before it answered: ${log}`);
    }
    const ready = await fetch(`${origin}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, url: `${origin}/mcp`, origin, stop };
    if (performance.now() > deadline) {
      await stop();
      throw new Error('the HTTP server did not answer /health within 15 s');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port nothing listens on right now (the kernel's pick, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A server in this process in live mode against `sandbox`, and an SDK client connected to it in memory.
 * `transport` is the client's side of the link, for a part that wants to see the messages it receives.
 */
export async function inMemoryServer(
  env: Record<string, string>,
  client: Partial<ClientOptionsInput> = {},
  /** What the MCP client declares (the MCP Apps extension, say). */
  capabilities: NonNullable<ConstructorParameters<typeof Client>[1]>['capabilities'] = {},
) {
  const config = loadConfig({ env, envFile: '/dev/null' });
  const runtime = await createRuntime(config, {
    logger: silentLogger,
    client: { token: { activationDelayMs: 0, file: undefined }, ...client },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await buildServer(runtime).connect(serverSide);
  const mcp = new Client({ name: 'bench', version: '1' }, { capabilities });
  await mcp.connect(clientSide);
  return { runtime, client: mcp, transport: clientSide };
}
