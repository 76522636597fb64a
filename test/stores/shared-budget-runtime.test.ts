/**
 * The shared budget as a server runs it: REDIS_URL and HOSTAWAY_REPLICAS in the configuration, the
 * runtime's client taking its turns from Redis, /ready and /metrics saying whether the budget is
 * shared, and a Redis out of reach that changes none of that into a failure.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { readiness } from '../../src/server/http.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { dropNamespaces, freshNamespace, keysOf, REDIS_URL, sparePort } from '../helpers/redis.js';

const NO_FILE = '/dev/null';
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ env, envFile: NO_FILE });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('REDIS_URL and HOSTAWAY_REPLICAS', () => {
  it('without REDIS_URL the budget is the process’s own', () => {
    expect(loadConfig({ env: {}, envFile: NO_FILE }).sharedBudget).toBeUndefined();
  });

  it('REDIS_URL shares the budget; HOSTAWAY_REPLICAS sizes the share alone, 1 unless said', () => {
    expect(
      loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379' }, envFile: NO_FILE }).sharedBudget,
    ).toEqual({ url: 'redis://127.0.0.1:6379', replicas: 1 });
    expect(
      loadConfig({
        env: { REDIS_URL: 'rediss://cache.internal:6380/2', HOSTAWAY_REPLICAS: '3' },
        envFile: NO_FILE,
      }).sharedBudget,
    ).toEqual({ url: 'rediss://cache.internal:6380/2', replicas: 3 });
  });

  it('several replicas with writes on need one shared write store (PostgreSQL), so that a change is made once', () => {
    const several = {
      HOSTAWAY_ACCOUNT_ID: '12345',
      HOSTAWAY_API_KEY: 'live-api-key-0123456789',
      HOSTAWAY_TOKEN_KEY: 'ab'.repeat(32),
      HOSTAWAY_WRITES: 'true',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HOSTAWAY_REPLICAS: '2',
    };
    expect(problems(several)).toEqual([
      expect.stringMatching(
        /^HOSTAWAY_REPLICAS is 2 with writes on: the replicas must share one write store.*DATABASE_URL/,
      ),
    ]);
    expect(problems({ ...several, HOSTAWAY_WRITE_STORE: 'embedded' })).toHaveLength(1);
    expect(loadConfig({ env: { ...several, HOSTAWAY_READ_ONLY: 'true' }, envFile: NO_FILE }).writes).toBe(
      false,
    );
    expect(
      loadConfig({ env: { ...several, DATABASE_URL: 'postgres://db.internal/hostaway' }, envFile: NO_FILE })
        .writeStore.kind,
    ).toBe('postgres');
  });

  it('names the setting to fix', () => {
    expect(problems({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
    ]);
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379', HOSTAWAY_REPLICAS: '0' })).toEqual([
      'HOSTAWAY_REPLICAS must be a whole number from 1 to 1000, got "0"',
    ]);
    expect(problems({ HOSTAWAY_REPLICAS: '3' })).toEqual([
      expect.stringMatching(/^HOSTAWAY_REPLICAS is set but REDIS_URL is not/),
    ]);
  });
});

describe('a server whose budget is shared through Redis', () => {
  const namespaces: string[] = [];
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });
  afterAll(() => dropNamespaces(namespaces));

  /** Demo mode (its own sandbox as Hostaway), with REDIS_URL as given. */
  async function server(env: Record<string, string>) {
    const namespace = freshNamespace('runtime');
    namespaces.push(namespace);
    runtime = await createRuntime(loadConfig({ env, envFile: NO_FILE }), {
      logger: silentLogger,
      sandbox: { rateLimits: false },
      metrics: { defaultMetrics: false },
      sharedBudget: { namespace, startTimeoutMs: 300, checkEveryMs: 100 },
    });
    return { runtime, namespace };
  }

  const sharedGauge = async (r: Runtime) =>
    sampleValue(
      parsePrometheus(await (r.metrics as NonNullable<Runtime['metrics']>).render()),
      'hostaway_rate_budget_shared',
    );

  it('takes its turns from Redis, and says it shares the budget', async () => {
    const { runtime, namespace } = await server({ REDIS_URL, HOSTAWAY_REPLICAS: '2' });
    expect(runtime.budgetMode()).toBe('shared');
    expect((await runtime.client.listings.list({ limit: 2 })).items).toHaveLength(2);
    const keys = await keysOf(namespace);
    expect(keys.some((k) => k.includes(':budget:account:'))).toBe(true);
    expect(keys.some((k) => k.includes(':budget:ip:'))).toBe(true);
    const ready = await readiness(runtime);
    expect(ready.ready).toBe(true);
    expect(ready.checks.budget).toEqual({ ok: true });
    expect(await sharedGauge(runtime)).toBe(1);
  });

  it('with Redis out of reach: degraded, still ready, and requests still answered', async () => {
    const { runtime } = await server({ REDIS_URL: `redis://127.0.0.1:${await sparePort()}` });
    expect(runtime.budgetMode()).toBe('degraded');
    expect((await runtime.client.listings.list({ limit: 2 })).items).toHaveLength(2);
    const ready = await readiness(runtime);
    expect(ready.ready).toBe(true);
    expect(ready.checks.budget).toEqual({ ok: true, detail: 'degraded: local share' });
    expect(await sharedGauge(runtime)).toBe(0);
  });

  it('without REDIS_URL: local, no budget check, the gauge at 0', async () => {
    const { runtime } = await server({});
    expect(runtime.budgetMode()).toBe('local');
    const ready = await readiness(runtime);
    expect(ready.checks.budget).toBeUndefined();
    expect(await sharedGauge(runtime)).toBe(0);
  });
});
