/**
 * Hostaway's rate budget on our side: every upstream request takes one slot in each sliding window
 * (15 per 10 s per IP, 20 per 10 s per account) and one of at most 10 places in flight. Callers queue
 * in arrival order instead of failing; a wait has a bound that ends in a clear error; a caller whose
 * AbortSignal fires leaves the queue at once.
 *
 * Why not a generic limiter library: Hostaway counts requests in any 10-second span, so a fixed-window
 * or token-bucket limiter either bursts past it at window edges or leaves budget unused. A sliding
 * window over the exact times of our own requests is the rule itself; both windows must be taken
 * together or not at all; and the store behind it must be shareable between replicas (Redis, later),
 * which is why it sits behind `BudgetStore`.
 */
import { HostawayError } from './errors.js';

export interface BudgetWindow {
  /** Budget identity, e.g. `ip:egress-1` or `account:12345`: replicas sharing a key share its slots. */
  key: string;
  limit: number;
  windowMs: number;
}

export interface BudgetStore {
  /**
   * Takes one slot in every window, or none: resolves 0 when taken, otherwise the milliseconds until
   * the fullest window may have room (or a pause ends).
   */
  acquire(windows: readonly BudgetWindow[], now: number): Promise<number>;
  /** Keeps the windows shut until `until` (Hostaway answered 429 and asked us to wait). */
  pause(keys: readonly string[], until: number): Promise<void>;
  /** Slots left in each window now. */
  remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]>;
}

/** The budget of one process. */
export class MemoryBudgetStore implements BudgetStore {
  private readonly hits = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  async acquire(windows: readonly BudgetWindow[], now: number): Promise<number> {
    let wait = 0;
    for (const w of windows) {
      const paused = (this.pausedUntil.get(w.key) ?? 0) - now;
      if (paused > 0) wait = Math.max(wait, paused);
      const list = this.prune(w, now);
      if (list.length >= w.limit)
        wait = Math.max(wait, (list[list.length - w.limit] as number) + w.windowMs - now);
    }
    if (wait > 0) return wait;
    for (const w of windows) this.prune(w, now).push(now);
    return 0;
  }

  async pause(keys: readonly string[], until: number): Promise<void> {
    for (const k of keys) this.pausedUntil.set(k, Math.max(this.pausedUntil.get(k) ?? 0, until));
  }

  async remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]> {
    return windows.map((w) => Math.max(0, w.limit - this.prune(w, now).length));
  }

  private prune(w: BudgetWindow, now: number): number[] {
    let list = this.hits.get(w.key);
    if (!list) {
      list = [];
      this.hits.set(w.key, list);
    }
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= now - w.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    return list;
  }
}

export interface RateGateOptions {
  windows: readonly BudgetWindow[];
  store: BudgetStore;
  /** At most this many upstream requests at once. */
  maxInFlight: number;
  /** A caller waits at most this long for its turn, then gets a `rate_limited` error. */
  maxWaitMs: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  enqueuedAt: number;
}

export interface GateStatus {
  inFlight: number;
  queued: number;
  remaining: Array<{ key: string; remaining: number; limit: number; windowMs: number }>;
}

export class RateGate {
  private readonly queue: Waiter[] = [];
  private inFlight = 0;
  private pumping = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  /** Longest time a granted caller waited, for status and benchmarks. */
  maxObservedWaitMs = 0;

  constructor(private readonly options: RateGateOptions) {}

  /** Waits for a turn; resolves a `release` function to call once the request is over. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: undefined,
        enqueuedAt: Date.now(),
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(
            new HostawayError(
              'rate_limited',
              `Waited ${Math.round(this.options.maxWaitMs / 1000)} s for a turn within Hostaway's rate limits (15 requests per 10 s per IP, 20 per account) and gave up. Too much is being asked at once: try again shortly, or ask for less.`,
              { retryable: true },
            ),
          );
        }, this.options.maxWaitMs),
      };
      if (signal) {
        waiter.onAbort = () => {
          this.remove(waiter);
          reject(cancelledError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      void this.pump();
    });
  }

  /** Shuts every window until `until`: Hostaway said 429, so nobody should try before then. */
  async pause(until: number): Promise<void> {
    await this.options.store.pause(
      this.options.windows.map((w) => w.key),
      until,
    );
  }

  async status(): Promise<GateStatus> {
    const remaining = await this.options.store.remaining(this.options.windows, Date.now());
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      remaining: this.options.windows.map((w, i) => ({
        key: w.key,
        remaining: remaining[i] ?? 0,
        limit: w.limit,
        windowMs: w.windowMs,
      })),
    };
  }

  private remove(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
        const wait = await this.options.store.acquire(this.options.windows, Date.now());
        if (wait > 0) {
          this.sleepUntilRoom(wait);
          return;
        }
        const waiter = this.queue.shift();
        if (!waiter) return; // the slot taken is spent; rare (the head left while we asked the store)
        this.remove(waiter);
        this.inFlight++;
        this.maxObservedWaitMs = Math.max(this.maxObservedWaitMs, Date.now() - waiter.enqueuedAt);
        let released = false;
        waiter.resolve(() => {
          if (released) return;
          released = true;
          this.inFlight--;
          void this.pump();
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  private sleepUntilRoom(ms: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        void this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }
}

function cancelledError(): HostawayError {
  return new HostawayError('cancelled', 'The request was cancelled before it was sent to Hostaway.');
}
