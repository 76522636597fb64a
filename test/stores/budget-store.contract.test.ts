/**
 * One contract for every budget store: the process's own (memory) and the one replicas share (Redis,
 * on its server's clock). Real time and short windows, since Redis keeps its own clock: durations are
 * checked within a slack, never to the millisecond (test/client/rate-budget.test.ts pins the memory
 * store's arithmetic exactly on a fake clock).
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Acquired,
  type BudgetStore,
  type BudgetWindow,
  MemoryBudgetStore,
  monotonicNow,
} from '../../src/client/rate-budget.js';
import { RedisBudgetStore } from '../../src/stores/redis-budget.js';
import { dropNamespaces, freshNamespace, REDIS_URL } from '../helpers/redis.js';

const LEASE_MS = 5_000;
/** How far a duration seen through Redis may stray from the caller's: round trips and timer lateness. */
const SLACK = 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const win = (key: string, limit: number, windowMs = 400): BudgetWindow => ({ key, limit, windowMs });

const namespaces: string[] = [];
const opened: RedisBudgetStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await dropNamespaces(namespaces);
});

const KINDS: Array<[string, () => Promise<BudgetStore>]> = [
  ['memory', async () => new MemoryBudgetStore()],
  [
    'redis',
    async () => {
      const namespace = freshNamespace('contract');
      namespaces.push(namespace);
      const store = new RedisBudgetStore({ url: REDIS_URL, namespace, leaseMs: LEASE_MS, wake: false });
      opened.push(store);
      expect(await store.connected(5_000)).toBe(true);
      return store;
    },
  ],
];

async function take(store: BudgetStore, windows: BudgetWindow[]): Promise<string> {
  const got = await store.acquire(windows, monotonicNow());
  if (!got.ok) throw new Error(`expected a slot, was told to wait ${got.waitMs} ms`);
  return got.slot;
}

/** A refusal, and its wait. */
async function refused(store: BudgetStore, windows: BudgetWindow[]): Promise<number> {
  const got: Acquired = await store.acquire(windows, monotonicNow());
  expect(got.ok).toBe(false);
  return got.ok ? 0 : got.waitMs;
}

describe.each(KINDS)('budget store contract: %s', (kind, open) => {
  it('grants up to the limit counting requests in flight, then asks to wait; each slot is distinct', async () => {
    const store = await open();
    const w = [win('k', 3)];
    const slots = [await take(store, w), await take(store, w), await take(store, w)];
    expect(new Set(slots).size).toBe(3);
    expect(await store.remaining(w, monotonicNow())).toEqual([0]);
    // Only requests in flight fill the window: a completion will wake the waiter, or (a shared store)
    // the earliest lease's end, should its replica have died.
    const inFlightWait = await refused(store, w);
    expect(inFlightWait).toBeGreaterThan(0);
    if (kind === 'memory') expect(inFlightWait).toBe(Number.POSITIVE_INFINITY);
    else expect(inFlightWait).toBeLessThanOrEqual(LEASE_MS);
    await store.complete(w, slots[0] as string, monotonicNow());
    // Now the completion must age out of the 400 ms window.
    const wait = await refused(store, w);
    expect(wait).toBeGreaterThan(400 - SLACK);
    expect(wait).toBeLessThanOrEqual(400);
  });

  it('counts a completion in its window for the window’s length, then lets the next one go', async () => {
    const store = await open();
    const w = [win('k', 1)];
    await store.complete(w, await take(store, w), monotonicNow());
    const wait = await refused(store, w);
    expect(wait).toBeGreaterThan(400 - SLACK);
    await sleep(wait - SLACK);
    expect(await store.remaining(w, monotonicNow())).toEqual([0]);
    expect(await refused(store, w)).toBeLessThanOrEqual(SLACK);
    await sleep(SLACK + 5);
    expect(await store.remaining(w, monotonicNow())).toEqual([1]);
    expect((await store.acquire(w, monotonicNow())).ok).toBe(true);
  });

  it('takes a slot in every window or in none', async () => {
    const store = await open();
    const wide = win('ip:a', 5);
    const narrow = win('account:1', 1);
    await take(store, [wide, narrow]);
    expect(await store.remaining([wide, narrow], monotonicNow())).toEqual([4, 0]);
    await refused(store, [wide, narrow]);
    // The refusal took nothing from the window that had room.
    expect(await store.remaining([wide, narrow], monotonicNow())).toEqual([4, 0]);
    await take(store, [wide]);
    expect(await store.remaining([wide, narrow], monotonicNow())).toEqual([3, 0]);
  });

  it('waits for the longest of the windows that stand in the way, whatever their order', async () => {
    const store = await open();
    const a = win('a', 1, 300);
    const b = win('b', 1, 900);
    await store.complete([a, b], await take(store, [a, b]), monotonicNow());
    const ab = await refused(store, [a, b]);
    const ba = await refused(store, [b, a]);
    const onlyA = await refused(store, [a]);
    for (const wait of [ab, ba]) {
      expect(wait).toBeGreaterThan(900 - SLACK);
      expect(wait).toBeLessThanOrEqual(900);
    }
    expect(onlyA).toBeGreaterThan(300 - SLACK);
    expect(onlyA).toBeLessThanOrEqual(300);
  });

  it('a lower limit for the same key holds (replicas that disagree): waits for the entry that brings it under', async () => {
    const store = await open();
    const generous = [win('k', 5, 600)];
    const strict = [win('k', 2, 600)];
    const t0 = monotonicNow();
    // Completions 300, 200 and 100 ms ago: against two, the second oldest (200 ms ago) must age out.
    for (const ago of [300, 200, 100]) await store.complete(generous, await take(store, generous), t0 - ago);
    expect(await store.remaining(generous, monotonicNow())).toEqual([2]);
    expect(await store.remaining(strict, monotonicNow())).toEqual([0]);
    const wait = await refused(store, strict);
    expect(wait).toBeGreaterThan(400 - SLACK);
    expect(wait).toBeLessThanOrEqual(400);
  });

  it('keeps completions in time order even when they are reported out of order', async () => {
    const store = await open();
    const w = [win('k', 3, 600)];
    const slots = [await take(store, w), await take(store, w), await take(store, w)];
    const t0 = monotonicNow();
    await store.complete(w, slots[0] as string, t0 - 100);
    await store.complete(w, slots[1] as string, t0 - 500);
    await store.complete(w, slots[2] as string, t0 - 300);
    // The oldest answer came 500 ms ago: it leaves the 600 ms window first, in about 100 ms.
    const wait = await refused(store, w);
    expect(wait).toBeGreaterThan(100 - SLACK);
    expect(wait).toBeLessThanOrEqual(100);
    await sleep(100 + SLACK);
    expect(await store.remaining(w, monotonicNow())).toEqual([1]);
  });

  it('a completion frees its place in flight and takes one in the window', async () => {
    const store = await open();
    const w = [win('k', 4)];
    const first = await take(store, w);
    await take(store, w);
    await take(store, w);
    expect(await store.remaining(w, monotonicNow())).toEqual([1]);
    await store.complete(w, first, monotonicNow());
    expect(await store.remaining(w, monotonicNow())).toEqual([1]);
    await sleep(400 + SLACK);
    expect(await store.remaining(w, monotonicNow())).toEqual([2]);
  });

  it('never reports fewer than zero slots left', async () => {
    const store = await open();
    for (let i = 0; i < 4; i++) await take(store, [win('k', 5)]);
    expect(await store.remaining([win('k', 2)], monotonicNow())).toEqual([0]);
  });

  it('a pause shuts the windows of its keys until then, and a shorter pause does not shorten it', async () => {
    const store = await open();
    const a = win('a', 10);
    const b = win('b', 10);
    const t0 = monotonicNow();
    await store.pause(['a'], t0 + 500);
    const wait = await refused(store, [a]);
    expect(wait).toBeGreaterThan(500 - SLACK);
    expect(wait).toBeLessThanOrEqual(500);
    expect((await store.acquire([b], monotonicNow())).ok).toBe(true);
    await store.pause(['a'], t0 + 100);
    expect(await refused(store, [b, a])).toBeGreaterThan(500 - SLACK);
    const until = await store.pausedUntil(['b', 'a']);
    expect(Math.abs(until - (t0 + 500))).toBeLessThan(SLACK);
    expect(await store.pausedUntil(['b'])).toBe(0);
    await store.pause(['a', 'b'], t0 + 800);
    expect(await refused(store, [b])).toBeGreaterThan(800 - SLACK - (monotonicNow() - t0));
    await sleep(800 - (monotonicNow() - t0) + 10);
    expect((await store.acquire([a, b], monotonicNow())).ok).toBe(true);
    // Over: 0, or a time already past.
    expect(await store.pausedUntil(['a', 'b'])).toBeLessThanOrEqual(monotonicNow());
  });

  it('a pause already over changes nothing', async () => {
    const store = await open();
    await store.pause(['k'], monotonicNow() - 1_000);
    expect(await store.pausedUntil(['k'])).toBeLessThanOrEqual(monotonicNow());
    expect((await store.acquire([win('k', 1)], monotonicNow())).ok).toBe(true);
  });
});
