/**
 * What one operations brief costs upstream, counted in the sandbox's request log: a few list requests
 * cold, none warm, never one per listing; and on 200 listings, with Hostaway's own limits enforced by the
 * sandbox and the client's default budget, no 429 and the cuts said.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import type { BriefOutput } from '../../src/tools/brief-output.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Brief = import('zod').infer<typeof BriefOutput>;
const NOW = '2026-11-25T12:00:00Z';

const opened: Array<{ runtime: Runtime; close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.close();
    await o.runtime.close();
  }
});

async function briefOn(runtime: Runtime) {
  const { client, close } = await connect(runtime, 'legacy (in-memory)');
  opened.push({ runtime, close });
  const log = runtime.sandbox!.requests;
  return async (args: Record<string, unknown> = {}) => {
    const since = log.lastSeq;
    const r = await client.callTool({ name: 'hostaway_operations_brief', arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    const requests = log.list(since);
    return {
      out: r.structuredContent as Brief,
      requests,
      // The token is minted once per account and kept for months: it is not the brief's.
      api: requests.filter((e) => e.path !== '/v1/accessTokens').map((e) => `${e.method} ${e.path}`),
    };
  };
}

describe('the cost of a brief', () => {
  it('25 listings: at most 6 requests cold, all list endpoints; none warm', async () => {
    const brief = await briefOn(await startTestRuntime({ now: NOW }));
    const cold = await brief();
    expect(cold.api.length).toBeLessThanOrEqual(6);
    expect(cold.api.sort()).toEqual([
      'GET /v1/conversations',
      'GET /v1/listings',
      'GET /v1/listings',
      'GET /v1/reservations',
      'GET /v1/reservations',
      'GET /v1/tasks',
    ]);
    expect(cold.out.counts.listings).toBe(25);
    expect(cold.out.counts.arrivals).toBeGreaterThan(0); // so that earlier stays were looked up
    expect(cold.out.counts.vacant).toBeGreaterThan(0); // and the vacant nights searched
    const warm = await brief();
    expect(warm.requests).toEqual([]);
    expect(warm.out.counts).toEqual(cold.out.counts);
  });

  it('200 listings under Hostaway’s limits: no 429, no error, a handful of requests, the cuts said', async () => {
    const config = loadConfig({
      env: { HOSTAWAY_SANDBOX_LISTINGS: '200', MCP_HTTP_PORT: '0' },
      envFile: '/dev/null',
    });
    // The sandbox enforces 15 per IP and 20 per account in any 10 s; the client keeps its default budget.
    const runtime = await createRuntime(config, { logger: silentLogger, sandbox: { now: NOW } });
    expect(runtime.sandbox?.store().counts().listings).toBe(200);
    const brief = await briefOn(runtime);
    const started = performance.now();
    const { out, requests, api } = await brief();
    expect(requests.filter((e) => e.status === 429)).toEqual([]);
    expect(requests.every((e) => e.status === 200)).toBe(true);
    expect(api.length).toBeLessThanOrEqual(15);
    expect(api.filter((p) => /\/v1\/listings\/\d+/.test(p))).toEqual([]);
    expect(out.counts.listings).toBe(200);
    expect(out.counts.arrivals).toBeGreaterThan(10);
    expect(out.cut.some((c) => c.startsWith('returning guests: earlier stays looked through back to'))).toBe(
      true,
    );
    expect(out.cut.some((c) => c.startsWith('waiting guests and unread flags: the 800 most recent'))).toBe(
      true,
    );
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
