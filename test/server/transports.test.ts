import { type ChildProcess, spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The environment of a user with no Hostaway credentials: demo mode. */
const demoEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  LOG_LEVEL: 'info',
  HOSTAWAY_SANDBOX_LISTINGS: '10',
  ...extra,
});

describe('stdio: the package bin spawned as an MCP client would', () => {
  for (const mode of ['legacy', 'auto'] as const) {
    it(`serves tools over stdio (${mode === 'legacy' ? '2025 initialize' : 'version negotiation, 2026 era'}) with logs on stderr only`, async () => {
      const stderr: string[] = [];
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['dist/cli.js'],
        env: demoEnv(),
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (d: Buffer) => stderr.push(String(d)));
      const client = new Client(
        { name: 'stdio-test', version: '1.0.0' },
        mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : {},
      );
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(10);
      const status = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
      expect(status.isError).toBeFalsy();
      expect((status.structuredContent as { mode: string }).mode).toBe('sandbox');
      expect(JSON.stringify(status.content)).toMatch(/DEMO MODE/);
      const listings = await client.callTool({ name: 'hostaway_search_listings', arguments: { limit: 3 } });
      expect((listings.structuredContent as { listings: unknown[] }).listings).toHaveLength(3);
      await client.close();
      const lines = stderr.join('').split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(lines.some((l) => l.includes('DEMO MODE'))).toBe(true);
    });
  }

  it('refuses a bad setting with a message naming it, exit code 2', async () => {
    const child = spawn(process.execPath, ['dist/cli.js'], { env: demoEnv({ HOSTAWAY_ACCOUNT_ID: '123' }) });
    const err = await collect(child);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/HOSTAWAY_ACCOUNT_ID is set but HOSTAWAY_API_KEY is not/);
  });
});

interface Started {
  child: ChildProcess;
  url: string;
  origin: string;
  stop: () => Promise<void>;
}

async function startHttp(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['dist/cli.js', 'http', '--port', '0', ...args], {
    env: demoEnv(env),
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no ready line: ${buffer}`)), 15_000);
    child.stderr?.on('data', (d: Buffer) => {
      buffer += String(d);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${buffer}`)));
  });
  return {
    child,
    url,
    origin: new URL(url).origin,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function collect(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += String(d);
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('Streamable HTTP: the server spawned with `http`', () => {
  let server: Started;
  beforeAll(async () => {
    server = await startHttp([]);
  });
  afterAll(() => server.stop());

  it('serves both protocol eras at /mcp over real HTTP', async () => {
    for (const negotiation of [undefined, { mode: 'auto' as const }]) {
      const client = new Client(
        { name: 'http-test', version: '1.0.0' },
        negotiation ? { versionNegotiation: negotiation } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const result = await client.callTool({
        name: 'hostaway_search_reservations',
        arguments: { arrivalFrom: '2026-01-01', limit: 2 },
      });
      expect(result.isError).toBeFalsy();
      await client.close();
    }
  });

  it('answers /health', async () => {
    const res = await fetch(`${server.origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', mode: 'sandbox' });
    expect((await fetch(`${server.origin}/elsewhere`)).status).toBe(404);
  });

  it('refuses a foreign Origin even with a good Host, and a foreign Host (DNS rebinding)', async () => {
    const init = (headers: Record<string, string>) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect((await fetch(server.url, init({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await fetch(server.url, init({ origin: server.origin }))).status).not.toBe(403);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.url,
        { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });
});

describe('HTTP beyond loopback', () => {
  for (const host of ['0.0.0.0', '127.example.com'])
    it(`will not start on ${host} without a bearer token`, async () => {
      const child = spawn(process.execPath, ['dist/cli.js', 'http', '--host', host, '--port', '0'], {
        env: demoEnv(),
      });
      const result = await collect(child);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/not a loopback address.*set MCP_AUTH_TOKEN/);
    });

  it('requires the bearer token on every MCP request', async () => {
    const token = 'test-token-0123456789abcdef';
    const server = await startHttp(['--host', '0.0.0.0'], {
      MCP_AUTH_TOKEN: token,
      MCP_ALLOWED_HOSTS: '127.0.0.1,localhost',
    });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      const denied = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const client = new Client({ name: 'auth-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(10);
      await client.close();
    } finally {
      await server.stop();
    }
  });
});
