/**
 * Waits that end: an absurd Retry-After is capped and shows in the status, a call that already waited
 * its longest for a turn is not queued again by the retry policy, and the budget's clock cannot be
 * frozen by a wall clock stepped back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import { MemoryBudgetStore, RateGate } from '../../src/client/rate-budget.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await sandbox?.close();
  sandbox = undefined;
});

/** The client's pause once it has read the 429 (the sandbox logs it a moment before the client reads it). */
const pauseAfter429 = async (client: HostawayClient) => {
  for (let i = 0; i < 500; i++) {
    const paused = (await client.status()).budget.pausedForMs;
    if (paused > 0) return paused;
    await new Promise((r) => setTimeout(r, 5));
  }
  return 0;
};

describe('bounded waits', () => {
  it('a Retry-After of 100,000 s is cut to the cap, and the status shows the pause meanwhile', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      retries: { max: 1, delaysMs: [10], jitter: 0, maxRetryAfterMs: 400 },
    });
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 100_000, path: '/v1/listings', times: 1 });
    const call = client.listings.list({ limit: 2 });
    const paused = await pauseAfter429(client);
    expect(paused).toBeGreaterThan(0);
    expect(paused).toBeLessThanOrEqual(400);
    expect((await call).items).toHaveLength(2);
    expect((await client.status()).budget.pausedForMs).toBe(0);
    await client.close();
  });

  it('by default the cap is one minute, and the connection status says how long is left', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, { cache: { enabled: false }, retries: { max: 1, delaysMs: [10] } });
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 100_000, path: '/v1/listings' });
    const stop = new AbortController();
    const call = client.listings.list({ limit: 2 }, stop.signal).catch((e: unknown) => e);
    const paused = await pauseAfter429(client);
    expect(paused).toBeGreaterThan(55_000);
    expect(paused).toBeLessThanOrEqual(60_000);
    stop.abort();
    expect(await call).toBeInstanceOf(HostawayError);
    await client.close();
  });

  it('a call that waited its longest for a turn fails once, without a retry', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      retries: { max: 3, delaysMs: [10], jitter: 0 },
      limits: {
        perIp: { limit: 100, windowMs: 60_000 },
        perAccount: { limit: 2, windowMs: 60_000 },
        marginMs: 0,
        maxInFlight: 10,
        maxWaitMs: 150,
      },
    });
    await client.listings.list({ limit: 1 }); // the token and this request use the account's budget
    const err = await client.listings.get(40160).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostawayError);
    expect((err as HostawayError).kind).toBe('rate_limited');
    expect((err as HostawayError).retryable).toBe(false);
    expect((err as HostawayError).message).toMatch(/and gave up/);
    expect(client.stats.retries).toBe(0);
    await client.close();
  });
});

describe('the budget clock', () => {
  it('a wall clock stepped back an hour does not freeze the budget', async () => {
    const gate = new RateGate({
      store: new MemoryBudgetStore(),
      windows: [{ key: 'account:1', limit: 2, windowMs: 100 }],
      maxInFlight: 5,
      maxWaitMs: 5_000,
    });
    for (let i = 0; i < 2; i++) (await gate.acquire())();
    const real = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => real() - 3_600_000);
    // The third turn comes when the first two age out of the 100 ms window, clock step or not.
    const release = await gate.acquire();
    release();
    expect((await gate.status()).remaining[0]?.remaining).toBeLessThan(2);
  });
});
