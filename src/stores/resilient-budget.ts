/**
 * A shared budget store that degrades and never fails a request: while Redis answers, every replica
 * takes its turns from the shared windows; when Redis errors or is out of reach (at start too), this
 * replica goes on alone with a local store and a conservative share of each window (the limit divided
 * by the number of replicas, at least 1), and rejoins when Redis answers again.
 *
 * Two moments need care, or the replicas together could overrun Hostaway at the switch:
 * - Leaving: the requests of the last window went through Redis, which can no longer be read. So
 *   the local store starts shut for one window (of each window's length): a wait, not a failure, and
 *   once per outage.
 * - Rejoining: the requests made alone are not in Redis. So the completions of the last window are
 *   written there first, and so are the slots taken alone and still in flight (as if answered then;
 *   their answer, when it comes, moves them to its time).
 *
 * The mode (`shared` or `degraded`) is a getter and an event, for /ready and the metrics; each change
 * is logged once. Redis is asked in the background (every 2 s by default) in both modes: a failure is
 * seen even while idle, and a recovery is seen without a request having to fail first.
 */
import { randomBytes } from 'node:crypto';
import {
  type Acquired,
  type BudgetStore,
  type BudgetWindow,
  MemoryBudgetStore,
  monotonicNow,
} from '../client/rate-budget.js';
import { type Logger, silentLogger } from '../logging.js';

export type BudgetMode = 'shared' | 'degraded';

/** What a shared store must offer besides the budget itself. */
export interface SharedBudgetStore extends BudgetStore {
  /** Resolves when the store answers now; rejects otherwise. */
  ping(): Promise<unknown>;
  /** Resolves once connected (true), or after `timeoutMs` without (false). */
  connected?(timeoutMs: number): Promise<boolean>;
  /** The last connection error, for the log. */
  readonly lastError?: string | undefined;
  close?(): Promise<void>;
}

export interface ResilientBudgetStoreOptions {
  shared: SharedBudgetStore;
  /** Replicas sharing the budget: alone, this one takes 1/replicas of each window. */
  replicas: number;
  logger?: Logger;
  /** How often Redis is asked whether it answers. Default 2 s. */
  checkEveryMs?: number;
  /** The gate's clock (monotonic unless a test says otherwise), for the local store's times. */
  now?: () => number;
}

/** Slots say which store granted them: `r:` shared, `m:` local. */
const SHARED = 'r:';
const LOCAL = 'm:';

export class ResilientBudgetStore implements BudgetStore {
  private readonly shared: SharedBudgetStore;
  private readonly local = new MemoryBudgetStore();
  private readonly replicas: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private current: BudgetMode = 'shared';
  /**
   * The latest moment (gate's clock) a request through Redis may have been counted by Hostaway, since
   * going on alone: the local store stays shut until a window after it.
   */
  private sharedUntil = Number.NEGATIVE_INFINITY;
  /** Whether Redis ever answered: a replica that never shared has no shared requests to wait out. */
  private joined = false;
  private readonly instance = randomBytes(6).toString('hex');
  private readonly listeners = new Set<() => void>();
  private readonly modeListeners = new Set<(mode: BudgetMode) => void>();
  private readonly unsubscribeShared: (() => void) | undefined;
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  /**
   * While `start` settles the mode, the background check waits: a ping before the connection is up
   * would call Redis down.
   */
  private starting = false;
  /** While rejoining, the slots taken alone are being written to Redis: new turns wait, completions too. */
  private rejoining: Promise<void> | undefined;
  /**
   * For the rejoin: every window seen, by key; per key, the completions of slots taken alone (slot and
   * time); and the slots taken alone still in flight, with their windows.
   */
  private readonly windows = new Map<string, BudgetWindow>();
  private readonly alone = new Map<string, Array<{ slot: string; at: number }>>();
  private readonly aloneInFlight = new Map<string, readonly BudgetWindow[]>();
  private closed = false;

  constructor(options: ResilientBudgetStoreOptions) {
    if (!Number.isInteger(options.replicas) || options.replicas < 1)
      throw new Error('replicas must be a whole number of at least 1');
    this.shared = options.shared;
    this.replicas = options.replicas;
    this.logger = (options.logger ?? silentLogger).child({ component: 'rate-budget' });
    this.now = options.now ?? monotonicNow;
    this.unsubscribeShared = this.shared.subscribe?.(() => this.wake());
    this.timer = setInterval(() => void this.check(), options.checkEveryMs ?? 2_000);
    this.timer.unref();
  }

  /** `shared` while Redis answers, `degraded` while this replica goes on alone with its share. */
  get mode(): BudgetMode {
    return this.current;
  }

  /** Calls `listener` with the new mode at each change; returns the function that stops the calls. */
  onModeChange(listener: (mode: BudgetMode) => void): () => void {
    this.modeListeners.add(listener);
    return () => {
      this.modeListeners.delete(listener);
    };
  }

  /**
   * Waits up to `timeoutMs` for Redis to answer (at start, so that the first requests need not go on
   * alone), then settles the mode. Never rejects.
   */
  async start(timeoutMs = 2_000): Promise<BudgetMode> {
    this.starting = true;
    try {
      const connected = (await this.shared.connected?.(timeoutMs).catch(() => false)) ?? true;
      if (connected) await this.check(true);
      else this.degrade(this.shared.lastError ?? 'no connection');
    } finally {
      this.starting = false;
    }
    return this.current;
  }

  async acquire(windows: readonly BudgetWindow[], now: number): Promise<Acquired> {
    this.remember(windows);
    // The rejoin's end wakes the gates; the wait is only a bound.
    if (this.rejoining) return { ok: false, waitMs: 100 };
    if (this.current === 'shared') {
      try {
        const got = await this.shared.acquire(windows, now);
        this.joined = true;
        return got.ok ? { ok: true, slot: SHARED + got.slot } : got;
      } catch (err) {
        this.degrade(err);
      }
    }
    // Alone: shut until what went through Redis has left the windows, then within this replica's share.
    const shut = Math.max(...windows.map((w) => this.sharedUntil + w.windowMs - now));
    if (shut > 0) return { ok: false, waitMs: shut };
    const got = await this.local.acquire(this.share(windows), now);
    if (!got.ok) return got;
    this.aloneInFlight.set(got.slot, windows);
    return { ok: true, slot: LOCAL + got.slot };
  }

  async complete(windows: readonly BudgetWindow[], slot: string, at: number): Promise<void> {
    if (slot.startsWith(LOCAL)) {
      const local = slot.slice(LOCAL.length);
      // Not while the rejoin writes the slots taken alone: after it, to Redis if it succeeded.
      await this.rejoining?.catch(() => undefined);
      this.aloneInFlight.delete(local);
      await this.local.complete(this.share(windows), local, at);
      // Taken alone, answered after the rejoin: Redis must count it too.
      if (this.current === 'shared') await this.recordShared(windows, local, at);
      else this.noteAlone(windows, local, at);
      return;
    }
    try {
      await this.shared.complete(windows, slot.slice(SHARED.length), at);
    } catch (err) {
      // Its lease runs out in Redis and counts it then.
      this.degrade(err);
    }
    // Alone now: the local store waits until this request has left the windows.
    if (this.current === 'degraded') this.sharedUntil = Math.max(this.sharedUntil, at);
  }

  async pause(keys: readonly string[], until: number): Promise<void> {
    await this.local.pause(keys, until);
    if (this.current !== 'shared') return;
    try {
      await this.shared.pause(keys, until);
    } catch (err) {
      this.degrade(err);
    }
  }

  async pausedUntil(keys: readonly string[]): Promise<number> {
    const local = await this.local.pausedUntil(keys);
    if (this.current !== 'shared') return local;
    try {
      return Math.max(local, await this.shared.pausedUntil(keys));
    } catch (err) {
      this.degrade(err);
      return local;
    }
  }

  async remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]> {
    if (this.current === 'shared') {
      try {
        return await this.shared.remaining(windows, now);
      } catch (err) {
        this.degrade(err);
      }
    }
    if (windows.some((w) => this.sharedUntil + w.windowMs > now)) return windows.map(() => 0);
    return this.local.remaining(this.share(windows), now);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribeShared?.();
    this.listeners.clear();
    this.modeListeners.clear();
    await this.shared.close?.();
  }

  /** Asks Redis whether it answers, and changes mode if the answer says so. */
  async check(fromStart = false): Promise<void> {
    if (this.checking || this.closed || (this.starting && !fromStart)) return;
    this.checking = true;
    try {
      await this.shared.ping();
      this.joined ||= this.current === 'shared';
      if (this.current === 'degraded') await this.rejoin();
    } catch (err) {
      this.degrade(err);
    } finally {
      this.checking = false;
    }
  }

  /** Each window with this replica's share of its limit. */
  private share(windows: readonly BudgetWindow[]): BudgetWindow[] {
    return windows.map((w) => ({ ...w, limit: Math.max(1, Math.floor(w.limit / this.replicas)) }));
  }

  private remember(windows: readonly BudgetWindow[]): void {
    for (const w of windows) this.windows.set(w.key, w);
  }

  /** Keeps the completions of slots taken alone, as long as their window could still count them. */
  private noteAlone(windows: readonly BudgetWindow[], slot: string, at: number): void {
    for (const w of windows) {
      const done = (this.alone.get(w.key) ?? []).filter((d) => d.at > at - w.windowMs);
      done.push({ slot, at });
      this.alone.set(w.key, done);
    }
  }

  /** Writes a completion made alone into Redis, as long ago as it happened. */
  private async recordShared(windows: readonly BudgetWindow[], slot: string, at: number): Promise<void> {
    try {
      await this.shared.complete(windows, this.recordId(slot), at);
    } catch (err) {
      this.degrade(err);
      this.noteAlone(windows, slot, at);
    }
  }

  private async rejoin(): Promise<void> {
    this.rejoining = this.writeAlone();
    try {
      await this.rejoining;
    } finally {
      this.rejoining = undefined;
    }
    this.setMode('shared');
    this.logger.info('rate budget: Redis answers again; sharing the budget with the other replicas');
  }

  /** Writes what was sent alone into Redis; rejects (and keeps it) when Redis fails meanwhile. */
  private async writeAlone(): Promise<void> {
    // What this replica sent alone in the last window, into Redis before anyone takes turns there.
    const now = this.now();
    for (const [key, done] of this.alone) {
      const w = this.windows.get(key);
      if (!w) continue;
      for (const d of done)
        if (d.at > now - w.windowMs) await this.shared.complete([w], this.recordId(d.slot), d.at);
    }
    // Still in flight: counted as if answered now, until the answer says when (the same name in Redis).
    for (const [slot, windows] of this.aloneInFlight)
      await this.shared.complete(windows, this.recordId(slot), now);
    this.alone.clear();
    this.joined = true;
  }

  private degrade(err: unknown): void {
    if (this.current === 'degraded' || this.closed) return;
    if (this.joined) this.sharedUntil = Math.max(this.sharedUntil, this.now());
    this.setMode('degraded');
    this.logger.warn(
      { err: err instanceof Error ? err.message : String(err), replicas: this.replicas },
      `rate budget: Redis is out of reach; going on alone with 1/${this.replicas} of each window until it answers`,
    );
  }

  /** A slot taken alone, as Redis knows it: a name no shared slot has, the same at every writing. */
  private recordId(slot: string): string {
    return `alone:${this.instance}:${slot}`;
  }

  private setMode(mode: BudgetMode): void {
    this.current = mode;
    for (const listener of this.modeListeners) {
      try {
        listener(mode);
      } catch {
        // A listener's failure is its own.
      }
    }
    // Waiting gates ask again: the other store may have room.
    this.wake();
  }

  private wake(): void {
    for (const listener of this.listeners) listener();
  }
}
