/**
 * What an orchestrator relies on: `/ready` says whether Hostaway answers with our credentials and the
 * write store opens (and why not), and SIGTERM drains: calls in flight finish, new ones are refused,
 * the process exits cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { startHttpServer } from '../../src/server/http.js';
import { createRuntime } from '../../src/server/runtime.js';
import { FAST_RETRIES, NO_LIMITS } from '../helpers/client.js';

const opened: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

async function sandboxUp(): Promise<Sandbox> {
  const sandbox = await startSandbox({ rateLimits: false });
  opened.push(() => sandbox.close());
  return sandbox;
}

/** A live-mode HTTP server whose "Hostaway" is the given sandbox. */
async function liveHttp(sandbox: { url: string; accountId: number; clientSecret: string }, env = {}) {
  const config = loadConfig({
    env: {
      HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
      HOSTAWAY_API_KEY: sandbox.clientSecret,
      HOSTAWAY_BASE_URL: sandbox.url,
      HOSTAWAY_TOKEN_FILE: '/dev/null/none',
      MCP_HTTP_PORT: '0',
      ...env,
    },
    envFile: '/dev/null',
  });
  const runtime = await createRuntime(config, {
    logger: silentLogger,
    client: { limits: NO_LIMITS, retries: FAST_RETRIES, token: { activationDelayMs: 0, file: undefined } },
  });
  const http = await startHttpServer(runtime);
  opened.push(
    () => runtime.close(),
    () => http.close(0),
  );
  return http.url.replace(/\/mcp$/, '');
}

describe('/ready', () => {
  it('200 when Hostaway answers with our credentials and the store opens', async () => {
    const base = await liveHttp(await sandboxUp(), {
      HOSTAWAY_WRITES: 'true',
      HOSTAWAY_WRITE_STORE: 'memory',
    });
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ready: true,
      checks: { hostaway: { ok: true }, store: { ok: true } },
    });
    // Liveness does not depend on Hostaway.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('503 naming Hostaway when it does not answer, and the store when it cannot open', async () => {
    const gone = await startSandbox({ rateLimits: false });
    const where = { url: gone.url, accountId: gone.accountId, clientSecret: gone.clientSecret };
    await gone.close();
    const base = await liveHttp(where, {
      HOSTAWAY_WRITES: 'true',
      // Nothing listens on port 1: the store cannot open.
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test',
    });
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean; detail?: string }>;
    };
    expect(body.ready).toBe(false);
    expect(body.checks.hostaway?.ok).toBe(false);
    expect(body.checks.hostaway?.detail).toMatch(/reach Hostaway|ECONNREFUSED/);
    expect(body.checks.store?.ok).toBe(false);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('503 when the credentials are wrong', async () => {
    const sandbox = await sandboxUp();
    const base = await liveHttp({ ...sandbox, url: sandbox.url, clientSecret: 'wrong-secret-0123456789' });
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: { hostaway: { ok: boolean; detail: string } } };
    expect(body.checks.hostaway.detail).toMatch(/HOSTAWAY_API_KEY|credentials|account/i);
  });
});

describe('SIGTERM', () => {
  it('lets a call in flight finish, refuses new connections, and exits 0', async () => {
    const sandbox = await sandboxUp();
    // Every listing read takes 1.5 s, so the call is surely in flight when the signal comes.
    sandbox.faults.add({ kind: 'latency', ms: 1_500, method: 'GET', path: '/v1/listings/*' });
    const child: ChildProcess = spawn(process.execPath, ['dist/cli.js', 'http'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'info',
        HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
        HOSTAWAY_API_KEY: sandbox.clientSecret,
        HOSTAWAY_BASE_URL: sandbox.url,
        HOSTAWAY_TOKEN_FILE: '/dev/null/none',
        MCP_HTTP_PORT: '0',
        MCP_SHUTDOWN_GRACE_SECONDS: '20',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    opened.push(() => child.kill('SIGKILL'));
    const lines: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          lines.push(line);
          // Every line on stderr is a JSON log line.
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === 'hostaway-mcp ready' && parsed.url) resolve(parsed.url);
          nl = buffered.indexOf('\n');
        }
      });
      child.once('exit', () => reject(new Error(`server exited early:\n${lines.join('\n')}`)));
    });
    const base = url.replace(/\/mcp$/, '');
    const listingId = sandbox.store().allListings()[0]!.id;
    const call = fetch(`${base}/api/v1/get_listing?listingId=${listingId}`);
    // Wait until the call is inside the server (its upstream read has begun), then signal.
    const deadline = Date.now() + 10_000;
    while (!sandbox.requests.list().some((r) => r.path === `/v1/listings/${listingId}`)) {
      if (Date.now() > deadline) throw new Error('the call never reached the sandbox');
      await new Promise((r) => setTimeout(r, 20));
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    // Stopping: no new connection is taken.
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    const res = await call;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { listing: { id: number } }).listing.id).toBe(listingId);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(lines.some((l) => l.includes('finishing calls in flight'))).toBe(true);
    expect(lines.some((l) => l.includes('stopping with calls still in flight'))).toBe(false);
  }, 30_000);
});
