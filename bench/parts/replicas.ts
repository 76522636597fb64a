/**
 * 14. Replicas: three server processes on one Redis against one sandbox with Hostaway's limits (time
 * scale 1/20), a burst of 600 tool calls spread over them. 429s, tokens minted, and the budget used:
 * the least time the limits allow against the time taken. Then the same burst with each replica on its
 * own budget (no Redis), the way it was before. Needs redis-server (it starts one of its own).
 */
import { randomBytes } from 'node:crypto';
import { startSandbox } from '../../src/sandbox/index.js';
import { sparePort, startRedisServer, stopRedisServer } from '../../test/helpers/redis.js';
import {
  getReservation,
  type Replica,
  sharedWriteStore,
  startReplica,
  stopProcess,
  upstreamSince,
} from '../../test/helpers/replicas.js';
import { report, results } from '../lib/report.js';

export async function replicas(): Promise<void> {
  process.stderr.write('14. replicas\n');
  const windowMs = 500;
  const LIMITS = { perIp: { limit: 15, windowMs }, perAccount: { limit: 20, windowMs } };
  const sandbox = await startSandbox({ rateLimits: LIMITS, requestLogCapacity: 50_000 });
  const redisPort = await sparePort();
  await startRedisServer(redisPort);
  const tokenKey = randomBytes(32).toString('hex');
  const store = await sharedWriteStore();

  async function burst(shared: boolean) {
    // Without Redis, each replica is on its own: a Redis port where nothing listens.
    const port = shared ? redisPort : await sparePort();
    const started: Replica[] = [];
    for (let i = 0; i < 3; i++)
      started.push(
        await startReplica(sandbox, {
          redisPort: port,
          tokenKey,
          windowMs,
          replicas: shared ? 3 : 1,
          databaseUrl: store.url,
        }),
      );
    const since = sandbox.requests.lastSeq;
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 600 }, (_, k) => getReservation(started[k % 3] as Replica, 1_000_001 + k)),
    );
    const ms = performance.now() - t0;
    for (const r of started) await stopProcess(r.child, 'SIGKILL');
    const seen = upstreamSince(sandbox, since, windowMs);
    return { ms, failed: answers.filter((a) => a.status !== 200).length, ...seen };
  }

  const shared = await burst(true);
  const alone = await burst(false);
  stopRedisServer(redisPort);
  await sandbox.close();
  await store.drop();
  results.replicas = { windowMs, calls: 600, shared, alone };
  report(
    '600 calls over 3 replicas sharing through Redis (1/20 scale)',
    `${shared.tooMany} x 429, ${shared.minted} token minted, budget used ${((100 * shared.leastMs) / shared.spanMs).toFixed(1)} % (${(shared.spanMs / 1000).toFixed(2)} s for a ${(shared.leastMs / 1000).toFixed(2)} s least), ${shared.failed} errors`,
    '0 x 429, 1 token, >= 90 %',
  );
  report(
    'the same burst, each replica on its own budget (no Redis)',
    `${alone.tooMany} x 429, ${alone.minted} tokens minted, ${alone.failed} errors`,
    '',
  );
}
