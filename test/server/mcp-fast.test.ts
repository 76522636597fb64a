/**
 * The HTTP hot path (src/server/mcp-fast.ts): a plain tools/call is answered on our call path as plain
 * JSON in both eras, with exactly the result the SDK's path gives; the client going away aborts the
 * call; the caller's name and scopes reach the tool; anything else still reaches the SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { startTestRuntime, VALID_ARGS } from '../helpers/server.js';

const TOKEN = 'fast-path-test-token-0123456789';
let runtime: Runtime;
let http: HttpServerHandle;

beforeAll(async () => {
  runtime = await startTestRuntime({ metrics: true, env: { MCP_AUTH_TOKEN: TOKEN } });
  http = await startHttpServer(runtime);
});
afterAll(async () => {
  await http.close();
  await runtime.close();
});

type Era = 'legacy' | 'modern';
const ERAS: Era[] = ['legacy', 'modern'];
let nextId = 1;

/** A tools/call as each era's SDK client sends it; `progress` asks for progress (the SDK's path). */
function request(era: Era, name: string, args: Record<string, unknown>, progress = false) {
  const meta: Record<string, unknown> = {
    ...(progress ? { progressToken: `p${nextId}` } : {}),
    ...(era === 'modern'
      ? {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        }
      : {}),
  };
  const body = {
    jsonrpc: '2.0',
    id: nextId++,
    method: 'tools/call',
    params: { name, arguments: args, ...(Object.keys(meta).length ? { _meta: meta } : {}) },
  };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${TOKEN}`,
    'mcp-protocol-version': era === 'modern' ? '2026-07-28' : '2025-11-25',
    ...(era === 'modern' ? { 'mcp-method': 'tools/call', 'mcp-name': name } : {}),
  };
  return { body, headers };
}

async function call(era: Era, name: string, args: Record<string, unknown>, progress = false) {
  const { body, headers } = request(era, name, args, progress);
  const res = await fetch(http.url, { method: 'POST', headers, body: JSON.stringify(body) });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  // The SDK answers a 2025-era call through a stream: its one message is the answer.
  const json = type.startsWith('text/event-stream')
    ? JSON.parse(
        text
          .split('\n')
          .find((l) => l.startsWith('data: '))
          ?.slice(6) ?? 'null',
      )
    : JSON.parse(text);
  return {
    status: res.status,
    type,
    json: json as { id: number; result?: Record<string, unknown>; error?: unknown },
  };
}

/** Keys whose value is the time of asking: two answers a moment apart differ there alone. */
// The two calls run a moment apart, so clock readings may differ by a second: drop the timed fields and
// blank the clock times the text renders (e.g. the pace cutoff), keeping everything else exact.
const CLOCK_TIME = /\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z?/g;
const untimed = (v: unknown) =>
  JSON.parse(JSON.stringify(v), (key, value) => {
    if (['checkedAt', 'asOf', 'generatedAt', 'cutoff', 'ms', 'nowUtc', 'time'].includes(key))
      return undefined;
    return typeof value === 'string' ? value.replace(CLOCK_TIME, '<time>') : value;
  });

const reads = enabledTools({ readOnly: false, writes: true }).filter(
  (t) => t.annotations.readOnlyHint && t.name !== 'hostaway_connection_status',
);

describe.each(ERAS)('tools/call over HTTP, %s era', (era) => {
  it.each(reads.map((t) => t.name))('%s: plain JSON, the same result as the SDK path', async (name) => {
    const args = VALID_ARGS[name] ?? {};
    const fast = await call(era, name, args);
    const sdk = await call(era, name, args, true);
    expect(fast.status).toBe(200);
    expect(fast.type).toBe('application/json');
    expect(fast.json.id).toBe(nextId - 2);
    expect(untimed(fast.json.result)).toEqual(untimed(sdk.json.result));
    expect(Object.keys(fast.json).sort()).toEqual(Object.keys(sdk.json).sort());
  });

  it('a tool the caller is not offered, and bad arguments, answer as the SDK does', async () => {
    const unknown = await call(era, 'hostaway_no_such_tool', {});
    expect(unknown.json.error).toMatchObject({
      code: -32602,
      message: 'Tool hostaway_no_such_tool not found',
    });
    const bad = await call(era, 'hostaway_get_listing', { listingId: 'x' });
    expect(bad.type).toBe('application/json');
    expect(bad.json.result).toMatchObject({ isError: true });
    const sdkBad = await call(era, 'hostaway_get_listing', { listingId: 'x' }, true);
    expect(bad.json.result?.content).toEqual(sdkBad.json.result?.content);
  });
});

describe('what the fast path keeps from the SDK path', () => {
  it('a 2026-era call whose Mcp-Name does not match its body is refused by the SDK (400, -32020)', async () => {
    const { body, headers } = request('modern', 'hostaway_get_listing', { listingId: 40160 });
    const res = await fetch(http.url, {
      method: 'POST',
      headers: { ...headers, 'mcp-name': 'hostaway_search_listings' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32020 } });
  });

  it("the client going away cancels the call: the tool's signal aborts long before Hostaway answers", async () => {
    runtime.sandbox!.faults.add({ kind: 'latency', ms: 4_000, method: 'GET', path: '/v1/listings/40163' });
    const metrics = async () =>
      await (
        await fetch(new URL('/metrics', http.url), { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
    const cancelled = (text: string) =>
      Number(
        /^hostaway_mcp_tool_calls_total\{tool="hostaway_get_listing",outcome="cancelled",surface="mcp"\} (\d+)$/m.exec(
          text,
        )?.[1] ?? 0,
      );
    const before = cancelled(await metrics());
    const { body, headers } = request('legacy', 'hostaway_get_listing', { listingId: 40163 });
    const gone = new AbortController();
    const started = Date.now();
    const pending = fetch(http.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: gone.signal,
    }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 300));
    gone.abort();
    expect(await pending).toBe('aborted');
    for (;;) {
      if (cancelled(await metrics()) === before + 1) break;
      expect(Date.now() - started).toBeLessThan(3_000);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it("the caller's name reaches the tool: a write previewed over the fast path is audited under the token", async () => {
    const { json } = await call('legacy', 'hostaway_send_message', {
      conversationId: 200001,
      text: 'Fast path audit check',
    });
    expect(json.result).toMatchObject({ structuredContent: { status: 'preview' } });
    const audit = await (await runtime.writeStore()).recentAudit({ tool: 'hostaway_send_message', limit: 1 });
    expect(audit[0]).toMatchObject({ action: 'preview', caller: 'token:default' });
  });

  it('without the token: 401 before anything is read', async () => {
    const { body, headers } = request('legacy', 'hostaway_get_listing', { listingId: 40160 });
    const res = await fetch(http.url, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer wrong-token-wrong-token' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(401);
  });
});
