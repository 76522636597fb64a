/**
 * `/metrics` on the real HTTP server after a few calls through both surfaces: tool calls by tool,
 * outcome and surface; the latency histogram; upstream requests by endpoint and status, matching the
 * sandbox's own request log; cache hits; HTTP answers by route. Behind the same token as any read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { parsePrometheus, sampleValue, sumOf } from '../helpers/prometheus.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const TOKEN = 'metrics-test-token-0123456789';
let runtime: Runtime;
let http: HttpServerHandle;
let base: string;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  runtime = await startTestRuntime({ metrics: true, env: { MCP_AUTH_TOKEN: TOKEN } });
  http = await startHttpServer(runtime);
  base = http.url.replace(/\/mcp$/, '');
});
afterAll(async () => {
  await http.close();
  await runtime.close();
});

describe('/metrics', () => {
  it('needs the token', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });

  it('counts the calls made, by tool, outcome and surface, and the upstream requests they caused', async () => {
    const sandbox = runtime.sandbox!;
    const before = sandbox.requests.lastSeq;
    // REST: the same listing twice (the second from the cache), and one bad call.
    for (let i = 0; i < 2; i++)
      expect((await fetch(`${base}/api/v1/get_listing?listingId=40161`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/get_listing?listingId=oops`, { headers: auth })).status).toBe(400);
    // MCP, in memory, through the same runtime.
    const mcp = await connect(runtime, 'legacy (in-memory)');
    const r = await mcp.client.callTool({ name: 'hostaway_search_listings', arguments: { limit: 2 } });
    expect(r.isError).toBeFalsy();
    await mcp.close();

    const res = await fetch(`${base}/metrics`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const exp = parsePrometheus(await res.text());
    const calls = (labels: Record<string, string>) =>
      sampleValue(exp, 'hostaway_mcp_tool_calls_total', labels);
    expect(calls({ tool: 'hostaway_get_listing', outcome: 'ok', surface: 'rest' })).toBe(2);
    expect(calls({ tool: 'hostaway_get_listing', outcome: 'invalid_arguments', surface: 'rest' })).toBe(1);
    expect(calls({ tool: 'hostaway_search_listings', outcome: 'ok', surface: 'mcp' })).toBe(1);
    expect(
      sampleValue(exp, 'hostaway_mcp_tool_call_duration_seconds_count', {
        tool: 'hostaway_get_listing',
        surface: 'rest',
      }),
    ).toBe(3);
    expect(sampleValue(exp, 'hostaway_mcp_tool_calls_in_flight')).toBe(0);
    // Upstream: what the sandbox saw, by endpoint template.
    const seen = sandbox.requests.list(before);
    const listingReads = seen.filter((e) => /^\/v1\/listings\/40161$/.test(e.path)).length;
    expect(listingReads).toBe(1);
    expect(
      sumOf(exp, 'hostaway_upstream_requests_total', {
        endpoint: 'listings/{id}',
        method: 'GET',
        status: '200',
      }),
    ).toBe(listingReads);
    expect(sumOf(exp, 'hostaway_upstream_requests_total')).toBeGreaterThanOrEqual(seen.length);
    expect(sampleValue(exp, 'hostaway_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(exp, 'hostaway_upstream_rate_limited_total')).toBe(0);
    expect(sumOf(exp, 'hostaway_rate_budget_in_flight')).toBe(0);
    // Our own HTTP answers, by route: ids never become labels.
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/api/v1/', status: '200' })).toBe(
      2,
    );
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/api/v1/', status: '400' })).toBe(
      1,
    );
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/metrics', status: '401' })).toBe(
      1,
    );
    expect(exp.samples.some((s) => Object.values(s.labels).some((v) => v.includes('40161')))).toBe(false);
  });
});
