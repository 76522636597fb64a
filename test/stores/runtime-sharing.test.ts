/**
 * The server's wiring: with REDIS_URL (and HOSTAWAY_TOKEN_KEY) in live mode, each runtime's client gets
 * the Redis token store and cache bus, and `close()` lets go of Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { DEFAULT_REDIS_PREFIX } from '../../src/stores/redis-token-store.js';
import { FAST_RETRIES } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import { REDIS_URL, testRedis } from '../helpers/shared-redis.js';

describe('runtime wiring with REDIS_URL', () => {
  let sandbox: Sandbox;
  let redis: Redis;
  const runtimes: Runtime[] = [];
  // The deployment's own prefix; an account id of this run's own keeps its keys apart.
  const accountId = 300_000 + Math.floor(Math.random() * 600_000);
  const keys = [
    `${DEFAULT_REDIS_PREFIX}:token:${accountId}`,
    `${DEFAULT_REDIS_PREFIX}:token:${accountId}:lock`,
  ];
  const channel = `${DEFAULT_REDIS_PREFIX}:cache:${accountId}`;

  beforeAll(async () => {
    redis = testRedis();
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, accountId });
    const config = loadConfig({
      env: {
        HOSTAWAY_ACCOUNT_ID: String(accountId),
        HOSTAWAY_API_KEY: sandbox.clientSecret,
        HOSTAWAY_BASE_URL: sandbox.url,
        HOSTAWAY_WRITE_STORE: 'memory',
        REDIS_URL,
        HOSTAWAY_TOKEN_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'silent',
      },
      envFile: '/dev/null',
    });
    for (let i = 0; i < 2; i++)
      runtimes.push(
        await createRuntime(config, {
          client: { token: { activationDelayMs: 0 }, retries: FAST_RETRIES },
        }),
      );
  });

  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await sandbox?.close();
    await redis.del(...keys);
    await redis.quit();
  });

  it('two replicas: one token minted, encrypted in Redis; a write on one refreshes the other', async () => {
    const [a, b] = runtimes as [Runtime, Runtime];
    const range = { startDate: '2027-04-01', endDate: '2027-04-02' };
    await Promise.all([a.client.listings.get(40160), b.client.calendar.get(40161, range)]);
    const mints = sandbox.requests.list().filter((e) => e.path === '/v1/accessTokens');
    expect(mints).toHaveLength(1);
    expect(await redis.get(keys[0]!)).toMatch(/^v1\./);

    await a.client.calendar.update(40161, { ...range, price: 321 });
    const heard = () => b.client.stats.remoteInvalidations;
    for (let i = 0; i < 500 && heard() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard()).toBe(1);
    expect((await b.client.calendar.get(40161, range)).map((d) => d.price)).toEqual([321, 321]);
  });

  it('close() lets go of Redis: nobody listens on the channel any more', async () => {
    const listeners = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    expect(await listeners()).toBe(2);
    await runtimes.pop()!.close();
    expect(await listeners()).toBe(1);
    await runtimes.pop()!.close();
    expect(await listeners()).toBe(0);
  });
});
