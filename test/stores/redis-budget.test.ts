/**
 * Replicas sharing one budget through the Redis server on this machine: three gates on three
 * connections never admit more than the limit in any span of the window, yet use at least 90 % of it;
 * a gate waiting on another replica's request goes when that one completes; a replica that dies
 * mid-request holds its slot only until its lease runs out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BudgetStore,
  type BudgetWindow,
  MemoryBudgetStore,
  monotonicNow,
  RateGate,
} from '../../src/client/rate-budget.js';
import { openSharedBudget, RedisBudgetStore, type ResilientBudgetStore } from '../../src/stores/index.js';
import { dropNamespaces, freshNamespace, keysOf, maxInAnySpan, REDIS_URL } from '../helpers/redis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const namespaces: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await dropNamespaces(namespaces);
});

function namespace(label: string): string {
  const ns = freshNamespace(label);
  namespaces.push(ns);
  return ns;
}

/** One replica's budget: its own connections to Redis, as a server process opens it. */
async function replica(ns: string, extra: { leaseMs?: number } = {}): Promise<ResilientBudgetStore> {
  const store = await openSharedBudget({ url: REDIS_URL, namespace: ns, replicas: 3, ...extra });
  closers.push(() => store.close());
  expect(store.mode).toBe('shared');
  return store;
}

const gateOn = (store: BudgetStore, windows: BudgetWindow[], maxWaitMs = 20_000) =>
  new RateGate({ store, windows, maxInFlight: 10, maxWaitMs });

/**
 * Drives `total` requests through the gates at once (round robin), each holding its turn `holdMs`.
 * Returns when each was admitted: the middle of its turn, a moment Hostaway could have counted it.
 */
async function burst(gates: RateGate[], total: number, holdMs: number) {
  const started = monotonicNow();
  const admitted: number[] = [];
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      const release = await (gates[i % gates.length] as RateGate).acquire();
      const granted = monotonicNow();
      await sleep(holdMs);
      admitted.push((granted + monotonicNow()) / 2);
      release();
    }),
  );
  return { started, admitted, lastAdmitted: Math.max(...admitted) };
}

describe('three replicas sharing one Redis budget', () => {
  // Hostaway's limits on a 2 s window (time scale 1/5): 15 per IP, 20 per account. Long enough that a
  // busy machine's late timers weigh little against it.
  const WINDOW_MS = 2_000;
  const windows = (ns: string): BudgetWindow[] => [
    { key: `ip:${ns}`, limit: 15, windowMs: WINDOW_MS },
    { key: `account:${ns}`, limit: 20, windowMs: WINDOW_MS },
  ];

  it('the measure catches an overrun: three replicas each on their own budget admit three times the limit', async () => {
    const ns = 'unshared';
    const gates = [0, 1, 2].map(() => gateOn(new MemoryBudgetStore(), windows(ns)));
    const { admitted } = await burst(gates, 45, 5);
    expect(maxInAnySpan(admitted, WINDOW_MS)).toBe(45);
  });

  it('a burst of 60 admits at most 15 in any window span, and uses at least 90 % of what the limits allow', async () => {
    const ns = namespace('burst');
    const stores = await Promise.all([replica(ns), replica(ns), replica(ns)]);
    const gates = stores.map((s) => gateOn(s, windows(ns)));
    const total = 60;
    const { started, admitted, lastAdmitted } = await burst(gates, total, 10);
    expect(admitted).toHaveLength(total);
    expect(maxInAnySpan(admitted, WINDOW_MS)).toBeLessThanOrEqual(15);
    // The least time: 15 at once, then 15 a window later, ...: the last 15 go 3 windows after the first.
    const leastMs = Math.floor((total - 1) / 15) * WINDOW_MS;
    const utilisation = leastMs / (lastAdmitted - started);
    expect(utilisation).toBeGreaterThanOrEqual(0.9);
    expect(utilisation).toBeLessThanOrEqual(1);
    expect(stores.map((s) => s.mode)).toEqual(['shared', 'shared', 'shared']);
  });

  it('a gate waiting on another replica’s request goes when that request completes, not when its lease would end', async () => {
    const ns = namespace('wake');
    const w: BudgetWindow[] = [{ key: `account:${ns}`, limit: 1, windowMs: 300 }];
    // Leases of 30 s: without a wake-up, B would sleep past its 10 s bound and fail.
    const [a, b] = await Promise.all([replica(ns, { leaseMs: 30_000 }), replica(ns, { leaseMs: 30_000 })]);
    const gateA = gateOn(a as BudgetStore, w);
    const gateB = gateOn(b as BudgetStore, w, 10_000);
    const releaseA = await gateA.acquire();
    let grantedB = 0;
    const turnB = gateB.acquire().then((release) => {
      grantedB = monotonicNow();
      return release;
    });
    await sleep(400);
    expect(grantedB).toBe(0);
    const completedA = monotonicNow();
    releaseA();
    (await turnB)();
    // Once A's answer is in, the window holds it for 300 ms; then B goes, without waiting its lease out.
    expect(grantedB - completedA).toBeGreaterThanOrEqual(300 - 30);
    expect(grantedB - completedA).toBeLessThan(300 + 2_000);
  });

  it('a replica that dies mid-request holds its slot until the lease ends, and counts it a window after', async () => {
    const ns = namespace('lease');
    const w: BudgetWindow[] = [{ key: `account:${ns}`, limit: 1, windowMs: 1_000 }];
    const dead = new RedisBudgetStore({ url: REDIS_URL, namespace: ns, leaseMs: 300, wake: false });
    expect(await dead.connected(5_000)).toBe(true);
    const taken = await dead.acquire(w);
    expect(taken.ok).toBe(true);
    const t0 = monotonicNow();
    await dead.close();

    const alive = new RedisBudgetStore({ url: REDIS_URL, namespace: ns, leaseMs: 300 });
    closers.push(() => alive.close());
    expect(await alive.connected(5_000)).toBe(true);
    const inFlight = await alive.acquire(w);
    expect(inFlight.ok).toBe(false);
    // Told to come back when the lease ends, not "never".
    if (!inFlight.ok) expect(inFlight.waitMs).toBeLessThanOrEqual(300);
    await sleep(400 - (monotonicNow() - t0));
    // The lease ended: Hostaway may have counted the request until then, so it counts from then, for
    // a window (until about 1.3 s after it was taken).
    const counted = await alive.acquire(w);
    expect(counted.ok).toBe(false);
    if (!counted.ok) expect(counted.waitMs).toBeGreaterThan(300);
    // A gate on the live replica gets its turn once that window has passed.
    const gate = gateOn(alive, w, 5_000);
    const release = await gate.acquire();
    expect(monotonicNow() - t0).toBeGreaterThanOrEqual(1_300 - 30);
    release();
  });

  it('keeps every key of a deployment under one hash tag, and leaves none without an expiry', async () => {
    const ns = namespace('keys');
    const store = await replica(ns);
    const w = windows(ns);
    const gate = gateOn(store, w);
    for (let i = 0; i < 3; i++) (await gate.acquire())();
    await gate.pauseFor(1_000);
    await sleep(50);
    const keys = await keysOf(ns);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(key.startsWith(`{${ns}}:budget:`)).toBe(true);
    const shared = new RedisBudgetStore({ url: REDIS_URL, namespace: ns, wake: false });
    closers.push(() => shared.close());
    await shared.connected(5_000);
    for (const key of keys) expect(await shared.redis.pttl(key)).toBeGreaterThan(0);
  });
});
