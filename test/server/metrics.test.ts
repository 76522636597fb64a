import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { endpointTemplate, type HostawayClient } from '../../src/client/client.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createMetrics, type Metrics } from '../../src/server/metrics.js';
import { clientFor } from '../helpers/client.js';
import { type Exposition, matching, parsePrometheus, sampleValue, sumOf } from '../helpers/prometheus.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const scrape = async (m: Metrics): Promise<Exposition> => parsePrometheus(await m.render());

describe('metrics after real calls against the sandbox', () => {
  let sandbox: Sandbox;
  const clients: HostawayClient[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
  });
  afterEach(async () => {
    sandbox.faults.clear();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => sandbox.close());

  /** A client measured by fresh metrics, the observer joined after both exist (as the runtime does). */
  const measured = (options: Parameters<typeof clientFor>[1] = {}) => {
    const client = clientFor(sandbox, options);
    clients.push(client);
    const metrics = createMetrics({ client, defaultMetrics: false });
    client.setUpstreamObserver(metrics.upstreamObserver);
    return { client, metrics };
  };

  it('counts upstream requests by endpoint, method and status exactly as the sandbox saw them', async () => {
    const { client, metrics } = measured();
    const since = sandbox.requests.lastSeq;
    await client.listings.list({ limit: 5 });
    await client.listings.list({ limit: 5 }); // from the cache
    await client.listings.get(40160);
    await client.listings.get(40161);
    await client.calendar.get(40160, { startDate: '2026-12-01', endDate: '2026-12-03' });
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 0, path: '/v1/reservations', times: 2 });
    await client.reservations.list({ limit: 3 });
    sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/listings/*', times: 1 });
    await client.listings.get(40162);

    const log = sandbox.requests.list(since);
    const exp = await scrape(metrics);

    // Every series against the sandbox's own request log, both ways.
    const fromLog = new Map<string, number>();
    for (const e of log) {
      const key = `${endpointTemplate(e.path.replace(/^\/v1\//, ''))} ${e.method} ${e.status}`;
      fromLog.set(key, (fromLog.get(key) ?? 0) + 1);
    }
    const fromMetrics = new Map(
      matching(exp, 'hostaway_upstream_requests_total').map((s) => [
        `${s.labels.endpoint} ${s.labels.method} ${s.labels.status}`,
        s.value,
      ]),
    );
    expect(fromMetrics).toEqual(fromLog);
    // And the figures spelled out, so that an oracle and a metric wrong the same way still fail.
    const upstream = (endpoint: string, method: string, status: string) =>
      sampleValue(exp, 'hostaway_upstream_requests_total', { endpoint, method, status });
    expect(upstream('accessTokens', 'POST', '200')).toBe(1);
    expect(upstream('listings', 'GET', '200')).toBe(1);
    expect(upstream('listings/{id}', 'GET', '200')).toBe(3);
    expect(upstream('listings/{id}', 'GET', '503')).toBe(1);
    expect(upstream('listings/{id}/calendar', 'GET', '200')).toBe(1);
    expect(upstream('reservations', 'GET', '429')).toBe(2);
    expect(upstream('reservations', 'GET', '200')).toBe(1);

    const injected429 = log.filter((e) => e.status === 429).length;
    expect(injected429).toBe(2);
    expect(sampleValue(exp, 'hostaway_upstream_rate_limited_total')).toBe(injected429);

    expect(
      sampleValue(exp, 'hostaway_upstream_request_duration_seconds_count', { endpoint: 'listings/{id}' }),
    ).toBe(4);
    expect(
      sampleValue(exp, 'hostaway_upstream_request_duration_seconds_bucket', {
        endpoint: 'listings/{id}',
        le: '+Inf',
      }),
    ).toBe(4);
    expect(sumOf(exp, 'hostaway_upstream_request_duration_seconds_count')).toBe(log.length);
    const seconds = sampleValue(exp, 'hostaway_upstream_request_duration_seconds_sum', {
      endpoint: 'reservations',
    });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(10);

    expect(sampleValue(exp, 'hostaway_cache_hits_total')).toBe(1);
    expect(sampleValue(exp, 'hostaway_cache_misses_total')).toBe(client.stats.cacheMisses);
    expect(client.stats.cacheMisses).toBe(6);
    expect(sampleValue(exp, 'hostaway_cache_coalesced_total')).toBe(0);
    expect(sampleValue(exp, 'hostaway_upstream_retries_total')).toBe(3);
    expect(sampleValue(exp, 'hostaway_cache_entries')).toBe(6);
    expect(exp.families.get('hostaway_upstream_requests_total')?.type).toBe('counter');
    expect(exp.families.get('hostaway_cache_hits_total')?.type).toBe('counter');
    expect(exp.families.get('hostaway_rate_budget_in_flight')?.type).toBe('gauge');
  });

  it('reads the rate budget at scrape time: slots left, turns in flight and waiting, a 429 pause', async () => {
    const { client, metrics } = measured({
      cache: { enabled: false },
      limits: {
        perIp: { limit: 15, windowMs: 10_000 },
        perAccount: { limit: 20, windowMs: 10_000 },
        marginMs: 0,
        maxInFlight: 2,
      },
    });
    await client.listings.list({ limit: 1 }); // token + 1
    let exp = await scrape(metrics);
    expect(sampleValue(exp, 'hostaway_rate_budget_remaining', { window: 'ip' })).toBe(13);
    expect(sampleValue(exp, 'hostaway_rate_budget_remaining', { window: 'account' })).toBe(18);
    expect(sampleValue(exp, 'hostaway_rate_budget_limit', { window: 'ip' })).toBe(15);
    expect(sampleValue(exp, 'hostaway_rate_budget_limit', { window: 'account' })).toBe(20);
    expect(sampleValue(exp, 'hostaway_rate_budget_in_flight')).toBe(0);
    expect(sampleValue(exp, 'hostaway_rate_budget_waiting')).toBe(0);
    expect(sampleValue(exp, 'hostaway_rate_budget_paused_seconds')).toBe(0);
    // The account id is in the window's key; the label holds only its kind.
    expect(JSON.stringify(matching(exp, 'hostaway_rate_budget_remaining'))).not.toContain(
      String(sandbox.accountId),
    );

    // Five slow reads through two places: two in flight, three waiting.
    sandbox.faults.add({ kind: 'latency', ms: 600, path: '/v1/listings/*' });
    const reads = [40160, 40161, 40162, 40163, 40164].map((id) => client.listings.get(id));
    const deadline = Date.now() + 3_000;
    do {
      await new Promise((r) => setTimeout(r, 20));
      exp = await scrape(metrics);
    } while (sampleValue(exp, 'hostaway_rate_budget_in_flight') !== 2 && Date.now() < deadline);
    expect(sampleValue(exp, 'hostaway_rate_budget_in_flight')).toBe(2);
    expect(sampleValue(exp, 'hostaway_rate_budget_waiting')).toBe(3);
    expect(sampleValue(exp, 'hostaway_rate_budget_remaining', { window: 'ip' })).toBe(11);
    await Promise.all(reads);
    exp = await scrape(metrics);
    expect(sampleValue(exp, 'hostaway_rate_budget_in_flight')).toBe(0);
    expect(sampleValue(exp, 'hostaway_rate_budget_waiting')).toBe(0);
    expect(sampleValue(exp, 'hostaway_rate_budget_remaining', { window: 'ip' })).toBe(8);
    expect(sampleValue(exp, 'hostaway_rate_budget_remaining', { window: 'account' })).toBe(13);

    // A 429 that asks for 30 s shuts the budget; this client does not retry, so nothing waits it out.
    sandbox.faults.clear();
    const once = clientFor(sandbox, { retries: { max: 0 } });
    clients.push(once);
    const m2 = createMetrics({ client: once, defaultMetrics: false });
    once.setUpstreamObserver(m2.upstreamObserver);
    await once.listings.list({ limit: 1 });
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 30, path: '/v1/reservations', times: 1 });
    await expect(once.reservations.list({ limit: 1 })).rejects.toThrow();
    exp = await scrape(m2);
    const paused = sampleValue(exp, 'hostaway_rate_budget_paused_seconds') ?? Number.NaN;
    expect(paused).toBeGreaterThan(28);
    expect(paused).toBeLessThanOrEqual(30);
    expect(sampleValue(exp, 'hostaway_upstream_rate_limited_total')).toBe(1);
  });

  it('reads the client once per scrape, however many metrics it feeds', async () => {
    const { client, metrics } = measured();
    const spy = vi.spyOn(client, 'status');
    await metrics.render();
    expect(spy).toHaveBeenCalledTimes(1);
    await metrics.render();
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('a failing client state read shows those gauges as unknown (NaN) and the rest of the scrape intact', async () => {
    const stub = {
      stats: { upstreamRequests: 0, cacheHits: 4, cacheMisses: 1, coalesced: 0, retries: 0, rateLimited: 0 },
      status: () => Promise.reject(new Error('budget store unreachable')),
    } as unknown as HostawayClient;
    const metrics = createMetrics({ client: stub, defaultMetrics: false });
    metrics.observeToolCall('get_listing', 'ok', 0.01, 'mcp');
    const exp = await scrape(metrics);
    expect(sampleValue(exp, 'hostaway_cache_hits_total')).toBe(4);
    expect(sampleValue(exp, 'hostaway_rate_budget_in_flight')).toBeNaN();
    expect(sampleValue(exp, 'hostaway_cache_entries')).toBeNaN();
    expect(matching(exp, 'hostaway_rate_budget_remaining')).toEqual([]);
    expect(sampleValue(exp, 'hostaway_mcp_tool_calls_total', { tool: 'get_listing' })).toBe(1);
  });
});

describe('metrics of the surfaces', () => {
  const idle = {
    stats: { upstreamRequests: 0, cacheHits: 0, cacheMisses: 0, coalesced: 0, retries: 0, rateLimited: 0 },
    status: async () => ({
      budget: { inFlight: 0, queued: 0, pausedForMs: 0, remaining: [] },
      cacheEntries: 0,
    }),
  } as unknown as HostawayClient;

  it('counts tool calls by tool, outcome and surface, with their durations in the right buckets', async () => {
    const m = createMetrics({ client: idle, defaultMetrics: false });
    m.observeToolCall('get_listing', 'ok', 0.003, 'mcp');
    m.observeToolCall('get_listing', 'ok', 0.2, 'mcp');
    m.observeToolCall('get_listing', 'rate_limited', 61, 'mcp');
    m.observeToolCall('get_listing', 'ok', 0.004, 'rest');
    const exp = await scrape(m);
    const calls = (tool: string, outcome: string, surface: string) =>
      sampleValue(exp, 'hostaway_mcp_tool_calls_total', { tool, outcome, surface });
    expect(calls('get_listing', 'ok', 'mcp')).toBe(2);
    expect(calls('get_listing', 'rate_limited', 'mcp')).toBe(1);
    expect(calls('get_listing', 'ok', 'rest')).toBe(1);
    const bucket = (le: string) =>
      sampleValue(exp, 'hostaway_mcp_tool_call_duration_seconds_bucket', {
        tool: 'get_listing',
        surface: 'mcp',
        le,
      });
    expect(bucket('0.001')).toBe(0);
    expect(bucket('0.0025')).toBe(0);
    expect(bucket('0.005')).toBe(1);
    expect(bucket('0.25')).toBe(2);
    expect(bucket('60')).toBe(2);
    expect(bucket('120')).toBe(3);
    expect(bucket('+Inf')).toBe(3);
    expect(
      sampleValue(exp, 'hostaway_mcp_tool_call_duration_seconds_sum', {
        tool: 'get_listing',
        surface: 'mcp',
      }),
    ).toBeCloseTo(61.203, 6);
    expect(exp.families.get('hostaway_mcp_tool_call_duration_seconds')?.type).toBe('histogram');
  });

  it('tracks tool calls in flight and HTTP answers by route and status', async () => {
    const m = createMetrics({ client: idle, defaultMetrics: false });
    m.toolCallStarted();
    m.toolCallStarted();
    m.toolCallStarted();
    m.toolCallEnded();
    m.observeHttp('/mcp', 200);
    m.observeHttp('/mcp', 200);
    m.observeHttp('/mcp', 401);
    m.observeHttp('/metrics', 200);
    const exp = await scrape(m);
    expect(sampleValue(exp, 'hostaway_mcp_tool_calls_in_flight')).toBe(2);
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/mcp', status: '200' })).toBe(2);
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/mcp', status: '401' })).toBe(1);
    expect(sampleValue(exp, 'hostaway_mcp_http_requests_total', { route: '/metrics', status: '200' })).toBe(
      1,
    );
  });

  it('keeps each registry apart, with Node metrics and a name prefix when asked', async () => {
    const a = createMetrics({ client: idle });
    const b = createMetrics({ client: idle, prefix: 'replica_' });
    const c = createMetrics({ client: idle, defaultMetrics: false });
    a.observeToolCall('get_listing', 'ok', 0.01, 'mcp');
    const [ea, eb, ec] = await Promise.all([scrape(a), scrape(b), scrape(c)]);
    expect(sampleValue(ea, 'hostaway_mcp_tool_calls_total', { tool: 'get_listing' })).toBe(1);
    expect(matching(ec, 'hostaway_mcp_tool_calls_total')).toEqual([]);
    expect(matching(eb, 'replica_hostaway_mcp_tool_calls_total')).toEqual([]);
    expect(eb.families.has('replica_hostaway_mcp_tool_calls_total')).toBe(true);
    expect(eb.families.has('hostaway_mcp_tool_calls_total')).toBe(false);
    expect(ea.families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(sampleValue(ea, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(ea.families.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(sampleValue(eb, 'replica_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(ec.families.has('process_cpu_user_seconds_total')).toBe(false);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
