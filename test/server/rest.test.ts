/**
 * The REST surface over real HTTP: every tool is a route that gives the same answer, text and error
 * message as its MCP tool (one call path), writes keep the preview/confirm protocol and happen once,
 * failures are RFC 9457 problem details, and the HTTP guards (body limit, content type, token) hold.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { connect, startTestRuntime, VALID_ARGS } from '../helpers/server.js';

let runtime: Runtime;
let http: HttpServerHandle;
let mcp: { client: Client; close: () => Promise<void> };
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await startHttpServer(runtime);
  base = http.url.replace(/\/mcp$/, '');
  mcp = await connect(runtime, 'legacy (in-memory)');
});
afterAll(async () => {
  await mcp.close();
  await http.close();
  await runtime.close();
});

const tools = enabledTools({ readOnly: false, writes: true, toolsets: undefined });
const reads = tools.filter((t) => t.annotations.readOnlyHint);

function queryOf(args: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(args))
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  return q.toString();
}

const route = (name: string) => `${base}/api/v1/${name.replace(/^hostaway_/, '')}`;

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as { type: string; title: string; status: number; detail: string };
  expect(body.status).toBe(res.status);
  expect(body.type).toMatch(/^tag:hostaway-mcp-server,2026:problem\/[a-z_]+$/);
  expect(body.title.length).toBeGreaterThan(5);
  return body;
}

describe('REST: every read tool is a GET route with the same answer as MCP', () => {
  it.each(reads.map((t) => t.name))('%s', async (name) => {
    const args = VALID_ARGS[name] ?? {};
    const viaMcp = await mcp.client.callTool({ name, arguments: args });
    expect(viaMcp.isError).toBeFalsy();
    const res = await fetch(`${route(name)}?${queryOf(args)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-hostaway-mode')).toBe('sandbox');
    const body = await res.json();
    // Answers that carry the time of asking differ by that alone.
    const untimed = (v: unknown) =>
      JSON.parse(JSON.stringify(v), (key, value) =>
        ['checkedAt', 'asOf', 'generatedAt', 'cutoff', 'ms'].includes(key) ? undefined : value,
      );
    // The connection status reports the server's own counters, which each call moves: same shape only.
    if (name === 'hostaway_connection_status')
      expect(Object.keys(body as object).sort()).toEqual(Object.keys(viaMcp.structuredContent ?? {}).sort());
    else expect(untimed(body)).toEqual(untimed(viaMcp.structuredContent));
    const text = await fetch(`${route(name)}?${queryOf(args)}`, { headers: { accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await text.text()).length).toBeGreaterThan(0);
  });
});

describe('REST: arguments and failures', () => {
  it('reads arrays from repeated or comma-separated parameters, numbers and booleans as their types', async () => {
    const repeated = await fetch(
      `${route('hostaway_finance_report')}?from=2026-10-01&to=2026-10-31&listingIds=40160&listingIds=40161`,
    );
    const comma = await fetch(
      `${route('hostaway_finance_report')}?from=2026-10-01&to=2026-10-31&listingIds=40160,40161`,
    );
    const one = await fetch(
      `${route('hostaway_finance_report')}?from=2026-10-01&to=2026-10-31&listingIds=40160`,
    );
    expect(repeated.status).toBe(200);
    const [a, b, c] = await Promise.all([repeated.json(), comma.json(), one.json()]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const archived = await fetch(`${route('hostaway_search_listings')}?includeArchived=true&limit=3`);
    expect(archived.status).toBe(200);
    expect(((await archived.json()) as { listings: unknown[] }).listings.length).toBeLessThanOrEqual(3);
  });

  it('bad arguments: 400 with the message MCP gives, naming the field', async () => {
    const res = await fetch(`${route('hostaway_search_listings')}?limit=abc&colour=blue`);
    expect(res.status).toBe(400);
    const body = await problem(res);
    const viaMcp = await mcp.client.callTool({
      name: 'hostaway_search_listings',
      arguments: { limit: 'abc', colour: 'blue' },
    });
    expect(body.detail).toBe((viaMcp.content as Array<{ text: string }>)[0]?.text);
    expect(body.detail).toMatch(/limit/);
    expect(body.detail).toMatch(/colour/);
  });

  it('a listing Hostaway does not have: 404', async () => {
    const res = await fetch(`${route('hostaway_get_listing')}?listingId=999999`);
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toMatch(/999999/);
  });

  it('an unknown route is 404, a wrong method 405 with Allow', async () => {
    const unknown = await fetch(`${base}/api/v1/drop_database`);
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).detail).toMatch(/openapi\.json/);
    const wrong = await fetch(route('hostaway_search_listings'), { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    await problem(wrong);
    const get = await fetch(route('hostaway_send_message'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('a write takes JSON only, within the body limit', async () => {
    const form = await fetch(route('hostaway_send_message'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'conversationId=200001&text=hi',
    });
    expect(form.status).toBe(415);
    await problem(form);
    const broken = await fetch(route('hostaway_send_message'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"conversationId": 200001,',
    });
    expect(broken.status).toBe(400);
    expect((await problem(broken)).type).toMatch(/invalid_json$/);
    const huge = JSON.stringify({ conversationId: 200001, text: 'x'.repeat(1_100_000) });
    const big = await fetch(route('hostaway_send_message'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(big.status).toBe(413);
    // The MCP endpoint applies the same limit.
    const bigMcp = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(bigMcp.status).toBe(413);
  });
});

describe('REST: writes preview, then commit once', () => {
  it('sends a message only on the confirmed second call, and a repeat sends nothing more', async () => {
    const store = runtime.sandbox!.store();
    const before = store.conversationMessages(200001, false).length;
    const args = { conversationId: 200001, text: 'Your towels are on the bed, see you at four' };
    const post = (body: unknown) =>
      fetch(route('hostaway_send_message'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const preview = (await (await post(args)).json()) as { status: string; confirmationId: string };
    expect(preview.status).toBe('preview');
    expect(preview.confirmationId).toMatch(/^cf_/);
    expect(store.conversationMessages(200001, false).length).toBe(before);
    const done = await post({ ...args, confirmationId: preview.confirmationId });
    expect(done.status).toBe(200);
    const outcome = (await done.json()) as { status: string };
    expect(outcome.status).toBe('done');
    const again = (await (await post({ ...args, confirmationId: preview.confirmationId })).json()) as {
      status: string;
    };
    expect(again.status).toBe('done');
    const sent = store.conversationMessages(200001, false).filter((m) => m.body === args.text);
    expect(sent).toHaveLength(1);
    // The audit log names the REST caller.
    const log = (await (
      await fetch(`${route('hostaway_recent_changes')}?tool=hostaway_send_message`)
    ).json()) as { entries: Array<{ caller: string; result: string }> };
    expect(log.entries[0]?.caller).toBe('http (loopback, no token)');
  });
});

describe('REST: the token guards every route but the docs', () => {
  let guarded: Runtime;
  let server: HttpServerHandle;
  const token = 'rest-test-token-0123456789';
  beforeAll(async () => {
    guarded = await startTestRuntime({ env: { MCP_AUTH_TOKEN: token } });
    server = await startHttpServer(guarded);
  });
  afterAll(async () => {
    await server.close();
    await guarded.close();
  });

  it('401 with WWW-Authenticate without the token; 200 with it', async () => {
    const at = `${server.url.replace(/\/mcp$/, '')}/api/v1/search_listings?limit=1`;
    const none = await fetch(at);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await problem(none)).detail).not.toContain(token);
    const wrong = await fetch(at, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(at, { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    const docs = await fetch(`${server.url.replace(/\/mcp$/, '')}/openapi.json`);
    expect(docs.status).toBe(200);
  });

  it('a foreign Origin is refused before anything runs', async () => {
    const res = await fetch(`${server.url.replace(/\/mcp$/, '')}/api/v1/search_listings`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });
});
