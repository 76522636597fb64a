/**
 * Replicas sharing one Hostaway account through the Redis on this machine: three HostawayClients, each
 * with connections of its own (as three server processes would have), on one sandbox over real HTTP.
 * The sandbox's request log is the witness of what reached "Hostaway".
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { openToken } from '../../src/client/token-crypto.js';
import { credentialFingerprint } from '../../src/client/token-store.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { openRedisSharing, type RedisSharing } from '../../src/stores/redis-sharing.js';
import { RedisTokenStore } from '../../src/stores/redis-token-store.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import {
  freshPrefix,
  type Gate,
  REDIS_URL,
  removeKeys,
  startGate,
  testRedis,
} from '../helpers/shared-redis.js';

const ACTIVATION_MS = 300;

/** `promise`, or a failure saying `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} (still waiting after ${ms} ms)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
const WAIT = { timeout: 10_000, interval: 20 };

describe('replicas sharing one account through Redis', () => {
  const prefix = freshPrefix();
  const key = randomBytes(32);
  let redis: Redis;
  let sandbox: Sandbox;
  let gate: Gate;
  const sharings: RedisSharing[] = [];
  const clients: HostawayClient[] = [];

  const mints = () =>
    sandbox.requests.list().filter((e) => e.method === 'POST' && e.path === '/v1/accessTokens');
  const calls = (path: string, since = 0) =>
    sandbox.requests.list(since).filter((e) => e.method === 'GET' && e.path === path);
  const aad = (apiKey: string) =>
    `hostaway-mcp access token v1\0${sandbox.accountId}\0${credentialFingerprint(String(sandbox.accountId), apiKey)}`;
  const tokenKey = () => `${prefix}:token:${sandbox.accountId}`;
  const works = async (token: string) =>
    (await fetch(`${sandbox.url}/listings?limit=1`, { headers: { authorization: `Bearer ${token}` } }))
      .status;

  /** One replica: its own connections, its own client (optionally through the gate). */
  async function replica(baseUrl?: string): Promise<HostawayClient> {
    const sharing = await openRedisSharing({
      url: REDIS_URL,
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      tokenKey: key,
      prefix,
    });
    sharings.push(sharing);
    const client = clientFor(
      sandbox,
      { token: { activationDelayMs: ACTIVATION_MS }, ...(baseUrl ? { baseUrl } : {}) },
      { tokenStore: sharing.tokenStore, cacheBus: sharing.cacheBus },
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    redis = testRedis();
    // A token works only ACTIVATION_MS after it is issued, as Hostaway's do after a second: the replica
    // that mints holds the lock that long, which leaves the others every chance to mint too if they could.
    sandbox = await startSandbox({
      now: TEST_NOW,
      rateLimits: false,
      tokenActivationDelayMs: ACTIVATION_MS,
      accountId: 100_000 + Math.floor(Math.random() * 800_000),
    });
    gate = await startGate(sandbox.origin);
    // Three replicas, each with its own connections; none has asked for a token yet.
    await Promise.all([replica(), replica(), replica()]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(sharings.map((s) => s.close()));
    await gate?.close();
    await sandbox?.close();
    await removeKeys(redis, prefix);
    expect(await redis.exists(tokenKey())).toBe(0);
    await redis.quit();
  });

  it('three replicas starting at once mint exactly one token, which they all use', async () => {
    const replicas = clients.slice(0, 3);
    const read = await Promise.all(
      replicas.flatMap((client, i) => [0, 1, 2].map((j) => client.listings.get(40160 + i * 3 + j))),
    );
    expect(read.map((l) => l.id)).toEqual(Array.from({ length: 9 }, (_, i) => 40160 + i));
    expect(mints()).toHaveLength(1);
    expect(sandbox.auth.tokensIssued).toBe(1);
    // Not one call was refused: every replica used a token that worked.
    expect(sandbox.requests.list().filter((e) => e.status === 403)).toEqual([]);
    const states = await Promise.all(replicas.map(async (r) => (await r.status()).token));
    expect(states.map((s) => s.mints).sort()).toEqual([0, 0, 1]);
    expect(states.map((s) => s.source).sort()).toEqual(['minted', 'shared', 'shared']);
  });

  it('the stored token is encrypted: not in plain text, and it opens only with the key and the credentials', async () => {
    const raw = (await redis.get(tokenKey())) as string;
    expect(raw).toMatch(/^v1\./);
    const opened = openToken(key, aad(sandbox.clientSecret), raw);
    expect(opened.ok).toBe(true);
    const token = JSON.parse(opened.ok ? opened.plaintext : '{}').accessToken as string;
    expect(await works(token)).toBe(200);
    // Neither the token nor any of its three parts is there to read.
    expect(raw).not.toContain(token);
    for (const part of token.split('.')) expect(raw).not.toContain(part);
    expect(Buffer.from(raw, 'latin1').includes(Buffer.from(token))).toBe(false);

    expect(openToken(randomBytes(32), aad(sandbox.clientSecret), raw)).toEqual({
      ok: false,
      reason: 'other_key',
    });
    expect(openToken(key, aad('another-secret-0000'), raw)).toEqual({ ok: false, reason: 'not_authentic' });
    // A store with another key, or for another API key, finds nothing usable there.
    const common = { redis, accountId: String(sandbox.accountId), prefix };
    expect(
      await new RedisTokenStore({ ...common, key: randomBytes(32), apiKey: sandbox.clientSecret }).get(),
    ).toBeUndefined();
    expect(
      await new RedisTokenStore({ ...common, key, apiKey: 'another-secret-0000' }).get(),
    ).toBeUndefined();
    expect((await new RedisTokenStore({ ...common, key, apiKey: sandbox.clientSecret }).get())?.value).toBe(
      token,
    );
    // It expires with the token (two years in the sandbox), not before.
    const pttl = await redis.pttl(tokenKey());
    expect(pttl).toBeGreaterThan(600 * 86_400_000);
    // No lock is left behind.
    expect(await redis.exists(`${tokenKey()}:lock`)).toBe(0);
  });

  it('after Hostaway revokes the token, exactly one replica mints its replacement and all use it', async () => {
    const before = mints().length;
    const since = sandbox.requests.lastSeq;
    sandbox.auth.revokeAll();
    const results = await Promise.all(
      clients.slice(0, 3).flatMap((client, i) => [0, 1].map((j) => client.listings.get(40170 + i * 2 + j))),
    );
    expect(results).toHaveLength(6);
    expect(mints().length - before).toBe(1);
    // Every replica met the rejection (the revoked token was each one's), and got past it.
    const refused = sandbox.requests.list(since).filter((e) => e.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    const raw = (await redis.get(tokenKey())) as string;
    const opened = openToken(key, aad(sandbox.clientSecret), raw);
    const fresh = JSON.parse(opened.ok ? opened.plaintext : '{}').accessToken as string;
    expect(await works(fresh)).toBe(200);
    const states = await Promise.all(clients.slice(0, 3).map(async (r) => (await r.status()).token));
    expect(states.map((s) => s.state)).toEqual(['valid', 'valid', 'valid']);
    expect(states.reduce((n, s) => n + s.mints, 0)).toBe(2);
  });

  describe('cache invalidation across replicas', () => {
    const range = { startDate: '2027-03-01', endDate: '2027-03-03' };
    let a: HostawayClient;
    let b: HostawayClient;
    let c: HostawayClient;
    beforeEach(() => {
      [a, b, c] = clients as [HostawayClient, HostawayClient, HostawayClient];
    });
    afterEach(() => {
      sandbox.faults.clear();
    });

    it("a write through A makes B's and C's next reads ask Hostaway, and they see the new data", async () => {
      const listing = 40161;
      const path = `/v1/listings/${listing}/calendar`;
      const old = await b.calendar.get(listing, range);
      await c.calendar.get(listing, range);
      const cached = sandbox.requests.lastSeq;
      // Cached on both: asking again reaches nobody.
      await b.calendar.get(listing, range);
      await c.calendar.get(listing, range);
      expect(calls(path, cached)).toHaveLength(0);
      expect(old.map((d) => d.price)).not.toContain(777);

      // A fourth process without the bus, as every replica was before: it keeps its stale copy.
      const loner = clientFor(sandbox, { token: { activationDelayMs: ACTIVATION_MS } });
      await loner.calendar.get(listing, range);

      const heardB = b.stats.remoteInvalidations;
      const heardC = c.stats.remoteInvalidations;
      await a.calendar.update(listing, { ...range, price: 777 });
      await vi.waitFor(() => {
        expect(b.stats.remoteInvalidations).toBe(heardB + 1);
        expect(c.stats.remoteInvalidations).toBe(heardC + 1);
      }, WAIT);
      // A does not hear its own message.
      expect(a.stats.remoteInvalidations).toBe(0);

      const since = sandbox.requests.lastSeq;
      expect((await b.calendar.get(listing, range)).map((d) => d.price)).toEqual([777, 777, 777]);
      expect((await c.calendar.get(listing, range)).map((d) => d.price)).toEqual([777, 777, 777]);
      expect(calls(path, since)).toHaveLength(2);
      // ...and cache it again.
      await b.calendar.get(listing, range);
      expect(calls(path, since)).toHaveLength(2);

      // The control: without the bus the stale read stays.
      expect((await loner.calendar.get(listing, range)).map((d) => d.price)).toEqual(old.map((d) => d.price));
      await loner.close();
    });

    it('an invalidation that arrives while a read is in flight: that read is not cached, nor joined', async () => {
      const listing = 40162;
      const path = `/v1/listings/${listing}/calendar`;
      const held = await replica(gate.url);
      const old = (await held.calendar.get(listing, range)).map((d) => d.price);
      expect(old).not.toContain(555);
      held.clearCache();

      // B's read reaches Hostaway before the write, and its answer is held until after the
      // invalidation has arrived.
      const hold = gate.holdNext((method, p) => method === 'GET' && p === path);
      const inFlight = held.calendar.get(listing, range);
      await hold.fetched;
      const heard = held.stats.remoteInvalidations;
      await a.calendar.update(listing, { ...range, price: 555 });
      await vi.waitFor(() => expect(held.stats.remoteInvalidations).toBe(heard + 1), WAIT);

      // A read that starts now must not join the read begun before the write.
      const since = sandbox.requests.lastSeq;
      // (Joined, it would wait for the held answer: give it a bound that only such a wait reaches.)
      const after = await within(held.calendar.get(listing, range), 8_000, 'the read joined the stale one');
      expect(after.map((d) => d.price)).toEqual([555, 555, 555]);
      expect(calls(path, since)).toHaveLength(1);

      hold.release();
      expect((await inFlight).map((d) => d.price)).toEqual(old);
      // The stale answer was not cached, and did not push out the fresh one.
      const next = sandbox.requests.lastSeq;
      const again = await held.calendar.get(listing, range);
      expect(again.map((d) => d.price)).toEqual([555, 555, 555]);
      expect(calls(path, next)).toHaveLength(0);
    });

    it('identical reads on one replica still share one request', async () => {
      const listing = 40163;
      const path = `/v1/listings/${listing}/calendar`;
      const since = sandbox.requests.lastSeq;
      const coalesced = b.stats.coalesced;
      const all = await Promise.all(Array.from({ length: 10 }, () => b.calendar.get(listing, range)));
      expect(new Set(all.map((d) => JSON.stringify(d))).size).toBe(1);
      expect(calls(path, since)).toHaveLength(1);
      expect(b.stats.coalesced - coalesced).toBe(9);
    });

    it('invalidation messages are small and carry no data', async () => {
      const sub = testRedis();
      const channel = sharings[0]!.cacheBus.channel;
      const messages: string[] = [];
      sub.on('message', (_ch: string, m: string) => messages.push(m));
      await sub.subscribe(channel);
      await a.tasks.create({ title: 'Check the smoke alarm', listingMapId: 40160 });
      await vi.waitFor(() => expect(messages).toHaveLength(1), WAIT);
      expect(JSON.parse(messages[0]!)).toEqual({ v: 1, s: expect.any(String), ns: ['tasks'] });
      expect(messages[0]!.length).toBeLessThan(100);
      await sub.quit();
    });
  });
});
