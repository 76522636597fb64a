/**
 * 12. Shared rate limiters, measured before trusted: three "replicas" (each its own Redis connections)
 * take turns under one limit of 20 per 1 s (Hostaway's kind of limit, time scale 1/10), with our Lua
 * store (src/stores) and the popular libraries that share a limit through plain Redis:
 * rate-limiter-flexible's RateLimiterRedis (a fixed window from the first request) and Bottleneck's
 * Redis clustering, once with a reservoir refilled every window (its recipe for "N per interval") and
 * once spacing requests by window / limit (`minTime`).
 *
 * Two loads, and for each the most requests admitted in any span of one window (Hostaway counts any
 * 10 s span, so this is the figure that must stay at or under the limit):
 * - saturated: 8 callers per replica asking all the time, for 6 windows; also how much of the budget
 *   was used (the least time the limit allows for the requests admitted, over the time they took);
 * - edge: one request, then at 90 % of the window every replica asks for a full limit at once, three
 *   times. A fixed window admits the burst at the end of one window and again at the start of the next.
 *
 * Needs Redis: BENCH_REDIS_URL, else TEST_REDIS_URL, else the one on 127.0.0.1:6379.
 * `npx tsx bench/run.ts limiters` runs only this part.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type BudgetWindow, monotonicNow, RateGate } from '../../src/client/rate-budget.js';
import { RedisBudgetStore } from '../../src/stores/redis-budget.js';
import { dropNamespaces, freshNamespace, maxInAnySpan } from '../../test/helpers/redis.js';
import { report, results } from '../lib/report.js';

const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 20;
const WINDOW_MS = 1_000;
const REPLICAS = 3;
/** How long each admitted request holds its turn (our store counts it from its answer). */
const HOLD_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One replica's way to take a turn: resolves when admitted, with the function that ends the request. */
type Take = () => Promise<() => void>;
interface Limiter {
  name: string;
  /** One per replica, each on its own connections. */
  replicas: Take[];
  close(): Promise<void>;
}

async function ours(): Promise<Limiter> {
  const namespace = freshNamespace('bench');
  const windows: BudgetWindow[] = [{ key: 'account:bench', limit: LIMIT, windowMs: WINDOW_MS }];
  const stores = Array.from({ length: REPLICAS }, () => new RedisBudgetStore({ url: redisUrl, namespace }));
  await Promise.all(stores.map((s) => s.connected(5_000)));
  const gates = stores.map((store) => new RateGate({ store, windows, maxInFlight: 100, maxWaitMs: 60_000 }));
  return {
    name: 'ours: sliding window, Lua (src/stores)',
    replicas: gates.map((g) => () => g.acquire()),
    close: async () => {
      await Promise.all(stores.map((s) => s.close()));
      await dropNamespaces([namespace], redisUrl);
    },
  };
}

async function rateLimiterFlexible(): Promise<Limiter> {
  const keyPrefix = `bench-rlf-${freshNamespace('rlf')}`;
  const clients = Array.from({ length: REPLICAS }, () => new Redis(redisUrl, { enableOfflineQueue: false }));
  await Promise.all(clients.map((c) => new Promise((r) => c.once('ready', r))));
  const limiters = clients.map(
    (storeClient) =>
      new RateLimiterRedis({ storeClient, keyPrefix, points: LIMIT, duration: WINDOW_MS / 1000 }),
  );
  return {
    name: 'rate-limiter-flexible: RateLimiterRedis (fixed window)',
    replicas: limiters.map((limiter) => async () => {
      // Its documented way to wait: retry after msBeforeNext.
      for (;;) {
        try {
          await limiter.consume('account');
          return () => {};
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          await sleep(Math.max(1, err.msBeforeNext));
        }
      }
    }),
    close: async () => {
      await Promise.all(clients.map((c) => c.quit()));
    },
  };
}

async function bottleneck(kind: 'reservoir' | 'minTime'): Promise<Limiter> {
  const id = `bench-bottleneck-${freshNamespace(kind)}`;
  const { hostname, port } = new URL(redisUrl);
  const limiters = Array.from(
    { length: REPLICAS },
    (_, i) =>
      new Bottleneck({
        id,
        datastore: 'ioredis',
        Redis,
        clientOptions: { host: hostname, port: Number(port || 6379) },
        clearDatastore: i === 0,
        // Clustering refills the reservoir at its heartbeat (5 s by default): check it often.
        heartbeatInterval: 50,
        ...(kind === 'reservoir'
          ? { reservoir: LIMIT, reservoirRefreshAmount: LIMIT, reservoirRefreshInterval: WINDOW_MS }
          : { minTime: WINDOW_MS / LIMIT }),
      }),
  );
  for (const l of limiters) {
    l.on('error', () => {});
    await l.ready();
  }
  return {
    name:
      kind === 'reservoir'
        ? 'bottleneck (Redis): reservoir refilled every window'
        : 'bottleneck (Redis): minTime = window / limit',
    replicas: limiters.map(
      (limiter) => () =>
        new Promise<() => void>((admitted) => {
          void limiter.schedule(() => new Promise<void>((done) => admitted(() => done())));
        }),
    ),
    close: async () => {
      await Promise.all(limiters.map((l) => l.disconnect()));
      // Bottleneck leaves its settings and client registry behind: remove them.
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`b_${id}_*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

interface Run {
  requests: number;
  maxInWindow: number;
  budgetUsed: number;
}

/** Requests admitted, the most in any window span, and least time / time taken. */
function measure(admitted: number[]): Run {
  const sorted = [...admitted].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const last = sorted.at(-1) ?? 0;
  const least = Math.floor((sorted.length - 1) / LIMIT) * WINDOW_MS;
  return {
    requests: sorted.length,
    maxInWindow: maxInAnySpan(sorted, WINDOW_MS),
    budgetUsed: last > first ? least / (last - first) : 0,
  };
}

async function saturated(limiter: Limiter): Promise<Run> {
  const end = monotonicNow() + 6 * WINDOW_MS;
  const admitted: number[] = [];
  await Promise.all(
    limiter.replicas.flatMap((take) =>
      Array.from({ length: 8 }, async () => {
        while (monotonicNow() < end) {
          const release = await take();
          const at = monotonicNow();
          if (at < end) admitted.push(at);
          await sleep(HOLD_MS);
          release();
        }
      }),
    ),
  );
  return measure(admitted);
}

async function edge(limiter: Limiter): Promise<Run> {
  const admitted: number[] = [];
  const one = async (take: Take) => {
    const release = await take();
    admitted.push(monotonicNow());
    await sleep(HOLD_MS);
    release();
  };
  for (let cycle = 0; cycle < 3; cycle++) {
    const start = monotonicNow();
    await one(limiter.replicas[0] as Take);
    await sleep(start + 0.9 * WINDOW_MS - monotonicNow());
    await Promise.all(limiter.replicas.flatMap((take) => Array.from({ length: LIMIT }, () => one(take))));
    // Let every window empty before the next cycle.
    await sleep(2 * WINDOW_MS);
  }
  return measure(admitted);
}

export async function limiterLibraries(): Promise<void> {
  process.stderr.write(`12. shared rate limiters (${REPLICAS} replicas, ${LIMIT} per ${WINDOW_MS} ms)\n`);
  const rows: Record<string, { saturated: Run; edge: Omit<Run, 'budgetUsed'> }> = {};
  for (const open of [
    ours,
    rateLimiterFlexible,
    () => bottleneck('reservoir'),
    () => bottleneck('minTime'),
  ]) {
    const limiter = await open();
    try {
      const s = await saturated(limiter);
      await sleep(2 * WINDOW_MS);
      const e = await edge(limiter);
      rows[limiter.name] = { saturated: s, edge: { requests: e.requests, maxInWindow: e.maxInWindow } };
      report(
        limiter.name,
        `max in any 1 s: ${s.maxInWindow} saturated, ${e.maxInWindow} at the edge (limit ${LIMIT}); budget used ${(s.budgetUsed * 100).toFixed(1)} % (saturated)`,
        `<= ${LIMIT}`,
      );
    } finally {
      await limiter.close();
    }
  }
  results.limiters = { limit: LIMIT, windowMs: WINDOW_MS, replicas: REPLICAS, holdMs: HOLD_MS, rows };
}
