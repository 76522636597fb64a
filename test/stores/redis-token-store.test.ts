/**
 * The shared token store's parts against the Redis on this machine: the lock (exclusive, released only
 * by its holder, renewed while held, running out when its holder is gone), compare-and-replace, and the
 * token manager waiting for another replica's token instead of minting its own.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredToken } from '../../src/client/token-store.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { openRedisSharing } from '../../src/stores/redis-sharing.js';
import { RedisTokenStore } from '../../src/stores/redis-token-store.js';
import { capturedLogger, clientFor } from '../helpers/client.js';
import { mintToken, TEST_NOW } from '../helpers/sandbox.js';
import { freshPrefix, REDIS_URL, removeKeys, testRedis } from '../helpers/shared-redis.js';

const prefix = freshPrefix();
const key = randomBytes(32);
let redis: Redis;
let other: Redis;

beforeAll(() => {
  redis = testRedis();
  other = testRedis();
});
afterAll(async () => {
  await removeKeys(redis, prefix);
  await Promise.all([redis.quit(), other.quit()]);
});

const token = (value: string, lifeMs = 3_600_000): StoredToken => ({
  value,
  issuedAt: Date.now(),
  expiresAt: Date.now() + lifeMs,
});

function store(accountId: string, connection: Redis = redis, lockTtlMs?: number) {
  return new RedisTokenStore({
    redis: connection,
    key,
    accountId,
    apiKey: 'the-api-key-0000',
    prefix,
    lockTtlMs,
  });
}

describe('RedisTokenStore', () => {
  it('refuses to exist without a 32-byte key: no bearer token in plain text', () => {
    for (const bad of [undefined, Buffer.alloc(0), randomBytes(16)])
      expect(
        () => new RedisTokenStore({ redis, key: bad as Buffer, accountId: '1', apiKey: 'k', prefix }),
      ).toThrow(/HOSTAWAY_TOKEN_KEY/);
  });

  it('lock: one holder at a time, from any connection; free again once released', async () => {
    const a = store('101');
    const b = store('101', other);
    const held = await a.lock();
    expect(held).toBeDefined();
    expect(await b.lock()).toBeUndefined();
    expect(await a.lock()).toBeUndefined();
    await held!.release();
    const next = await b.lock();
    expect(next).toBeDefined();
    await next!.release();
    expect(await redis.exists(a.lockKey)).toBe(0);
  });

  it('a holder whose lock ran out does not release the next holder’s', async () => {
    const a = store('102');
    const late = await a.lock();
    // Its lease ran out (as it would while the process stood still), and another replica took it.
    await redis.del(a.lockKey);
    const current = await store('102', other).lock();
    expect(current).toBeDefined();
    const owner = await redis.get(a.lockKey);
    await late!.release();
    expect(await redis.get(a.lockKey)).toBe(owner);
    await current!.release();
    expect(await redis.exists(a.lockKey)).toBe(0);
  });

  it('the lease is renewed while held, and runs out once nobody renews it', async () => {
    const s = store('103', redis, 600);
    const held = await s.lock();
    // Three leases long: renewed all along.
    await new Promise((r) => setTimeout(r, 1_800));
    expect(await redis.exists(s.lockKey)).toBe(1);
    const pttl = await redis.pttl(s.lockKey);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(600);
    await held!.release();
    // A lock set by a holder that died (nobody renews it) is gone after its lease.
    await redis.set(s.lockKey, 'a-dead-replica', 'PX', 300, 'NX');
    expect(await s.lock()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600));
    const mine = await s.lock();
    expect(mine).toBeDefined();
    await mine!.release();
  });

  it('compare-and-replace: replaces only what is still there', async () => {
    const s = store('104');
    expect(await s.compareAndReplace(undefined, token('first'))).toBe(true);
    expect(await s.compareAndReplace(undefined, token('second'))).toBe(false);
    expect(await s.compareAndReplace('stale', token('second'))).toBe(false);
    expect((await s.get())?.value).toBe('first');
    expect(await s.compareAndReplace('first', token('second'))).toBe(true);
    expect((await s.get())?.value).toBe('second');
    // From another connection (another replica) too, and the loser of a race learns it lost.
    const t = store('104', other);
    const results = await Promise.all([
      s.compareAndReplace('second', token('third-a')),
      t.compareAndReplace('second', token('third-b')),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(['third-a', 'third-b']).toContain((await s.get())?.value);
    // Something unreadable there (another key's, say) counts as nothing usable: replaceable as such.
    await redis.set(s.tokenKey, 'v1.0000.garbage.garbage.garbage');
    expect(await s.get()).toBeUndefined();
    expect(await s.compareAndReplace(undefined, token('fourth'))).toBe(true);
    expect((await s.get())?.value).toBe('fourth');
  });
});

describe('a replica that finds the lock taken', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.close());
  const mints = () =>
    sandbox.requests.list().filter((e) => e.method === 'POST' && e.path === '/v1/accessTokens');

  it('waits for the token to appear instead of minting one', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, accountId: 200_001 });
    const log = capturedLogger();
    const sharing = await openRedisSharing({
      url: REDIS_URL,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      tokenKey: key,
      prefix,
    });
    const client = clientFor(sandbox, {}, { tokenStore: sharing.tokenStore, logger: log.logger });
    // Another replica holds the lock: it is minting.
    await redis.set(sharing.tokenStore.lockKey, 'another-replica', 'PX', 30_000);
    const call = client.listings.get(40160);
    await new Promise((r) => setTimeout(r, 500));
    expect(mints()).toHaveLength(0);
    // ...and stores its token.
    const theirs = await mintToken(sandbox);
    await sharing.tokenStore.set(token(theirs));
    await redis.del(sharing.tokenStore.lockKey);
    expect((await call).id).toBe(40160);
    expect(mints()).toHaveLength(1);
    expect((await client.status()).token).toMatchObject({ source: 'shared', mints: 0 });
    const events = log
      .parsed()
      .filter((l) => l.audit === 'auth')
      .map((l) => l.event);
    expect(events).toEqual(['token_wait_shared', 'token_loaded']);
    await client.close();
    await sharing.close();
  });

  it('mints itself when the holder is gone and its lock has run out', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, accountId: 200_002 });
    const sharing = await openRedisSharing({
      url: REDIS_URL,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      tokenKey: key,
      prefix,
    });
    const client = clientFor(sandbox, {}, { tokenStore: sharing.tokenStore });
    await redis.set(sharing.tokenStore.lockKey, 'a-dead-replica', 'PX', 800);
    const started = Date.now();
    expect((await client.listings.get(40160)).id).toBe(40160);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(mints()).toHaveLength(1);
    expect((await client.status()).token).toMatchObject({ source: 'minted', mints: 1 });
    expect((await sharing.tokenStore.get())?.value).toBeDefined();
    await client.close();
    await sharing.close();
  });

  it('mints for itself alone when Redis stops answering, rather than failing the call', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, accountId: 200_003 });
    const log = capturedLogger();
    const sharing = await openRedisSharing({
      url: REDIS_URL,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      tokenKey: key,
      prefix,
    });
    const client = clientFor(sandbox, {}, { tokenStore: sharing.tokenStore, logger: log.logger });
    await sharing.close();
    expect((await client.listings.get(40160)).id).toBe(40160);
    expect(mints()).toHaveLength(1);
    expect(log.parsed().some((l) => l.event === 'token_store_unavailable')).toBe(true);
    await client.close();
  });

  it('Redis out of reach at start: the replica goes on alone and says so; no key: a clear error naming the setting', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, accountId: 200_003 });
    const log = capturedLogger('info');
    const alone = await openRedisSharing({
      url: 'redis://127.0.0.1:1',
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      tokenKey: key,
      prefix,
      logger: log.logger,
    });
    expect(
      log.parsed().some((l) => /out of reach at start/.test(String(l.msg)) && l.error === 'ECONNREFUSED'),
    ).toBe(true);
    const client = clientFor(
      sandbox,
      {},
      { tokenStore: alone.tokenStore, cacheBus: alone.cacheBus, logger: log.logger },
    );
    expect((await client.listings.get(40160)).id).toBe(40160);
    await client.close();
    await alone.close();
    await expect(
      openRedisSharing({ url: REDIS_URL, accountId: '1', apiKey: 'k', tokenKey: undefined, prefix }),
    ).rejects.toThrow(/HOSTAWAY_TOKEN_KEY/);
  });
});
