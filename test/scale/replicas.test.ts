/**
 * Three server processes on one Redis against one sandbox with Hostaway's limits on (time scale 1/10:
 * the same counts in any second): a burst of 600 tool calls spread over the replicas gets no 429, uses at
 * least 90 % of what the limits allow, mints one token between them, and a calendar change made through
 * one replica is read back changed through another at once. A replica killed mid-burst leaves the
 * others going; Redis stopped mid-burst leaves every replica on its own share, reporting it, and a
 * restarted Redis takes them back to the shared budget.
 *
 * The Redis here is a server of the test's own, on a spare port, so that it can be stopped.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { sparePort, startRedisServer, stopRedisServer } from '../helpers/redis.js';
import {
  getReservation,
  type Replica,
  upstreamSince as seenSince,
  sharedWriteStore,
  startReplica as spawnReplica,
  stopProcess,
} from '../helpers/replicas.js';

// Time scale 1/10: on a busy 2-core machine a shorter window loses more of itself to each answer's latency.
const WINDOW_MS = 1_000;
const LIMITS = { perIp: { limit: 15, windowMs: WINDOW_MS }, perAccount: { limit: 20, windowMs: WINDOW_MS } };

let sandbox: Sandbox;
let redisPort: number;
const replicas: Replica[] = [];
const tokenKey = randomBytes(32).toString('hex');

let store: { url: string; drop: () => Promise<void> };
const startReplica = () =>
  spawnReplica(sandbox, { redisPort, tokenKey, windowMs: WINDOW_MS, replicas: 3, databaseUrl: store.url });
const upstreamSince = (since: number) => seenSince(sandbox, since, WINDOW_MS);

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimits: LIMITS, requestLogCapacity: 50_000 });
  redisPort = await sparePort();
  await startRedisServer(redisPort);
  store = await sharedWriteStore();
  for (let i = 0; i < 3; i++) replicas.push(await startReplica());
}, 60_000);
afterAll(async () => {
  for (const r of replicas) await stopProcess(r.child, 'SIGKILL');
  if (redisPort) stopRedisServer(redisPort);
  await sandbox?.close();
  await store?.drop();
});

describe('three replicas on one Redis, one account, Hostaway limits on', () => {
  it('600 calls over the replicas: no 429, at least 90 % of the budget used, one token minted', async () => {
    const since = sandbox.requests.lastSeq;
    const calls = Array.from({ length: 600 }, (_, k) =>
      getReservation(replicas[k % 3] as Replica, 1_000_001 + k),
    );
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body.slice(0, 200))).toEqual([]);
    const seen = upstreamSince(since);
    expect(seen.tooMany).toBe(0);
    expect(seen.minted).toBe(1);
    expect(seen.count).toBeGreaterThanOrEqual(600);
    // Budget use: the least time the limits allow for these requests against the time they took.
    expect(seen.leastMs / seen.spanMs).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('a calendar change through replica A is read back changed through replica B at once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const listingId = sandbox.store().allListings()[0]!.id;
    const day = '2027-02-10';
    const read = async () => {
      const res = await fetch(
        `${b.base}/api/v1/get_availability?listingId=${listingId}&startDate=${day}&endDate=${day}`,
      );
      expect(res.status).toBe(200);
      return JSON.stringify(await res.json());
    };
    const before = await read();
    // B has it cached now; the change goes through A.
    const post = (body: unknown) =>
      fetch(`${a.base}/api/v1/update_calendar`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ status: string; confirmationId?: string }>);
    const args = { listingId, ranges: [{ startDate: day, endDate: day }], set: { price: 987 } };
    const preview = await post(args);
    expect(preview.status).toBe('preview');
    const done = await post({ ...args, confirmationId: preview.confirmationId });
    expect(done.status).toBe('done');
    const after = await read();
    expect(after).not.toBe(before);
    expect(after).toContain('987');
  }, 60_000);

  it('a replica killed mid-burst: the others go on, no 429', async () => {
    const since = sandbox.requests.lastSeq;
    const victim = replicas[2] as Replica;
    const calls = Array.from({ length: 240 }, (_, k) =>
      getReservation(replicas[k % 3] as Replica, 1_000_700 + k).catch(() => ({ status: 0, body: 'gone' })),
    );
    await new Promise((r) => setTimeout(r, 1_500));
    await stopProcess(victim.child, 'SIGKILL');
    const answers = await Promise.all(calls);
    // The survivors answered everything sent to them.
    const survivors = answers.filter((_, k) => k % 3 !== 2);
    expect(survivors.every((a) => a.status === 200)).toBe(true);
    expect(upstreamSince(since).tooMany).toBe(0);
    replicas[2] = await startReplica();
  }, 120_000);

  it('Redis stopped mid-burst: every replica goes on alone within its share, says so, and rejoins', async () => {
    const since = sandbox.requests.lastSeq;
    const calls = Array.from({ length: 180 }, (_, k) =>
      getReservation(replicas[k % 3] as Replica, 1_001_000 + k),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    stopRedisServer(redisPort);
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a.status !== 200).length).toBe(0);
    expect(upstreamSince(since).tooMany).toBe(0);
    const ready = async (r: Replica) =>
      (await (await fetch(`${r.base}/ready`)).json()) as {
        ready: boolean;
        checks: Record<string, { detail?: string }>;
      };
    for (const r of replicas) {
      const report = await ready(r);
      expect(report.ready).toBe(true);
      expect(report.checks.budget?.detail).toMatch(/degraded/);
    }
    await startRedisServer(redisPort);
    const deadline = Date.now() + 20_000;
    for (const r of replicas) {
      while ((await ready(r)).checks.budget?.detail !== undefined) {
        if (Date.now() > deadline) throw new Error('a replica did not rejoin the shared budget');
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  }, 120_000);
});
