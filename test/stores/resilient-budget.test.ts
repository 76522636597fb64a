/**
 * The shared budget degrades and never fails a request: Redis down at start, Redis stopping under
 * load and coming back (a redis-server of its own on a spare port), and, on a stand-in for Redis whose
 * failures the test decides, what the switch between shared and alone must keep: the conservative
 * share, no overrun at the switch, each change logged once.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type Acquired,
  type BudgetWindow,
  MemoryBudgetStore,
  monotonicNow,
  RateGate,
} from '../../src/client/rate-budget.js';
import { createLogger } from '../../src/logging.js';
import {
  type BudgetMode,
  openSharedBudget,
  RedisBudgetStore,
  ResilientBudgetStore,
  type SharedBudgetStore,
} from '../../src/stores/index.js';
import {
  dropNamespaces,
  freshNamespace,
  maxInAnySpan,
  sparePort,
  startRedisServer,
  stopRedisServer,
} from '../helpers/redis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (s: string) => lines.push(JSON.parse(s)) } as never,
  });
  return { logger, lines, said: (level: string) => lines.filter((l) => l.level === level) };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = monotonicNow() + timeoutMs;
  while (!condition()) {
    if (monotonicNow() > end) throw new Error(`not so within ${timeoutMs} ms`);
    await sleep(20);
  }
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('Redis out of reach at start', () => {
  it('starts degraded, says so once, and serves requests within its share of each window', async () => {
    const port = await sparePort();
    const { logger, said } = capturedLogger();
    const store = await openSharedBudget({
      url: `redis://127.0.0.1:${port}`,
      replicas: 3,
      logger,
      startTimeoutMs: 300,
      checkEveryMs: 50,
    });
    closers.push(() => store.close());
    expect(store.mode).toBe('degraded');
    const windows: BudgetWindow[] = [
      { key: 'ip:start', limit: 15, windowMs: 500 },
      { key: 'account:start', limit: 20, windowMs: 500 },
    ];
    const gate = new RateGate({ store, windows, maxInFlight: 10, maxWaitMs: 10_000 });
    const admitted: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        const release = await gate.acquire();
        admitted.push(monotonicNow());
        release();
      }),
    );
    expect(admitted).toHaveLength(15);
    // A third of the tighter window: 5 in any 500 ms.
    expect(maxInAnySpan(admitted, 500)).toBe(5);
    expect((await gate.status()).remaining.map((r) => r.limit)).toEqual([15, 20]);
    // Checked in the background many times meanwhile, and said once.
    expect(said('warn')).toHaveLength(1);
    expect(said('warn')[0]?.msg).toMatch(/Redis is out of reach; going on alone with 1\/3 of each window/);
    expect(store.mode).toBe('degraded');
  });
});

describe('Redis stopping under load and coming back', () => {
  let port = 0;
  afterAll(() => {
    if (port) stopRedisServer(port);
  });

  it('goes on alone without failing a request, then shares again once Redis answers', async () => {
    port = await sparePort();
    await startRedisServer(port);
    const url = `redis://127.0.0.1:${port}`;
    const namespace = freshNamespace('outage');
    const { logger, said } = capturedLogger();
    const store = await openSharedBudget({ url, namespace, replicas: 2, logger, checkEveryMs: 100 });
    closers.push(() => store.close());
    expect(store.mode).toBe('shared');
    const modes: BudgetMode[] = [];
    store.onModeChange((m) => modes.push(m));

    const windows: BudgetWindow[] = [{ key: 'account:outage', limit: 10, windowMs: 400 }];
    const gate = new RateGate({ store, windows, maxInFlight: 5, maxWaitMs: 10_000 });
    const failures: unknown[] = [];
    const granted: Array<{ at: number; mode: BudgetMode }> = [];
    let stop = false;
    // Steady traffic from start to end: a request every 20 ms at most, each held 10 ms.
    const traffic = (async () => {
      const calls: Array<Promise<void>> = [];
      while (!stop) {
        calls.push(
          gate.acquire().then(
            async (release) => {
              granted.push({ at: monotonicNow(), mode: store.mode });
              await sleep(10);
              release();
            },
            (err: unknown) => {
              failures.push(err);
            },
          ),
        );
        await sleep(20);
      }
      await Promise.all(calls);
    })();

    await sleep(500);
    stopRedisServer(port);
    await until(() => store.mode === 'degraded', 5_000);
    const degradedAt = monotonicNow();
    await sleep(1_500);
    await startRedisServer(port);
    await until(() => store.mode === 'shared', 10_000);
    const rejoinedAt = monotonicNow();
    await sleep(500);
    stop = true;
    await traffic;
    // A machine busy enough to make a command time out sends it alone again for a while: let it rejoin.
    await until(() => store.mode === 'shared', 10_000);

    expect(failures).toEqual([]);
    expect(modes.slice(0, 2)).toEqual(['degraded', 'shared']);
    // Each change said once.
    expect(said('warn')).toHaveLength(modes.filter((m) => m === 'degraded').length);
    expect(said('info').filter((l) => /Redis answers again/.test(l.msg))).toHaveLength(
      modes.filter((m) => m === 'shared').length,
    );
    const before = granted.filter((g) => g.at < degradedAt - 100);
    const alone = granted.filter((g) => g.mode === 'degraded');
    const after = granted.filter((g) => g.at > rejoinedAt);
    expect(before.length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(5);
    // Alone, requests still flow, within half of each window.
    expect(alone.length).toBeGreaterThan(3);
    expect(
      maxInAnySpan(
        alone.map((g) => g.at),
        400,
      ),
    ).toBeLessThanOrEqual(5);
    // Never more than the limit in any window, across the switches.
    expect(
      maxInAnySpan(
        granted.map((g) => g.at),
        400,
      ),
    ).toBeLessThanOrEqual(10);
    await dropNamespaces([namespace], url);
  }, 30_000);

  it('wake-ups from other replicas arrive once Redis answers, however late, and again after a restart', async () => {
    port ||= await sparePort();
    stopRedisServer(port);
    const url = `redis://127.0.0.1:${port}`;
    const namespace = freshNamespace('wake');
    const w: BudgetWindow[] = [{ key: 'k', limit: 5, windowMs: 1_000 }];
    // Opened while nothing listens there.
    const waiting = new RedisBudgetStore({ url, namespace });
    closers.push(() => waiting.close());
    let wakes = 0;
    waiting.subscribe(() => wakes++);
    expect(await waiting.connected(300)).toBe(false);
    await startRedisServer(port);
    expect(await waiting.connected(5_000)).toBe(true);
    const other = new RedisBudgetStore({ url, namespace, wake: false });
    closers.push(() => other.close());
    expect(await other.connected(5_000)).toBe(true);
    // The subscription is made a moment after the connection: complete until a wake-up arrives.
    const completeUntilWoken = async () => {
      const before = wakes;
      const end = monotonicNow() + 5_000;
      while (wakes === before && monotonicNow() < end) {
        await other.complete(w, 'from-another-replica', monotonicNow()).catch(() => undefined);
        await sleep(50);
      }
      return wakes > before;
    };
    expect(await completeUntilWoken()).toBe(true);
    stopRedisServer(port);
    await startRedisServer(port);
    expect(await completeUntilWoken()).toBe(true);
  }, 30_000);

  it('a script the server forgot (restart, SCRIPT FLUSH) is sent again: EVALSHA falls back to EVAL', async () => {
    port ||= await sparePort();
    await startRedisServer(port).catch(() => undefined);
    const url = `redis://127.0.0.1:${port}`;
    const store = new RedisBudgetStore({ url, namespace: freshNamespace('flush'), wake: false });
    closers.push(() => store.close());
    expect(await store.connected(5_000)).toBe(true);
    const w: BudgetWindow[] = [{ key: 'k', limit: 5, windowMs: 1_000 }];
    expect((await store.acquire(w)).ok).toBe(true);
    await store.redis.script('FLUSH');
    expect((await store.acquire(w)).ok).toBe(true);
    expect(await store.remaining(w)).toEqual([3]);
  });
});

/**
 * Redis as the test decides: a memory store that throws while `down`. It counts what it is asked to
 * record, and wakes its subscribers like the Redis store does.
 */
class StandIn extends MemoryBudgetStore implements SharedBudgetStore {
  down = false;
  completions: Array<{ slot: string; at: number }> = [];
  readonly listeners = new Set<() => void>();
  /** While set, completions wait for it (a slow Redis). */
  hold: Promise<void> | undefined;
  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED');
  }
  async ping(): Promise<void> {
    this.check();
  }
  override async acquire(windows: readonly BudgetWindow[], now: number): Promise<Acquired> {
    this.check();
    return super.acquire(windows, now);
  }
  override async complete(windows: readonly BudgetWindow[], slot: string, at: number): Promise<void> {
    this.check();
    await this.hold;
    this.completions.push({ slot, at });
    await super.complete(windows, slot, at);
    for (const listener of this.listeners) listener();
  }
  override async pause(keys: readonly string[], until: number): Promise<void> {
    this.check();
    await super.pause(keys, until);
  }
  override async pausedUntil(keys: readonly string[]): Promise<number> {
    this.check();
    return super.pausedUntil(keys);
  }
  override async remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]> {
    this.check();
    return super.remaining(windows, now);
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

describe('ResilientBudgetStore on a stand-in for Redis', () => {
  let clock = 0;
  const now = () => clock;
  const W: BudgetWindow[] = [{ key: 'account:1', limit: 10, windowMs: 1_000 }];

  function open(replicas = 3) {
    clock = 10_000;
    const shared = new StandIn();
    const log = capturedLogger();
    const store = new ResilientBudgetStore({
      shared,
      replicas,
      logger: log.logger,
      checkEveryMs: 60_000,
      now,
    });
    closers.push(() => store.close());
    return { shared, store, ...log };
  }

  const take = async (store: ResilientBudgetStore, windows = W) => {
    const got = await store.acquire(windows, clock);
    if (!got.ok) throw new Error(`refused: wait ${got.waitMs}`);
    return got.slot;
  };

  it('never rejects, whatever the shared store throws', async () => {
    const { shared, store } = open();
    shared.down = true;
    await expect(store.acquire(W, clock)).resolves.toMatchObject({ ok: true });
    await expect(store.complete(W, 'r:1', clock)).resolves.toBeUndefined();
    await expect(store.pause(['account:1'], clock + 10)).resolves.toBeUndefined();
    await expect(store.pausedUntil(['account:1'])).resolves.toBe(clock + 10);
    await expect(store.remaining(W, clock)).resolves.toHaveLength(1);
    await expect(store.check()).resolves.toBeUndefined();
    expect(store.mode).toBe('degraded');
  });

  it('alone, takes the limit divided by the replicas (at least one) of each window', async () => {
    const { shared, store } = open(3);
    shared.down = true;
    await store.start();
    const windows: BudgetWindow[] = [...W, { key: 'ip:x', limit: 2, windowMs: 1_000 }];
    expect(await store.remaining(windows, clock)).toEqual([3, 1]);
    await take(store, [W[0] as BudgetWindow]);
    await take(store, [W[0] as BudgetWindow]);
    expect(await store.remaining(windows, clock)).toEqual([1, 1]);
    await take(store, windows);
    expect(await store.acquire(windows, clock)).toEqual({ ok: false, waitMs: Number.POSITIVE_INFINITY });
  });

  it('when Redis fails after answering, waits out what went through it before going on alone', async () => {
    const { shared, store } = open(2);
    await store.start();
    expect(store.mode).toBe('shared');
    for (let i = 0; i < 4; i++) await store.complete(W, await take(store), clock);
    shared.down = true;
    clock += 100;
    // Redis's last window can no longer be read: the local store opens a window after leaving it.
    expect(await store.acquire(W, clock)).toEqual({ ok: false, waitMs: 1_000 });
    expect(store.mode).toBe('degraded');
    expect(await store.remaining(W, clock)).toEqual([0]);
    clock += 999;
    expect(await store.acquire(W, clock)).toEqual({ ok: false, waitMs: 1 });
    clock += 1;
    expect((await store.acquire(W, clock)).ok).toBe(true);
  });

  it('a request through Redis answered after leaving it keeps the local store shut a window after it', async () => {
    const { shared, store } = open(2);
    await store.start();
    const slot = await take(store);
    shared.down = true;
    await store.check();
    clock += 500;
    await store.complete(W, slot, clock);
    clock += 600;
    expect(await store.acquire(W, clock)).toEqual({ ok: false, waitMs: 400 });
  });

  it('starting without Redis, no wait: this replica never sent anything through it', async () => {
    const { shared, store } = open(2);
    shared.down = true;
    expect(await store.start()).toBe('degraded');
    expect((await store.acquire(W, clock)).ok).toBe(true);
  });

  it('rejoining, writes what it sent alone in the last window into Redis, and what is still in flight', async () => {
    const { shared, store } = open(2);
    shared.down = true;
    await store.start();
    await store.complete(W, await take(store), clock - 0);
    clock += 300;
    await store.complete(W, await take(store), clock);
    const stillOut = await take(store);
    clock += 800;
    shared.down = false;
    await store.check();
    expect(store.mode).toBe('shared');
    // The first left its window 100 ms ago; the second is still in it; the third, still in flight,
    // counts as if answered now.
    expect(shared.completions.map((c) => c.at)).toEqual([10_300, 11_100]);
    expect(await store.remaining(W, clock)).toEqual([8]);
    clock += 50;
    await store.complete(W, stillOut, clock);
    // Its answer moves it to its time, under the same name (a sorted set's member in Redis).
    expect(shared.completions.map((c) => c.at)).toEqual([10_300, 11_100, 11_150]);
    expect(shared.completions[2]?.slot).toBe(shared.completions[1]?.slot);
    expect(shared.completions[0]?.slot).not.toBe(shared.completions[1]?.slot);
    // Slots named by the store that granted them: a shared one now.
    expect(await take(store)).toMatch(/^r:/);
  });

  it('while rejoining, new turns wait, and a slot taken alone that completes meanwhile is written after', async () => {
    const { shared, store } = open(2);
    shared.down = true;
    await store.start();
    await store.complete(W, await take(store), clock);
    const inFlight = await take(store);
    shared.down = false;
    let letGo = () => {};
    shared.hold = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const rejoin = store.check();
    await sleep(10);
    expect(store.mode).toBe('degraded');
    // Neither from the local store (the rejoin is writing it to Redis) nor from Redis (not written yet).
    expect(await store.acquire(W, clock)).toEqual({ ok: false, waitMs: 100 });
    clock += 20;
    const completing = store.complete(W, inFlight, clock);
    await sleep(10);
    expect(shared.completions).toEqual([]);
    letGo();
    shared.hold = undefined;
    await rejoin;
    await completing;
    expect(store.mode).toBe('shared');
    // The completion, the slot still in flight as of the rejoin, then its answer under the same name.
    expect(shared.completions.map((c) => c.at)).toEqual([10_000, 10_000, 10_020]);
    expect(shared.completions[2]?.slot).toBe(shared.completions[1]?.slot);
    expect((await store.acquire(W, clock)).ok).toBe(true);
  });

  it('a background check while start waits for the connection does not call Redis out of reach', async () => {
    clock = 10_000;
    const shared = new StandIn();
    let connected = false;
    shared.ping = async () => {
      if (!connected) throw new Error("Stream isn't writeable");
    };
    (shared as SharedBudgetStore).connected = async () => {
      await sleep(200);
      connected = true;
      return true;
    };
    const log = capturedLogger();
    const store = new ResilientBudgetStore({
      shared,
      replicas: 2,
      logger: log.logger,
      checkEveryMs: 10,
      now,
    });
    closers.push(() => store.close());
    const modes: BudgetMode[] = [];
    store.onModeChange((m) => modes.push(m));
    expect(await store.start()).toBe('shared');
    expect(modes).toEqual([]);
    expect(log.said('warn')).toEqual([]);
  });

  it('says each change once, to the log and to its listeners, and wakes waiting gates at each', async () => {
    const { shared, store, said } = open(2);
    const modes: BudgetMode[] = [];
    store.onModeChange((m) => modes.push(m));
    let wakes = 0;
    const unsubscribe = store.subscribe(() => wakes++);
    await store.start();
    shared.down = true;
    await store.acquire(W, clock);
    await store.check();
    await store.remaining(W, clock);
    expect(modes).toEqual(['degraded']);
    expect(wakes).toBe(1);
    shared.down = false;
    await store.check();
    await store.check();
    expect(modes).toEqual(['degraded', 'shared']);
    expect(wakes).toBe(2);
    // Another replica's completion, through Redis, wakes them too.
    await shared.complete(W, 'other', clock);
    expect(wakes).toBe(3);
    unsubscribe();
    await shared.complete(W, 'other-2', clock);
    expect(wakes).toBe(3);
    expect(said('warn')).toHaveLength(1);
    expect(said('warn')[0]?.msg).toMatch(/1\/2 of each window/);
    expect(said('info').filter((l) => /answers again/.test(l.msg))).toHaveLength(1);
  });

  it('a 429 pause holds in both stores, so it outlives a switch', async () => {
    const { shared, store } = open(2);
    await store.start();
    await store.pause(['account:1'], clock + 5_000);
    expect(await shared.pausedUntil(['account:1'])).toBe(clock + 5_000);
    shared.down = true;
    expect(await store.pausedUntil(['account:1'])).toBe(clock + 5_000);
    clock += 1_500;
    expect(await store.acquire(W, clock)).toEqual({ ok: false, waitMs: 3_500 });
  });

  it('refuses a replica count that is not a whole number of at least one', () => {
    for (const replicas of [0, -1, 1.5])
      expect(() => new ResilientBudgetStore({ shared: new StandIn(), replicas })).toThrow(/replicas/);
  });
});
