/**
 * Fair share of the rate budget among callers: turns go round the callers, so one caller's burst delays
 * another's single request by about one turn per waiting caller; a caller with more waiting than the
 * budget could serve before they time out is refused at once, with a message that says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import { FairQueue } from '../../src/client/fair-queue.js';
import { MemoryBudgetStore, RateGate, type RateGateOptions } from '../../src/client/rate-budget.js';
import { withCaller } from '../../src/logging.js';

describe('FairQueue', () => {
  it('is a plain FIFO with one caller', () => {
    const q = new FairQueue<number>();
    for (let i = 0; i < 5; i++) q.push('a', i);
    expect(Array.from({ length: 5 }, () => q.shift())).toEqual([0, 1, 2, 3, 4]);
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
  });

  it('takes turns round the callers; a newcomer waits at most one turn of each caller already waiting', () => {
    const q = new FairQueue<string>();
    for (let i = 0; i < 4; i++) q.push('a', `a${i}`);
    expect(q.shift()).toBe('a0');
    q.push('b', 'b0');
    q.push('c', 'c0');
    q.push('b', 'b1');
    expect(q.callers).toBe(3);
    const order: string[] = [];
    for (let item = q.shift(); item !== undefined; item = q.shift()) order.push(item);
    expect(order).toEqual(['a1', 'b0', 'c0', 'a2', 'b1', 'a3']);
  });

  it('removing a request keeps the turn order of the rest', () => {
    const q = new FairQueue<string>();
    q.push('a', 'a0');
    q.push('a', 'a1');
    q.push('b', 'b0');
    q.push('c', 'c0');
    expect(q.shift()).toBe('a0');
    // b's only request leaves: c is next, then a.
    expect(q.remove('b', 'b0')).toBe(true);
    expect(q.remove('b', 'b0')).toBe(false);
    expect(q.waitingFor('b')).toBe(0);
    expect([q.shift(), q.shift(), q.shift()]).toEqual(['c0', 'a1', undefined]);
  });
});

describe('RateGate: fair among callers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function gate(options: Partial<RateGateOptions> = {}) {
    return new RateGate({
      // Five requests per second: the burst below takes twenty seconds of budget.
      windows: [{ key: 'account:1', limit: 5, windowMs: 1_000 }],
      store: new MemoryBudgetStore(),
      maxInFlight: 5,
      maxWaitMs: 60_000,
      now: () => Date.now(),
      ...options,
    });
  }

  it("one caller's burst of 100 delays another caller's single request by one turn, not the burst", async () => {
    const g = gate();
    const granted: string[] = [];
    const take = (caller: string, label: string) =>
      withCaller(caller, () =>
        g.acquire().then((release) => {
          granted.push(label);
          // Each answer arrives at once.
          release();
        }),
      );
    const burst = Array.from({ length: 100 }, (_, i) => take('batch', `batch-${i}`));
    await vi.advanceTimersByTimeAsync(0);
    const single = take('someone else', 'single');
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all([...burst, single]);
    // The first window's five went to the batch before the single caller came; it is next after one more.
    expect(granted.indexOf('single')).toBeLessThanOrEqual(6);
    expect(granted.length).toBe(101);
  });

  it('the same single request without fair share would have waited behind the whole burst', async () => {
    // The control for the test above: the same burst and request under one caller name.
    const g = gate();
    const granted: string[] = [];
    const take = (label: string) =>
      withCaller('everyone', () =>
        g.acquire().then((release) => {
          granted.push(label);
          release();
        }),
      );
    const burst = Array.from({ length: 100 }, (_, i) => take(`batch-${i}`));
    await vi.advanceTimersByTimeAsync(0);
    const single = take('single');
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all([...burst, single]);
    expect(granted.indexOf('single')).toBe(100);
  });

  it('refuses at once what the budget could not serve before it timed out, for that caller only', async () => {
    // 5 per second for 10 s of waiting: 5 x (10 + 1) = 55 may wait.
    const g = gate({ maxWaitMs: 10_000, maxInFlight: 1 });
    const errors: unknown[] = [];
    const pending = Array.from({ length: 60 }, () =>
      withCaller('greedy', () =>
        g.acquire().then(
          (release) => release(),
          (err: unknown) => void errors.push(err),
        ),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    // 55 in line (the first of them about to go), 5 refused at once.
    expect(errors).toHaveLength(5);
    const err = errors[0] as HostawayError;
    expect(err).toBeInstanceOf(HostawayError);
    expect(err.kind).toBe('rate_limited');
    expect(err.message).toMatch(/^55 of your requests are already waiting/);
    // Another caller still gets in line.
    let polite = false;
    const other = withCaller('polite', () =>
      g.acquire().then((release) => {
        polite = true;
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(12_000);
    await Promise.all([...pending, other]);
    expect(polite).toBe(true);
  });

  it('with two windows, the tighter one sets how many may wait', async () => {
    const g = gate({
      windows: [
        { key: 'ip:1', limit: 5, windowMs: 1_000 },
        { key: 'account:1', limit: 20, windowMs: 1_000 },
      ],
      maxWaitMs: 10_000,
      maxInFlight: 1,
    });
    const errors: unknown[] = [];
    const pending = Array.from({ length: 60 }, () =>
      withCaller('greedy', () =>
        g.acquire().then(
          (release) => release(),
          (err: unknown) => void errors.push(err),
        ),
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(12_000);
    await Promise.all(pending);
  });
});
