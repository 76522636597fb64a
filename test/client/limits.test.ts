import { afterEach, describe, expect, it } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import { MemoryBudgetStore } from '../../src/client/rate-budget.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor, maxInWindow } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

/** Hostaway's counts on a 1-second window instead of 10, so the tests take seconds. */
const WINDOW_MS = 1_000;
const SCALED = { perIp: { limit: 15, windowMs: WINDOW_MS }, perAccount: { limit: 20, windowMs: WINDOW_MS } };

describe('client rate budget against the sandbox limits (time scale 1/10)', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.close());

  it('a burst of 100 calls stays within both budgets, gets no 429 and uses the budget', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: SCALED });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      // The margin covers the sandbox's own queueing when 15 requests land at once.
      limits: { ...SCALED, marginMs: 100, maxInFlight: 10 },
    });
    const started = Date.now();
    // Distinct reads, so that nothing is coalesced.
    const ids = Array.from({ length: 100 }, (_, i) => 1_000_001 + i);
    const results = await Promise.all(ids.map((id) => client.reservations.get(id)));
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.id)).toEqual(ids);

    const log = sandbox.requests.list();
    expect(log.filter((e) => e.status === 429)).toHaveLength(0);
    expect(log).toHaveLength(101);
    expect(
      maxInWindow(
        log.map((e) => e.at),
        WINDOW_MS,
      ),
    ).toBeLessThanOrEqual(15);
    // 101 requests at 15 per window: the first 15 at once, then 15 a window: at least 6 windows.
    const theoretical = Math.ceil((101 - 15) / 15) * WINDOW_MS;
    expect(elapsed).toBeGreaterThanOrEqual(theoretical * 0.95);
    // How close it comes to that minimum is a speed figure: `npm run bench -- budget` reports it.
    await client.close();
  });

  it('keeps at most 10 requests in flight, within both budgets', async () => {
    sandbox = await startSandbox({
      now: TEST_NOW,
      rateLimits: SCALED,
      faults: [{ kind: 'latency', ms: 150, path: '/v1/listings/*' }],
    });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      limits: { ...SCALED, marginMs: 20, maxInFlight: 10 },
    });
    const status = client.status();
    expect((await status).budget.remaining.map((r) => r.limit)).toEqual([15, 20]);
    await Promise.all(Array.from({ length: 25 }, (_, i) => client.listings.get(40160 + i)));
    const calls = sandbox.requests.list().filter((e) => e.path.startsWith('/v1/listings/'));
    // Requests in flight at once, from arrival and duration.
    let most = 0;
    for (const a of calls)
      most = Math.max(most, calls.filter((b) => b.at <= a.at && b.at + b.durationMs > a.at).length);
    expect(most).toBeLessThanOrEqual(10);
    expect(sandbox.requests.list().filter((e) => e.status === 429)).toHaveLength(0);
    await client.close();
  });

  it('two clients sharing one budget store (replicas) stay within it together', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: SCALED });
    const budgetStore = new MemoryBudgetStore();
    const options = { cache: { enabled: false }, limits: { ...SCALED, marginMs: 100 } };
    const a = clientFor(sandbox, options, { budgetStore });
    const b = clientFor(sandbox, options, { budgetStore });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => a.reservations.get(1_000_001 + i)),
      ...Array.from({ length: 20 }, (_, i) => b.reservations.get(1_000_101 + i)),
    ]);
    const log = sandbox.requests.list();
    expect(log.filter((e) => e.status === 429)).toHaveLength(0);
    expect(
      maxInWindow(
        log.map((e) => e.at),
        WINDOW_MS,
      ),
    ).toBeLessThanOrEqual(15);
    await Promise.all([a.close(), b.close()]);
  });

  it('a caller that cannot get a turn in time gets a clear rate_limited error', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      limits: {
        perIp: { limit: 3, windowMs: 5_000 },
        perAccount: { limit: 3, windowMs: 5_000 },
        marginMs: 0,
        maxWaitMs: 300,
      },
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => client.listings.get(40160 + i)),
    );
    const failed = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason);
    // The token took one of the three turns.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(failed).toHaveLength(4);
    for (const err of failed) {
      expect(err).toBeInstanceOf(HostawayError);
      expect(err.kind).toBe('rate_limited');
      expect(err.message).toMatch(/rate limits/);
    }
    await client.close();
  });

  it('a cancelled caller leaves the queue at once and sends nothing', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      limits: {
        perIp: { limit: 4, windowMs: 1_500 },
        perAccount: { limit: 4, windowMs: 1_500 },
        marginMs: 0,
      },
    });
    await client.listings.get(40160); // token + one call: two turns left in this window
    const controllers = Array.from({ length: 6 }, () => new AbortController());
    const calls = controllers.map((c, i) =>
      client.listings.get(40161 + i, c.signal).then(
        () => 'ok',
        (e: HostawayError) => e.kind,
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect((await client.status()).budget.queued).toBe(4);
    let released = 0;
    for (const call of calls.slice(2)) void call.then(() => released++);
    for (const c of controllers.slice(2)) c.abort();
    // At once: out of the queue and answered before any timer or I/O could run, so not at the next
    // turn. How long that takes is a speed figure: `npm run bench -- waits` reports it.
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(4);
    expect((await client.status()).budget.queued).toBe(0);
    expect(await Promise.all(calls)).toEqual([
      'ok',
      'ok',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    await new Promise((r) => setTimeout(r, 1_600));
    expect(sandbox.requests.list().filter((e) => e.path.startsWith('/v1/listings/'))).toHaveLength(3);
    await client.close();
  });
});
