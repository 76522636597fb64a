/**
 * One contract for every budget store: the process's own (memory) and the one replicas share (Redis,
 * on its server's clock). Real time and short windows, since Redis keeps its own clock: a wait is
 * checked against the time measured around the steps that set it (never longer than the rule says,
 * shorter only by the time gone since), so that a busy machine's stalls cannot fail it, and a count
 * only while the elapsed time says it must hold (test/client/rate-budget.test.ts pins the memory
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

/**
 * A wait the rule sets at `fullMs` after `since` (taken before the step that started it): never longer
 * than that, and shorter only by the time gone since (1 ms for rounding).
 */
function expectWait(wait: number, fullMs: number, since: number): void {
  expect(wait).toBeLessThanOrEqual(fullMs + 1);
  expect(wait).toBeGreaterThanOrEqual(fullMs - (monotonicNow() - since) - 1);
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
    const w = [win('k', 3, 1_000)];
    const slots = [await take(store, w), await take(store, w), await take(store, w)];
    expect(new Set(slots).size).toBe(3);
    expect(await store.remaining(w, monotonicNow())).toEqual([0]);
    // Only requests in flight fill the window: a completion will wake the waiter, or (a shared store)
    // the earliest lease's end, should its replica have died.
    const inFlightWait = await refused(store, w);
    expect(inFlightWait).toBeGreaterThan(0);
    if (kind === 'memory') expect(inFlightWait).toBe(Number.POSITIVE_INFINITY);
    else expect(inFlightWait).toBeLessThanOrEqual(LEASE_MS);
    const before = monotonicNow();
    await store.complete(w, slots[0] as string, monotonicNow());
    // Now the completion must age out of the 1 s window.
    expectWait(await refused(store, w), 1_000, before);
  });

  it('counts a completion in its window for the window’s length, then lets the next one go', async () => {
    const store = await open();
    const w = [win('k', 1, 1_000)];
    const slot = await take(store, w);
    const before = monotonicNow();
    await store.complete(w, slot, monotonicNow());
    const after = monotonicNow();
    expectWait(await refused(store, w), 1_000, before);
    await sleep(300);
    // Still counted while less than a window has gone since the completion.
    const left = await store.remaining(w, monotonicNow());
    if (monotonicNow() - after < 1_000) expect(left).toEqual([0]);
    // A window after it, the slot is free again.
    await sleep(1_000 - (monotonicNow() - after) + 5);
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
    const slot = await take(store, [a, b]);
    const before = monotonicNow();
    await store.complete([a, b], slot, monotonicNow());
    expectWait(await refused(store, [a, b]), 900, before);
    expectWait(await refused(store, [b, a]), 900, before);
    const onlyA = await store.acquire([a], monotonicNow());
    // Unless the machine stalled for 300 ms, the shorter window alone still waits, and less.
    if (!onlyA.ok) expectWait(onlyA.waitMs, 300, before);
    else expect(monotonicNow() - before).toBeGreaterThanOrEqual(300);
  });

  it('a lower limit for the same key holds (replicas that disagree): waits for the entry that brings it under', async () => {
    const store = await open();
    const generous = [win('k', 5, 1_500)];
    const strict = [win('k', 2, 1_500)];
    const t0 = monotonicNow();
    // Completions 300, 200 and 100 ms ago: against two, the second oldest (200 ms ago) must age out.
    for (const ago of [300, 200, 100]) await store.complete(generous, await take(store, generous), t0 - ago);
    expect(await store.remaining(generous, monotonicNow())).toEqual([2]);
    expect(await store.remaining(strict, monotonicNow())).toEqual([0]);
    expectWait(await refused(store, strict), 1_300, t0);
  });

  it('keeps completions in time order even when they are reported out of order', async () => {
    const store = await open();
    const w = [win('k', 3, 1_000)];
    const slots = [await take(store, w), await take(store, w), await take(store, w)];
    const t0 = monotonicNow();
    await store.complete(w, slots[0] as string, t0 - 100);
    await store.complete(w, slots[1] as string, t0 - 900);
    await store.complete(w, slots[2] as string, t0 - 500);
    // The oldest answer came 900 ms ago: it leaves the 1 s window first, in about 100 ms; never later
    // (the answer of 500 ms ago, reported last, would say 500).
    const first = await store.acquire(w, monotonicNow());
    if (!first.ok) expectWait(first.waitMs, 100, t0);
    else expect(monotonicNow() - t0).toBeGreaterThanOrEqual(100);
    await sleep(150);
    // One left, until the next oldest (500 ms ago) leaves too; none if the question above was granted
    // (a machine slow enough that the oldest had left by then).
    const left = await store.remaining(w, monotonicNow());
    const granted = first.ok ? 1 : 0;
    if (monotonicNow() - t0 < 500) expect(left).toEqual([1 - granted]);
    else expect(left[0]).toBeGreaterThanOrEqual(1 - granted);
  });

  it('a completion frees its place in flight and takes one in the window', async () => {
    const store = await open();
    const w = [win('k', 4)];
    const first = await take(store, w);
    await take(store, w);
    await take(store, w);
    expect(await store.remaining(w, monotonicNow())).toEqual([1]);
    const before = monotonicNow();
    await store.complete(w, first, monotonicNow());
    const left = await store.remaining(w, monotonicNow());
    if (monotonicNow() - before < 400) expect(left).toEqual([1]);
    await sleep(400 - (monotonicNow() - before) + 5);
    expect(await store.remaining(w, monotonicNow())).toEqual([2]);
  });

  it('never reports fewer than zero slots left', async () => {
    const store = await open();
    for (let i = 0; i < 4; i++) await take(store, [win('k', 5)]);
    expect(await store.remaining([win('k', 2)], monotonicNow())).toEqual([0]);
  });

  it('a pause shuts the windows of its keys until then, and a shorter pause does not shorten it', async () => {
    const store = await open();
    const t0 = monotonicNow();
    // Windows of 5 s, so that the pauses, not the windows, are what holds.
    const a = win('a', 10, 5_000);
    const b = win('b', 10, 5_000);
    await store.pause(['a'], t0 + 1_000);
    const paused = monotonicNow();
    expectWait(await refused(store, [a]), 1_000, t0);
    expect((await store.acquire([b], monotonicNow())).ok).toBe(true);
    await store.pause(['a'], t0 + 200);
    const stillShut = await store.acquire([b, a], monotonicNow());
    if (monotonicNow() - t0 < 1_000) {
      expect(stillShut.ok).toBe(false);
      if (!stillShut.ok) expectWait(stillShut.waitMs, 1_000, t0);
    }
    const asked = monotonicNow();
    const until = await store.pausedUntil(['b', 'a']);
    // On the caller's clock: the time given, to within the round trips of the pause and the question.
    expect(until).toBeGreaterThanOrEqual(t0 + 1_000 - 1);
    expect(until).toBeLessThanOrEqual(t0 + 1_000 + (paused - t0) + (monotonicNow() - asked) + 1);
    expect(await store.pausedUntil(['b'])).toBe(0);
    await store.pause(['a', 'b'], t0 + 1_600);
    const bShut = await store.acquire([b], monotonicNow());
    if (monotonicNow() - t0 < 1_600) {
      expect(bShut.ok).toBe(false);
      if (!bShut.ok) expectWait(bShut.waitMs, 1_600, t0);
    }
    await sleep(1_600 - (monotonicNow() - t0) + 10);
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
