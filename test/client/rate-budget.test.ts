import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import {
  type Acquired,
  type BudgetStore,
  type BudgetWindow,
  MemoryBudgetStore,
  RateGate,
  type RateGateOptions,
} from '../../src/client/rate-budget.js';

// The rate budget is a pure unit: the store takes the time as an argument, and the gate reads the clock
// and sets timers only through its clock and setTimeout, which the gate tests replace with fake ones.

const win = (key: string, limit: number, windowMs = 1_000): BudgetWindow => ({ key, limit, windowMs });

/** Takes a slot that must be granted, for setting a store up. */
async function take(store: MemoryBudgetStore, windows: BudgetWindow[], now: number): Promise<string> {
  const got = await store.acquire(windows, now);
  if (!got.ok) throw new Error(`expected a slot at ${now}, was told to wait ${got.waitMs} ms`);
  return got.slot;
}

describe('MemoryBudgetStore: sliding windows over the times of our own requests', () => {
  it('grants up to the limit, counting requests in flight, then says to wait for a completion', async () => {
    const store = new MemoryBudgetStore();
    const w = [win('k', 3)];
    const slots = [await take(store, w, 0), await take(store, w, 0), await take(store, w, 0)];
    expect(new Set(slots).size).toBe(3);
    expect(await store.remaining(w, 0)).toEqual([0]);
    // Only requests in flight fill the window: no time would help, a completion will.
    expect(await store.acquire(w, 0)).toEqual<Acquired>({ ok: false, waitMs: Number.POSITIVE_INFINITY });
    await store.complete(w, slots[0] as string, 100);
    expect(await store.remaining(w, 100)).toEqual([0]);
    // Now the oldest completion (at 100) must age out of the 1 s window.
    expect(await store.acquire(w, 400)).toEqual<Acquired>({ ok: false, waitMs: 700 });
  });

  it('counts a completion in its window until exactly windowMs later', async () => {
    const store = new MemoryBudgetStore();
    const w = [win('k', 1)];
    await store.complete(w, await take(store, w, 0), 250);
    expect(await store.remaining(w, 1_249)).toEqual([0]);
    expect(await store.acquire(w, 1_249)).toEqual<Acquired>({ ok: false, waitMs: 1 });
    expect(await store.remaining(w, 1_250)).toEqual([1]);
    expect((await store.acquire(w, 1_250)).ok).toBe(true);
  });

  it('takes a slot in every window or in none', async () => {
    const store = new MemoryBudgetStore();
    const wide = win('ip:a', 5);
    const narrow = win('account:1', 1);
    await take(store, [wide, narrow], 0);
    expect(await store.remaining([wide, narrow], 0)).toEqual([4, 0]);
    expect((await store.acquire([wide, narrow], 0)).ok).toBe(false);
    // The refusal took nothing from the window that had room.
    expect(await store.remaining([wide, narrow], 0)).toEqual([4, 0]);
    expect((await store.acquire([wide], 0)).ok).toBe(true);
    expect(await store.remaining([wide, narrow], 0)).toEqual([3, 0]);
  });

  it('waits for the longest of the windows that stand in the way', async () => {
    const store = new MemoryBudgetStore();
    const a = win('a', 1, 1_000);
    const b = win('b', 1, 3_000);
    await store.complete([a, b], await take(store, [a, b], 0), 0);
    expect(await store.acquire([a, b], 500)).toEqual<Acquired>({ ok: false, waitMs: 2_500 });
    expect(await store.acquire([b, a], 500)).toEqual<Acquired>({ ok: false, waitMs: 2_500 });
    expect(await store.acquire([a], 500)).toEqual<Acquired>({ ok: false, waitMs: 500 });
  });

  it('with more requests than a (lowered) limit, waits for the one that brings it under the limit', async () => {
    // Replicas sharing one store may disagree on the limit of a key: the lower one must hold.
    const store = new MemoryBudgetStore();
    const generous = [win('k', 5)];
    const strict = [win('k', 2)];
    for (const at of [100, 200, 300]) await store.complete(generous, await take(store, generous, 0), at);
    expect(await store.remaining(generous, 400)).toEqual([2]);
    expect(await store.remaining(strict, 400)).toEqual([0]);
    // Three completions against a limit of two: the second oldest (at 200) must age out.
    expect(await store.acquire(strict, 400)).toEqual<Acquired>({ ok: false, waitMs: 800 });
    expect(await store.acquire(strict, 1_199)).toEqual<Acquired>({ ok: false, waitMs: 1 });
    expect((await store.acquire(strict, 1_200)).ok).toBe(true);
  });

  it('counts completions and requests in flight together', async () => {
    const store = new MemoryBudgetStore();
    const generous = [win('k', 5)];
    const strict = [win('k', 3)];
    await store.complete(generous, await take(store, generous, 0), 100);
    await take(store, generous, 0);
    await take(store, generous, 0);
    // One completion and two in flight fill three: the completion at 100 must age out.
    expect(await store.acquire(strict, 300)).toEqual<Acquired>({ ok: false, waitMs: 800 });
    await take(store, generous, 300);
    // One completion and three in flight against three: only a completion can help.
    expect(await store.acquire(strict, 300)).toEqual<Acquired>({
      ok: false,
      waitMs: Number.POSITIVE_INFINITY,
    });
  });

  it('a completion frees its place in flight and takes one in the window', async () => {
    const store = new MemoryBudgetStore();
    const w = [win('k', 4)];
    const first = await take(store, w, 0);
    await take(store, w, 0);
    await take(store, w, 0);
    expect(await store.remaining(w, 0)).toEqual([1]);
    await store.complete(w, first, 10);
    // Still three in the window: two in flight, one completed.
    expect(await store.remaining(w, 10)).toEqual([1]);
    expect(await store.remaining(w, 1_010)).toEqual([2]);
  });

  it('keeps completions in time order even when they are reported out of order', async () => {
    const store = new MemoryBudgetStore();
    const w = [win('k', 3)];
    const slots = [await take(store, w, 0), await take(store, w, 0), await take(store, w, 0)];
    await store.complete(w, slots[0] as string, 500);
    await store.complete(w, slots[1] as string, 100);
    await store.complete(w, slots[2] as string, 300);
    // The oldest is at 100, whatever the order of the reports.
    expect(await store.acquire(w, 600)).toEqual<Acquired>({ ok: false, waitMs: 500 });
    expect(await store.remaining(w, 1_100)).toEqual([1]);
    expect(await store.remaining(w, 1_300)).toEqual([2]);
    expect(await store.remaining(w, 1_500)).toEqual([3]);
  });

  it('never reports fewer than zero slots left', async () => {
    const store = new MemoryBudgetStore();
    const generous = [win('k', 5)];
    for (let i = 0; i < 4; i++) await take(store, generous, 0);
    expect(await store.remaining([win('k', 2)], 0)).toEqual([0]);
  });

  it('a pause shuts the windows of its keys until then, and a shorter pause does not shorten it', async () => {
    const store = new MemoryBudgetStore();
    const a = win('a', 10);
    const b = win('b', 10);
    await store.pause(['a'], 800);
    expect(await store.acquire([a], 300)).toEqual<Acquired>({ ok: false, waitMs: 500 });
    expect((await store.acquire([b], 300)).ok).toBe(true);
    await store.pause(['a'], 400);
    expect(await store.acquire([a], 300)).toEqual<Acquired>({ ok: false, waitMs: 500 });
    await store.pause(['a', 'b'], 1_000);
    expect(await store.acquire([a], 300)).toEqual<Acquired>({ ok: false, waitMs: 700 });
    expect(await store.acquire([b, a], 300)).toEqual<Acquired>({ ok: false, waitMs: 700 });
    expect((await store.acquire([a, b], 1_000)).ok).toBe(true);
  });

  it('a pause and a full window: waits for the later of the two', async () => {
    const store = new MemoryBudgetStore();
    const w = [win('k', 1)];
    await store.complete(w, await take(store, w, 0), 0);
    await store.pause(['k'], 600);
    expect(await store.acquire(w, 100)).toEqual<Acquired>({ ok: false, waitMs: 900 });
    await store.pause(['k'], 1_500);
    expect(await store.acquire(w, 100)).toEqual<Acquired>({ ok: false, waitMs: 1_400 });
  });
});

describe('RateGate: turns within the budget, in arrival order', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Lets the gate's promise chains run without moving the clock. */
  const flush = () => vi.advanceTimersByTimeAsync(0);

  function gate(options: Partial<RateGateOptions> = {}) {
    return new RateGate({
      windows: [win('ip:test', 100, 1_000)],
      store: new MemoryBudgetStore(),
      maxInFlight: 10,
      maxWaitMs: 60_000,
      // The gate keeps a monotonic clock of its own; here it reads the fake one.
      now: () => Date.now(),
      ...options,
    });
  }

  /** Follows a turn: whether it was granted or refused, and its release. */
  function track(turn: Promise<() => void>) {
    const t: { release?: () => void; error?: unknown } = {};
    turn.then(
      (release) => {
        t.release = release;
      },
      (err: unknown) => {
        t.error = err;
      },
    );
    return t;
  }

  it('lets at most maxInFlight through, and passes each released turn to the next in line', async () => {
    const g = gate({ maxInFlight: 2 });
    const turns = [g.acquire(), g.acquire(), g.acquire(), g.acquire()].map(track);
    await flush();
    expect(turns.map((t) => t.release !== undefined)).toEqual([true, true, false, false]);
    expect(await g.status()).toMatchObject({ inFlight: 2, queued: 2 });
    turns[1]?.release?.();
    await flush();
    expect(turns.map((t) => t.release !== undefined)).toEqual([true, true, true, false]);
    expect(await g.status()).toMatchObject({ inFlight: 2, queued: 1 });
    turns[0]?.release?.();
    await flush();
    expect(turns.map((t) => t.release !== undefined)).toEqual([true, true, true, true]);
    turns[2]?.release?.();
    turns[3]?.release?.();
    await flush();
    expect(await g.status()).toMatchObject({ inFlight: 0, queued: 0 });
    expect(turns.every((t) => t.error === undefined)).toBe(true);
  });

  it('waits exactly until the oldest request of a full window ages out', async () => {
    const g = gate({ windows: [win('ip:test', 3, 1_000)] });
    const first = await Promise.all([g.acquire(), g.acquire(), g.acquire()]);
    await vi.advanceTimersByTimeAsync(200);
    for (const release of first) release();
    const next = track(g.acquire());
    await vi.advanceTimersByTimeAsync(999);
    expect(next.release).toBeUndefined();
    expect(await g.status()).toMatchObject({ queued: 1, remaining: [{ remaining: 0 }] });
    await vi.advanceTimersByTimeAsync(1);
    expect(next.release).toBeDefined();
    expect(next.error).toBeUndefined();
  });

  it('sleeps until there is room rather than polling the store', async () => {
    class CountingStore extends MemoryBudgetStore {
      asked = 0;
      override acquire(windows: readonly BudgetWindow[], now: number): Promise<Acquired> {
        this.asked++;
        return super.acquire(windows, now);
      }
    }
    const store = new CountingStore();
    const g = gate({ store, windows: [win('ip:test', 1, 1_000)] });
    (await g.acquire())();
    const next = track(g.acquire());
    await flush();
    expect(store.asked).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(next.release).toBeUndefined();
    expect(store.asked).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(next.release).toBeDefined();
    expect(store.asked).toBe(3);
  });

  it('keeps one wake-up timer however many callers wait for room', async () => {
    const g = gate({ windows: [win('ip:test', 1, 1_000)] });
    (await g.acquire())();
    const waiting = [track(g.acquire())];
    await flush();
    expect(vi.getTimerCount()).toBe(2);
    // A later caller finds the window still full: the wake-up is set again, not doubled.
    await vi.advanceTimersByTimeAsync(100);
    waiting.push(track(g.acquire()));
    await flush();
    // One time-out per caller, and one wake-up.
    expect(vi.getTimerCount()).toBe(3);
    await vi.advanceTimersByTimeAsync(899);
    expect(waiting.map((t) => t.release !== undefined)).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.map((t) => t.release !== undefined)).toEqual([true, false]);
  });

  it('when only requests in flight fill the window, sets no wake-up and goes on a completion', async () => {
    const g = gate({ windows: [win('ip:test', 2, 1_000)] });
    const [a] = await Promise.all([g.acquire(), g.acquire()]);
    const next = track(g.acquire());
    await flush();
    // The caller's own time-out is the only timer: a wake-up could not help.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    a?.();
    await flush();
    // The completion at 300 holds its place in the window until 1300.
    expect(next.release).toBeUndefined();
    await vi.advanceTimersByTimeAsync(999);
    expect(next.release).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(next.release).toBeDefined();
  });

  it('a turn released twice counts once', async () => {
    const g = gate({ windows: [win('ip:test', 5, 1_000)], maxInFlight: 1 });
    const release = await g.acquire();
    release();
    release();
    await flush();
    expect(await g.status()).toMatchObject({ inFlight: 0, remaining: [{ remaining: 4 }] });
    // The in-flight cap is still one, not two.
    const turns = [track(g.acquire()), track(g.acquire())];
    await flush();
    expect(turns.map((t) => t.release !== undefined)).toEqual([true, false]);
  });

  it('callers arriving together each take one slot, and nothing more', async () => {
    const g = gate({ windows: [win('ip:test', 10, 1_000)] });
    const releases = await Promise.all([g.acquire(), g.acquire()]);
    for (const release of releases) release();
    await flush();
    expect(await g.status()).toMatchObject({ inFlight: 0, queued: 0, remaining: [{ remaining: 8 }] });
  });

  it('gives up after maxWaitMs with a rate_limited error, not to be retried, that says how long it waited', async () => {
    const g = gate({ windows: [win('ip:test', 1, 60_000)], maxWaitMs: 2_000 });
    const held = await g.acquire();
    const signal = new AbortController().signal;
    const next = track(g.acquire(signal));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(next.error).toBeUndefined();
    expect(await g.status()).toMatchObject({ queued: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(next.error).toBeInstanceOf(HostawayError);
    const err = next.error as HostawayError;
    expect(err.kind).toBe('rate_limited');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^Waited 2 s for a turn within Hostaway's rate limits/);
    expect(await g.status()).toMatchObject({ inFlight: 1, queued: 0 });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    held();
  });

  it('a caller whose signal fires leaves the queue at once, and the others keep their places', async () => {
    const g = gate({ maxInFlight: 1 });
    const held = await g.acquire();
    const controller = new AbortController();
    const leaving = track(g.acquire(controller.signal));
    const staying = track(g.acquire());
    await flush();
    expect(await g.status()).toMatchObject({ queued: 2 });
    controller.abort();
    await flush();
    expect(leaving.error).toBeInstanceOf(HostawayError);
    expect((leaving.error as HostawayError).kind).toBe('cancelled');
    expect((leaving.error as HostawayError).message).toMatch(/cancelled before it was sent/);
    expect(await g.status()).toMatchObject({ queued: 1, inFlight: 1 });
    // Its time-out went with it: only the other caller's remains.
    expect(vi.getTimerCount()).toBe(1);
    held();
    await flush();
    expect(staying.release).toBeDefined();
    expect(leaving.release).toBeUndefined();
  });

  it('a signal that already fired is refused before it takes anything', async () => {
    const g = gate({ windows: [win('ip:test', 5, 1_000)] });
    const controller = new AbortController();
    controller.abort();
    const err = await g.acquire(controller.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostawayError);
    expect((err as HostawayError).kind).toBe('cancelled');
    expect(await g.status()).toMatchObject({ inFlight: 0, queued: 0, remaining: [{ remaining: 5 }] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a granted turn leaves no listener on the caller signal and no timer behind', async () => {
    const g = gate();
    const controller = new AbortController();
    const release = await g.acquire(controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    // Cancelling afterwards changes nothing for the turn already granted.
    controller.abort();
    release();
    await flush();
    expect(await g.status()).toMatchObject({ inFlight: 0, queued: 0, remaining: [{ remaining: 99 }] });
  });

  it('a caller who leaves while the store is asked gives the slot back, stamped now', async () => {
    const g = gate({ windows: [win('ip:test', 3, 1_000)] });
    const controller = new AbortController();
    const turn = track(g.acquire(controller.signal));
    controller.abort();
    await flush();
    expect((turn.error as HostawayError).kind).toBe('cancelled');
    expect(await g.status()).toMatchObject({ inFlight: 0, queued: 0, remaining: [{ remaining: 2 }] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await g.status()).toMatchObject({ remaining: [{ remaining: 3 }] });
    // The gate still serves the next caller.
    const next = track(g.acquire());
    await flush();
    expect(next.release).toBeDefined();
  });

  it('a pause holds every window shut until the given time', async () => {
    const store = new MemoryBudgetStore();
    const windows = [win('ip:test', 10, 1_000), win('account:1', 10, 1_000)];
    const g = gate({ store, windows });
    await g.pauseFor(500);
    const next = track(g.acquire());
    await vi.advanceTimersByTimeAsync(499);
    expect(next.release).toBeUndefined();
    // Each window was paused on its own key.
    expect(await store.acquire([windows[1] as BudgetWindow], 499)).toEqual<Acquired>({
      ok: false,
      waitMs: 1,
    });
    expect(await store.acquire([windows[0] as BudgetWindow], 499)).toEqual<Acquired>({
      ok: false,
      waitMs: 1,
    });
    await vi.advanceTimersByTimeAsync(1);
    expect(next.release).toBeDefined();
  });

  it('reports each window by key, with its limit, length and slots left', async () => {
    const g = gate({ windows: [win('ip:test', 15, 10_000), win('account:1', 20, 10_100)], maxInFlight: 1 });
    const release = await g.acquire();
    const queued = track(g.acquire(new AbortController().signal));
    expect(await g.status()).toEqual({
      inFlight: 1,
      queued: 1,
      pausedForMs: 0,
      remaining: [
        { key: 'ip:test', remaining: 14, limit: 15, windowMs: 10_000 },
        { key: 'account:1', remaining: 19, limit: 20, windowMs: 10_100 },
      ],
    });
    release();
    await flush();
    expect(queued.release).toBeDefined();
  });
});

describe('RateGate on a shared store: woken by budget freed elsewhere', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const flush = () => vi.advanceTimersByTimeAsync(0);

  /**
   * A store shared with other processes, reduced to what the gate sees: slots while there is room,
   * otherwise "wait a minute"; `free` is another replica's completion, announced to subscribers.
   * `hold` makes the next answers wait until `answer` is called, to wake the gate mid-question.
   */
  class SharedStore implements BudgetStore {
    room = 0;
    asked = 0;
    subscriptions = 0;
    readonly listeners = new Set<() => void>();
    hold = false;
    private held: Array<() => void> = [];
    private next = 0;

    async acquire(): Promise<Acquired> {
      this.asked++;
      // The answer is decided when asked, as a store's atomic step would; only its delivery is held.
      const answer: Acquired =
        this.room > 0 ? { ok: true, slot: String(++this.next) } : { ok: false, waitMs: 60_000 };
      if (answer.ok) this.room--;
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      return answer;
    }
    async complete(): Promise<void> {}
    async pause(): Promise<void> {}
    async remaining(windows: readonly BudgetWindow[]): Promise<number[]> {
      return windows.map(() => this.room);
    }
    async pausedUntil(): Promise<number> {
      return 0;
    }
    subscribe(listener: () => void): () => void {
      this.subscriptions++;
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    free(n = 1): void {
      this.room += n;
      for (const listener of this.listeners) listener();
    }
    answer(): void {
      this.hold = false;
      for (const resolve of this.held.splice(0)) resolve();
    }
  }

  function track(turn: Promise<() => void>) {
    const t: { release?: () => void; error?: unknown } = {};
    turn.then(
      (release) => {
        t.release = release;
      },
      (err: unknown) => {
        t.error = err;
      },
    );
    return t;
  }

  const gate = (store: BudgetStore, maxWaitMs = 120_000) =>
    new RateGate({
      windows: [win('account:1', 20, 10_000)],
      store,
      maxInFlight: 10,
      maxWaitMs,
      now: () => Date.now(),
    });

  it('a waiting caller goes as soon as another replica frees budget, not when its own estimate ends', async () => {
    const store = new SharedStore();
    const g = gate(store);
    const next = track(g.acquire());
    await flush();
    expect(next.release).toBeUndefined();
    expect(store.asked).toBe(1);
    store.free();
    await flush();
    expect(next.release).toBeDefined();
    expect(store.asked).toBe(2);
  });

  it('subscribes once however many wait, and lets go when nobody waits', async () => {
    const store = new SharedStore();
    const g = gate(store);
    expect(store.subscriptions).toBe(0);
    const turns = [track(g.acquire()), track(g.acquire()), track(g.acquire())];
    await flush();
    expect(store.subscriptions).toBe(1);
    expect(store.listeners.size).toBe(1);
    store.free(2);
    await flush();
    expect(turns.map((t) => t.release !== undefined)).toEqual([true, true, false]);
    expect(store.listeners.size).toBe(1);
    store.free();
    await flush();
    expect(turns.every((t) => t.release !== undefined)).toBe(true);
    expect(store.listeners.size).toBe(0);
    // A later wait subscribes again, and is woken again.
    const later = track(g.acquire());
    await flush();
    expect(store.subscriptions).toBe(2);
    store.free();
    await flush();
    expect(later.release).toBeDefined();
  });

  it('a caller who leaves does not take the wake-ups away from those still waiting', async () => {
    const store = new SharedStore();
    const g = gate(store);
    const controller = new AbortController();
    const leaving = track(g.acquire(controller.signal));
    const staying = track(g.acquire());
    await flush();
    controller.abort();
    await flush();
    expect((leaving.error as HostawayError).kind).toBe('cancelled');
    expect(store.listeners.size).toBe(1);
    store.free();
    await flush();
    expect(staying.release).toBeDefined();
  });

  it('a caller who gives up waiting takes the last subscription with it', async () => {
    const store = new SharedStore();
    const g = gate(store, 5_000);
    const next = track(g.acquire());
    await flush();
    expect(store.listeners.size).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((next.error as HostawayError).kind).toBe('rate_limited');
    expect(store.listeners.size).toBe(0);
  });

  it('budget freed while the store is being asked: asks once more before sleeping', async () => {
    const store = new SharedStore();
    const g = gate(store);
    store.hold = true;
    const next = track(g.acquire());
    await flush();
    expect(store.asked).toBe(1);
    // The store answers "no room" to a question asked before another replica freed a slot.
    store.free();
    store.answer();
    await flush();
    expect(store.asked).toBe(2);
    expect(next.release).toBeDefined();
    // Nothing more to ask about: no further question.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(store.asked).toBe(2);
  });

  it('asks once more only when woken: an answer without a wake-up means sleep', async () => {
    const store = new SharedStore();
    const g = gate(store);
    const next = track(g.acquire());
    await flush();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(store.asked).toBe(1);
    expect(next.release).toBeUndefined();
    // Its own estimate still wakes it.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(store.asked).toBe(2);
  });
});
