/**
 * Hostaway's rate budget on our side: every upstream request takes one slot in each sliding window
 * (15 per 10 s per IP, 20 per 10 s per account) and one of at most 10 places in flight. Callers queue
 * in arrival order instead of failing; a wait has a bound that ends in a clear error; a caller whose
 * AbortSignal fires leaves the queue at once.
 *
 * Why not a generic limiter library: Hostaway counts requests in any 10-second span, so a fixed-window
 * or token-bucket limiter either bursts past it at window edges or leaves budget unused. A sliding
 * window over the exact times of our own requests is the rule itself; both windows must be taken
 * together or not at all; and the store behind it must be shareable between replicas (Redis, in
 * src/stores), which is why it sits behind `BudgetStore`.
 */
import { currentCaller } from '../logging.js';
import { HostawayError } from './errors.js';
import { FairQueue } from './fair-queue.js';

export interface BudgetWindow {
  /** Budget identity, e.g. `ip:egress-1` or `account:12345`: replicas sharing a key share its slots. */
  key: string;
  limit: number;
  windowMs: number;
}

/** The answer of a budget store: a slot, or how long to wait for one. */
export type Acquired = { ok: true; slot: string } | { ok: false; waitMs: number };

export interface BudgetStore {
  /**
   * Takes one slot in every window, or none. A slot occupies its windows from now until `complete`
   * stamps it; `waitMs` is Infinity when only requests still in flight stand in the way (a completion
   * wakes the gate).
   */
  acquire(windows: readonly BudgetWindow[], now: number): Promise<Acquired>;
  /**
   * Stamps a slot with the time its answer arrived. Hostaway counts a request when it arrives, which is
   * after we sent it and before we heard back: counting it at completion can only overstate its age,
   * so the window stays safe whatever the network's latency and jitter.
   */
  complete(windows: readonly BudgetWindow[], slot: string, at: number): Promise<void>;
  /** Keeps the windows shut until `until` (Hostaway answered 429 and asked us to wait). */
  pause(keys: readonly string[], until: number): Promise<void>;
  /** Slots left in each window now. */
  remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]>;
  /** Until when the windows are shut by a pause (0 when they are not). */
  pausedUntil(keys: readonly string[]): Promise<number>;
  /**
   * For a store shared between processes: calls `listener` whenever budget may have been freed
   * anywhere (another replica's request completed), so that a waiting gate asks again at once instead
   * of sleeping until its own estimate. Returns the function that stops the calls. A store used by one
   * process needs none: its gate sees its own completions.
   */
  subscribe?(listener: () => void): () => void;
}

/**
 * The gate's clock: milliseconds on a monotonic clock (the process's high-resolution timer, offset to
 * the epoch at start). A wall clock stepped back would make every recorded request look recent and
 * freeze the budget for as long as the step; this one never moves back.
 */
export const monotonicNow = (): number => performance.timeOrigin + performance.now();

/** The budget of one process. */
export class MemoryBudgetStore implements BudgetStore {
  /** Completion times per key, oldest first. */
  private readonly done = new Map<string, number[]>();
  /** Slots in flight per key. */
  private readonly flying = new Map<string, number>();
  private readonly pauses = new Map<string, number>();
  private nextSlot = 0;

  async acquire(windows: readonly BudgetWindow[], now: number): Promise<Acquired> {
    let wait = 0;
    for (const w of windows) {
      // A pause that has passed is negative here, and changes nothing.
      wait = Math.max(wait, (this.pauses.get(w.key) ?? 0) - now);
      const done = this.prune(w, now);
      const used = done.length + (this.flying.get(w.key) ?? 0);
      if (used >= w.limit) {
        // The slot that must age out before we may go: the (used - limit + 1)th oldest completion,
        // or, when requests in flight fill the window, the next completion.
        const index = used - w.limit;
        wait = Math.max(
          wait,
          index < done.length ? (done[index] as number) + w.windowMs - now : Number.POSITIVE_INFINITY,
        );
      }
    }
    if (wait > 0) return { ok: false, waitMs: wait };
    for (const w of windows) this.flying.set(w.key, (this.flying.get(w.key) ?? 0) + 1);
    // Stryker disable next-line UpdateOperator: counting down gives distinct slots just as well
    return { ok: true, slot: String(++this.nextSlot) };
  }

  async complete(windows: readonly BudgetWindow[], _slot: string, at: number): Promise<void> {
    for (const w of windows) {
      this.flying.set(w.key, Math.max(0, (this.flying.get(w.key) ?? 0) - 1));
      const done = this.prune(w, at);
      // Completions arrive nearly in order; keep the list sorted for the age look-up.
      let i = done.length;
      while (
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: at i = 0, done[-1] is undefined and `undefined > at` is false, so the loop stops without this bound
        i > 0 &&
        // Stryker disable next-line EqualityOperator: equivalent: equal times may go in either order
        (done[i - 1] as number) > at
      )
        i--;
      done.splice(i, 0, at);
    }
  }

  async pause(keys: readonly string[], until: number): Promise<void> {
    for (const k of keys) this.pauses.set(k, Math.max(this.pauses.get(k) ?? 0, until));
  }

  async pausedUntil(keys: readonly string[]): Promise<number> {
    return Math.max(0, ...keys.map((k) => this.pauses.get(k) ?? 0));
  }

  async remaining(windows: readonly BudgetWindow[], now: number): Promise<number[]> {
    return windows.map((w) =>
      Math.max(0, w.limit - this.prune(w, now).length - (this.flying.get(w.key) ?? 0)),
    );
  }

  private prune(w: BudgetWindow, now: number): number[] {
    let list = this.done.get(w.key);
    if (!list) {
      list = [];
      this.done.set(w.key, list);
    }
    let drop = 0;
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: past the end, list[drop] is undefined and `undefined <= x` is false, so the loop stops without this bound
      drop < list.length &&
      (list[drop] as number) <= now - w.windowMs
    )
      drop++;
    list.splice(0, drop);
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
  /**
   * At most this many requests of one caller wait at once; one more is refused at once with a clear
   * error. By default, what the tightest window could serve within `maxWaitMs` were the caller alone:
   * a request queued beyond that would only wait out its time and fail.
   */
  maxQueuedPerCaller?: number;
  /** The clock the windows are kept on; monotonic unless a test or a shared store says otherwise. */
  now?: () => number;
}

interface Waiter {
  /** Whose request this is: turns go round the callers (see FairQueue). */
  caller: string;
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  /** The caller's signal and our listener on it, when the caller can cancel. */
  abort: { signal: AbortSignal; listener: () => void } | undefined;
  enqueuedAt: number;
}

export interface GateStatus {
  inFlight: number;
  queued: number;
  /** How long Hostaway asked us to hold off (a 429), still to run; 0 when not paused. */
  pausedForMs: number;
  remaining: Array<{ key: string; remaining: number; limit: number; windowMs: number }>;
}

export class RateGate {
  private readonly queue = new FairQueue<Waiter>();
  private readonly maxQueuedPerCaller: number;
  private inFlight = 0;
  private pumping = false;
  /** The store said budget may have been freed while we were asking it: ask again before sleeping. */
  // Stryker disable next-line BooleanLiteral: equivalent: the pump clears it before every round it runs
  private askAgain = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  /** Our subscription to the store's wake-ups, held while anyone waits. */
  private unsubscribe: (() => void) | undefined;

  private readonly now: () => number;

  constructor(private readonly options: RateGateOptions) {
    this.now = options.now ?? monotonicNow;
    this.maxQueuedPerCaller =
      options.maxQueuedPerCaller ??
      Math.max(
        options.maxInFlight,
        Math.min(...options.windows.map((w) => w.limit * (Math.floor(options.maxWaitMs / w.windowMs) + 1))),
      );
  }

  /** Waits for a turn; resolves a `release` function to call once the answer has arrived (or failed). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      // Outside any call (the connection check, tests of the client alone) all share one line.
      const caller = currentCaller() ?? '';
      if (this.queue.waitingFor(caller) >= this.maxQueuedPerCaller) {
        reject(
          new HostawayError(
            'rate_limited',
            `${this.maxQueuedPerCaller} of your requests are already waiting for a turn within Hostaway's rate limits (15 requests per 10 s per IP, 20 per account), more than can be served before they time out. Wait for those to finish, or ask for less at once.`,
            { retryable: false },
          ),
        );
        return;
      }
      const waiter: Waiter = {
        caller,
        resolve,
        reject,
        abort: undefined,
        enqueuedAt: this.now(),
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(
            new HostawayError(
              'rate_limited',
              `Waited ${Math.round(this.options.maxWaitMs / 1000)} s for a turn within Hostaway's rate limits (15 requests per 10 s per IP, 20 per account) and gave up. Too much is being asked at once: try again shortly, or ask for less.`,
              // Not repeated here: the call already waited as long as it may.
              { retryable: false },
            ),
          );
        }, this.options.maxWaitMs),
      };
      if (signal) {
        const listener = () => {
          this.remove(waiter);
          reject(cancelledError());
        };
        waiter.abort = { signal, listener };
        // `remove` takes the listener off again, whichever way the wait ends.
        signal.addEventListener('abort', listener);
      }
      this.queue.push(caller, waiter);
      this.listen();
      void this.pump();
    });
  }

  /** Shuts every window for `ms`: Hostaway said 429, so nobody should try before then. */
  async pauseFor(ms: number): Promise<void> {
    await this.options.store.pause(
      this.options.windows.map((w) => w.key),
      this.now() + ms,
    );
  }

  async status(): Promise<GateStatus> {
    const now = this.now();
    const remaining = await this.options.store.remaining(this.options.windows, now);
    const pausedUntil = await this.options.store.pausedUntil(this.options.windows.map((w) => w.key));
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      pausedForMs: Math.max(0, Math.ceil(pausedUntil - now)),
      remaining: this.options.windows.map((w, i) => ({
        key: w.key,
        remaining: remaining[i] ?? 0,
        limit: w.limit,
        windowMs: w.windowMs,
      })),
    };
  }

  private remove(waiter: Waiter): void {
    this.queue.remove(waiter.caller, waiter);
    clearTimeout(waiter.timer);
    if (waiter.abort) waiter.abort.signal.removeEventListener('abort', waiter.abort.listener);
    if (this.queue.length === 0) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
  }

  /** While callers wait, budget freed by another process (a shared store's wake-up) pumps too. */
  private listen(): void {
    if (this.unsubscribe || !this.options.store.subscribe) return;
    this.unsubscribe = this.options.store.subscribe(() => {
      // The answer to a question already asked may predate what freed the budget: ask once more.
      if (this.pumping) this.askAgain = true;
      else void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      do {
        this.askAgain = false;
        await this.turns();
      } while (this.askAgain);
    } finally {
      this.pumping = false;
    }
  }

  /** Grants turns while there are callers, room in flight and budget; sleeps when the budget is spent. */
  private async turns(): Promise<void> {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const got = await this.options.store.acquire(this.options.windows, this.now());
      if (!got.ok) {
        // Infinity: only requests in flight stand in the way; their completion pumps again.
        if (Number.isFinite(got.waitMs)) this.sleepUntilRoom(got.waitMs);
        return;
      }
      const waiter = this.queue.shift();
      if (!waiter) {
        // The head left while we asked the store: give the slot back unused, stamped now.
        await this.options.store.complete(this.options.windows, got.slot, this.now());
        return;
      }
      this.remove(waiter);
      this.inFlight++;
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        void this.options.store.complete(this.options.windows, got.slot, this.now()).then(() => {
          this.inFlight--;
          void this.pump();
        });
      });
    }
  }

  private sleepUntilRoom(ms: number): void {
    clearTimeout(this.wakeTimer);
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
