/** Starting the server under test in the ways the parts need: live mode against the sandbox. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

/** Headers of a stateless Streamable HTTP request made by hand. */
export const MCP_HTTP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

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

/** The built server (dist/cli.js) over Streamable HTTP on a free port, and its address. */
export function spawnHttp(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'http', '--port', '0'], {
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = child.stderr as NonNullable<ChildProcess['stderr']>;
  return new Promise((resolve, reject) => {
    let head = '';
    const onExit = (code: number | null) => reject(new Error(`server exited ${code}: ${head}`));
    const onData = (d: Buffer) => {
      head += String(d);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(head);
      if (!m) return;
      // The address is all we need. The server logs a line per request; keeping and re-scanning them
      // here, in the process that also generates the load, halved the throughput measured. From now
      // on the pipe is drained and its contents dropped, so the server never blocks on it.
      stderr.off('data', onData);
      child.off('exit', onExit);
      stderr.resume();
      resolve({ child, url: m[1] as string });
    };
    stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * A server in this process in live mode against `sandbox`, and an SDK client connected to it in memory.
 * `transport` is the client's side of the link, for a part that wants to see the messages it receives.
 */
export async function inMemoryServer(env: Record<string, string>, client: Partial<ClientOptionsInput> = {}) {
  const config = loadConfig({ env, envFile: '/dev/null' });
  const runtime = await createRuntime(config, {
    logger: silentLogger,
    client: { token: { activationDelayMs: 0, file: undefined }, ...client },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await buildServer(runtime).connect(serverSide);
  const mcp = new Client({ name: 'bench', version: '1' });
  await mcp.connect(clientSide);
  return { runtime, client: mcp, transport: clientSide };
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024,
  );
}
