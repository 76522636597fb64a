/**
 * Hostaway's rate budget shared by every replica of a deployment, in Redis: the same sliding windows as
 * `MemoryBudgetStore`, decided by one Lua script per step so that no two replicas can both take the
 * last slot.
 *
 * - Completions: a sorted set per window, scored by the time the answer arrived.
 * - Requests in flight: leases in a sorted set per window, scored by the lease's expiry. A replica that
 *   dies mid-request never completes its slot; when the lease runs out the slot counts as answered at
 *   that moment (Hostaway may have counted it up to then), so it leaves the window a window later.
 * - A 429 pause: a key per window holding the time to resume.
 *
 * Times are the Redis server's clock (`TIME` inside the scripts), never a replica's: replicas' clocks
 * differ, one server's does not. Redis 7 replicates a script's effects rather than the script, so a
 * script may read the clock and then write. What replicas exchange with the store are durations (how
 * long to wait, how long ago an answer came), which need no common clock.
 *
 * Every key of one deployment carries one hash tag, `{hostaway-mcp}:budget:<window key>:...`, so that
 * they sit in one cluster slot and one script may touch them all: a request takes a slot in the IP
 * window, which every account behind that address shares, and in its account's window together, so
 * a tag per account would split what must be decided at once. One deployment's budget is a few keys
 * and a few dozen entries: one slot is no hot spot.
 *
 * Budget freed on one replica wakes the others: `complete` publishes on `{tag}:budget:freed`, and
 * `subscribe` listens there on a connection of its own.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { type Acquired, type BudgetStore, type BudgetWindow, monotonicNow } from '../client/rate-budget.js';

export interface RedisBudgetStoreOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /**
   * Names the deployment: its keys are `{<namespace>}:budget:...`. Replicas that share a budget share
   * the namespace; tests use one of their own. Default `hostaway-mcp`.
   */
  namespace?: string;
  /** How long a slot in flight holds its place when its replica never completes it. Default 30 s. */
  leaseMs?: number;
  /** A command unanswered this long fails (a hung Redis must not hold a request). Default 1 s. */
  commandTimeoutMs?: number;
  /** Connecting gives up after this long and tries again. Default 2 s. */
  connectTimeoutMs?: number;
  /**
   * The caller's clock, to turn its times (a pause's end, a completion's time) into durations: the
   * gate's clock, monotonic unless a test says otherwise.
   */
  now?: () => number;
  /** Listen for other replicas' completions (a second connection). Default true. */
  wake?: boolean;
}

/** Keys and numbers as the scripts take them. */
type Arg = string | number;
interface BudgetCommands {
  budgetAcquire(numKeys: number, ...args: Arg[]): Promise<[number, string]>;
  budgetComplete(numKeys: number, ...args: Arg[]): Promise<number>;
  budgetPause(numKeys: number, ...args: Arg[]): Promise<number>;
  budgetLook(numKeys: number, ...args: Arg[]): Promise<number[]>;
  budgetPausedFor(numKeys: number, ...args: Arg[]): Promise<string>;
}

/**
 * Shared by the scripts that look at windows: reads the clock, turns expired leases into completions
 * at their expiry, drops completions older than the window. KEYS per window: completions, leases,
 * pause; ARGV from `first`: limit, window length (ms) per window.
 */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function tidy(done, leases, windowMs)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'WITHSCORES')
  for j = 1, #expired, 2 do
    redis.call('ZADD', done, expired[j + 1], expired[j])
  end
  if #expired > 0 then
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  end
  redis.call('ZREMRANGEBYSCORE', done, '-inf', now - windowMs)
end
`;

/**
 * Takes a lease in every window, or none. ARGV: slot id, lease ms, key grace ms, then limit and
 * window length per window. Answers {1, slot} or {0, wait in ms as text}.
 *
 * As in `MemoryBudgetStore`: with `used` entries against `limit`, the (used - limit + 1)th oldest
 * completion must age out. When requests in flight fill the window, their completion will wake the
 * waiters (a published message); failing that (their replica died), the earliest lease's expiry.
 */
const ACQUIRE = `${PRELUDE}
local slot, leaseMs, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local n = #KEYS / 3
local wait = 0
for i = 0, n - 1 do
  local done, leases, pause = KEYS[3 * i + 1], KEYS[3 * i + 2], KEYS[3 * i + 3]
  local limit, windowMs = tonumber(ARGV[4 + 2 * i]), tonumber(ARGV[5 + 2 * i])
  tidy(done, leases, windowMs)
  local resume = tonumber(redis.call('GET', pause) or '0')
  if resume - now > wait then wait = resume - now end
  local completed = redis.call('ZCARD', done)
  local used = completed + redis.call('ZCARD', leases)
  if used >= limit then
    local index = used - limit
    local w
    if index < completed then
      w = tonumber(redis.call('ZRANGE', done, index, index, 'WITHSCORES')[2]) + windowMs - now
    else
      w = tonumber(redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')[2]) - now
    end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, tostring(wait)} end
for i = 0, n - 1 do
  local leases, windowMs = KEYS[3 * i + 2], tonumber(ARGV[5 + 2 * i])
  redis.call('ZADD', leases, now + leaseMs, slot)
  redis.call('PEXPIRE', leases, math.ceil(leaseMs + windowMs + grace))
end
return {1, slot}
`;

/**
 * Stamps a slot answered `age` ms ago (by the caller's clock) and publishes that budget moved. KEYS per
 * window: completions, leases; ARGV: slot, age ms, channel, key grace ms, window length per window.
 * A slot whose lease already ran out is in the completions: the stamp moves it to its true time.
 */
const COMPLETE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local slot, age, channel, grace = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local at = now - age
for i = 0, #KEYS / 2 - 1 do
  local done, leases = KEYS[2 * i + 1], KEYS[2 * i + 2]
  redis.call('ZREM', leases, slot)
  redis.call('ZADD', done, at, slot)
  redis.call('PEXPIRE', done, math.ceil(tonumber(ARGV[5 + i]) + grace))
end
redis.call('PUBLISH', channel, slot)
return 1
`;

/** Shuts the windows of KEYS (pause keys) for ARGV[1] ms from now; a shorter pause never shortens one. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ms = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local resume = tonumber(redis.call('GET', key) or '0')
  if now + ms > resume then
    redis.call('SET', key, tostring(now + ms), 'PX', math.ceil(ms))
  end
end
return 1
`;

/**
 * Slots left per window. KEYS per window: completions, leases (and its pause, unused here, so that
 * keys are laid out as for acquiring); ARGV: limit and window length per window.
 */
const LOOK = `${PRELUDE}
local out = {}
for i = 0, #KEYS / 3 - 1 do
  local done, leases = KEYS[3 * i + 1], KEYS[3 * i + 2]
  local limit, windowMs = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  tidy(done, leases, windowMs)
  local left = limit - redis.call('ZCARD', done) - redis.call('ZCARD', leases)
  if left < 0 then left = 0 end
  out[#out + 1] = left
end
return out
`;

/** How long the windows of KEYS (pause keys) stay shut from now, in ms as text (0 when open). */
const PAUSED_FOR = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = 0
for _, key in ipairs(KEYS) do
  local resume = tonumber(redis.call('GET', key) or '0')
  if resume - now > paused then paused = resume - now end
end
return tostring(paused)
`;

/** Keys outlive their last entry by this much, then Redis drops them: an idle deployment leaves nothing. */
const KEY_GRACE_MS = 60_000;

export class RedisBudgetStore implements BudgetStore {
  /** The connection for the budget's commands: fails fast when Redis is out of reach, never queues. */
  readonly redis: Redis;
  private subscriber: Redis | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly prefix: string;
  private readonly channel: string;
  private readonly leaseMs: number;
  private readonly now: () => number;
  /** Slot ids: this store's random name and a counter, unique across replicas. */
  private readonly instance = randomBytes(6).toString('hex');
  private nextSlot = 0;
  /** The last connection error, for the log of whoever decides what to do about it. */
  lastError: string | undefined;

  constructor(options: RedisBudgetStoreOptions) {
    const namespace = options.namespace ?? 'hostaway-mcp';
    if (/[{}]/.test(namespace)) throw new Error('the budget namespace may not contain { or }');
    this.prefix = `{${namespace}}:budget:`;
    this.channel = `${this.prefix}freed`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.now = options.now ?? monotonicNow;
    const connection: RedisOptions = {
      // Degraded mode depends on failing fast: a command while disconnected fails at once (no offline
      // queue), one cut off by a lost connection is not sent again, and one unanswered times out.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      // Reconnects for ever, at most every 2 s.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    };
    this.redis = new Redis(options.url, connection);
    this.redis.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    this.redis.defineCommand('budgetAcquire', { lua: ACQUIRE });
    this.redis.defineCommand('budgetComplete', { lua: COMPLETE });
    this.redis.defineCommand('budgetPause', { lua: PAUSE });
    this.redis.defineCommand('budgetLook', { lua: LOOK });
    this.redis.defineCommand('budgetPausedFor', { lua: PAUSED_FOR, readOnly: true });
    if (options.wake ?? true) {
      // Subscribes on every connection, the first included: when Redis is down at start, a SUBSCRIBE
      // sent then would fail and leave nothing for the reconnection to restore.
      const subscriber = new Redis(options.url, connection);
      subscriber.on('error', () => {});
      subscriber.on('ready', () => {
        subscriber.subscribe(this.channel).catch(() => {});
      });
      subscriber.on('message', () => {
        for (const listener of this.listeners) listener();
      });
      this.subscriber = subscriber;
    }
  }

  private get commands(): BudgetCommands {
    return this.redis as unknown as BudgetCommands;
  }

  private windowKeys(windows: readonly BudgetWindow[]): string[] {
    return windows.flatMap((w) => [
      `${this.prefix}${w.key}:done`,
      `${this.prefix}${w.key}:leases`,
      `${this.prefix}${w.key}:pause`,
    ]);
  }

  /** The Redis server's clock is the budget's: `now` is not used. */
  async acquire(windows: readonly BudgetWindow[], _now?: number): Promise<Acquired> {
    const slot = `${this.instance}:${(++this.nextSlot).toString(36)}`;
    const [ok, value] = await this.commands.budgetAcquire(
      windows.length * 3,
      ...this.windowKeys(windows),
      slot,
      this.leaseMs,
      KEY_GRACE_MS,
      ...windows.flatMap((w) => [w.limit, w.windowMs]),
    );
    return ok === 1 ? { ok: true, slot: value } : { ok: false, waitMs: Number(value) };
  }

  /** `at` is on the caller's clock: Redis stamps the completion as long ago as `at` is. */
  async complete(windows: readonly BudgetWindow[], slot: string, at: number): Promise<void> {
    await this.commands.budgetComplete(
      windows.length * 2,
      ...windows.flatMap((w) => [`${this.prefix}${w.key}:done`, `${this.prefix}${w.key}:leases`]),
      slot,
      Math.max(0, this.now() - at),
      this.channel,
      KEY_GRACE_MS,
      ...windows.map((w) => w.windowMs),
    );
  }

  /** `until` is on the caller's clock: Redis keeps the windows shut for as long from its own now. */
  async pause(keys: readonly string[], until: number): Promise<void> {
    const ms = until - this.now();
    if (ms <= 0 || keys.length === 0) return;
    await this.commands.budgetPause(keys.length, ...keys.map((k) => `${this.prefix}${k}:pause`), ms);
  }

  async remaining(windows: readonly BudgetWindow[], _now?: number): Promise<number[]> {
    const answer = await this.commands.budgetLook(
      windows.length * 3,
      ...this.windowKeys(windows),
      ...windows.flatMap((w) => [w.limit, w.windowMs]),
    );
    return answer;
  }

  /** On the caller's clock, like the pause it reports. */
  async pausedUntil(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const ms = Number(
      await this.commands.budgetPausedFor(keys.length, ...keys.map((k) => `${this.prefix}${k}:pause`)),
    );
    return ms > 0 ? this.now() + ms : 0;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Whether Redis answers now. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /**
   * Resolves once connected (true), or after `timeoutMs` without a connection (false); the store keeps
   * trying in the background either way.
   */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.redis.on('ready', onReady);
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(
      [this.redis, this.subscriber].map(async (connection) => {
        if (!connection) return;
        // QUIT when connected (its answer ends the connection cleanly); otherwise just stop trying.
        if (connection.status === 'ready') await connection.quit().catch(() => {});
        connection.disconnect();
      }),
    );
  }
}
