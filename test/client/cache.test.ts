import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('client read cache and coalescing', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
  });
  afterAll(() => sandbox.close());
  const upstream = (path: string, since: number) =>
    sandbox.requests.list(since).filter((e) => e.path === path).length;

  it('100 identical concurrent reads make 1 upstream request', async () => {
    const client = clientFor(sandbox);
    await client.listings.get(40160); // token
    client.clearCache();
    const since = sandbox.requests.lastSeq;
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        client.reservations.list({ arrivalStartDate: '2026-11-25', arrivalEndDate: '2026-11-30' }),
      ),
    );
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(upstream('/v1/reservations', since)).toBe(1);
    expect(client.stats.coalesced).toBe(99);
    await client.close();
  });

  it('coalesces even with the cache off, but then does not keep the answer', async () => {
    const client = clientFor(sandbox, { cache: { enabled: false } });
    await client.listings.get(40160);
    const since = sandbox.requests.lastSeq;
    await Promise.all(Array.from({ length: 20 }, () => client.listings.get(40161)));
    expect(upstream('/v1/listings/40161', since)).toBe(1);
    await client.listings.get(40161);
    expect(upstream('/v1/listings/40161', since)).toBe(2);
    await client.close();
  });

  it('serves repeated reads from the cache within the TTL, and asks again after it', async () => {
    const client = clientFor(sandbox, { cache: { ttlMs: { listings: 300 } } });
    const since = sandbox.requests.lastSeq;
    for (let i = 0; i < 10; i++) await client.listings.get(40162);
    expect(upstream('/v1/listings/40162', since)).toBe(1);
    expect(client.stats.cacheHits).toBe(9);
    await new Promise((r) => setTimeout(r, 350));
    await client.listings.get(40162);
    expect(upstream('/v1/listings/40162', since)).toBe(2);
    await client.close();
  });

  it('writes invalidate what they touch', async () => {
    const client = clientFor(sandbox);
    const range = { startDate: '2027-02-01', endDate: '2027-02-03' };
    const before = await client.calendar.get(40163, range);
    await client.calendar.get(40163, range);
    const since = sandbox.requests.lastSeq;
    await client.calendar.update(40163, { ...range, price: 777 });
    const after = await client.calendar.get(40163, range);
    expect(after.map((d) => d.price)).toEqual([777, 777, 777]);
    expect(before.map((d) => d.price)).not.toEqual([777, 777, 777]);
    expect(upstream('/v1/listings/40163/calendar', since)).toBe(2);

    const conv = (await client.conversations.list({ limit: 1 })).items[0]!;
    const thread = await client.conversations.messages(conv.id);
    const sent = await client.conversations.send(conv.id, { body: 'We have left the keys in the lockbox.' });
    const fresh = await client.conversations.messages(conv.id);
    expect(fresh.items[0]?.id).toBe(sent.id);
    expect(fresh.items.length).toBe(thread.items.length + 1);
    await client.close();
  });

  it('one caller giving up does not cancel the read for the others; all giving up cancels it', async () => {
    sandbox.faults.add({ kind: 'latency', ms: 300, path: '/v1/reviews', times: 2 });
    const client = clientFor(sandbox);
    await client.listings.get(40160);
    const quitter = new AbortController();
    const stayer = client.reviews.list({ limit: 3 });
    const leaving = client.reviews.list({ limit: 3 }, quitter.signal).catch((e: { kind: string }) => e.kind);
    setTimeout(() => quitter.abort(), 50);
    expect(await leaving).toBe('cancelled');
    expect((await stayer).items).toHaveLength(3);

    const since = sandbox.requests.lastSeq;
    const all = [new AbortController(), new AbortController()];
    const reads = all.map((c) =>
      client.reviews.list({ limit: 4 }, c.signal).catch((e: { kind: string }) => e.kind),
    );
    setTimeout(() => {
      for (const c of all) c.abort();
    }, 50);
    expect(await Promise.all(reads)).toEqual(['cancelled', 'cancelled']);
    await new Promise((r) => setTimeout(r, 400));
    // Cancelled for everyone, so nothing was cached: the next read goes upstream again.
    const again = sandbox.requests.lastSeq;
    await client.reviews.list({ limit: 4 });
    expect(upstream('/v1/reviews', again)).toBe(1);
    expect(since).toBeLessThan(again);
    sandbox.faults.clear();
    await client.close();
  });
});
