import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostawayClient } from '../../src/client/client.js';
import { HostawayError } from '../../src/client/errors.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(HostawayError);
      return e as HostawayError;
    },
  );

describe('client resilience: retries, faults and timeouts against the sandbox', () => {
  let sandbox: Sandbox;
  let client: HostawayClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.faults.clear();
    await client?.close();
    client = clientFor(sandbox, {
      cache: { enabled: false },
      timeouts: { connectMs: 1_000, readMs: 400, writeMs: 500 },
    });
    await client.listings.list({ limit: 1 }); // token minted, connection warm
  });
  const calls = (path: string, since: number) => sandbox.requests.list(since).filter((e) => e.path === path);

  it('survives a 429 storm, honouring Retry-After', async () => {
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 1, path: '/v1/reservations/*', times: 2 });
    const since = sandbox.requests.lastSeq;
    const started = performance.now();
    const r = await client.reservations.get(1_000_001);
    expect(r.id).toBe(1_000_001);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(calls('/v1/reservations/1000001', since).map((e) => e.status)).toEqual([429, 429, 200]);
    expect(client.stats.rateLimited).toBe(2);
  });

  it('survives a burst of 502/503/504, with backoff', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/listings/*', times: 1 });
    sandbox.faults.add({ kind: 'status', status: 502, path: '/v1/listings/*', times: 1 });
    sandbox.faults.add({ kind: 'status', status: 504, path: '/v1/listings/*', times: 1 });
    const since = sandbox.requests.lastSeq;
    expect((await client.listings.get(40161)).id).toBe(40161);
    expect(calls('/v1/listings/40161', since).map((e) => e.status)).toEqual([503, 502, 504, 200]);
    expect(client.stats.retries).toBe(3);
  });

  it('gives up after the retry budget with an upstream error that says to try later', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/listings/*' });
    const err = await failure(client.listings.get(40162));
    expect(err.kind).toBe('upstream');
    expect(err.message).toMatch(/Hostaway is having trouble \(HTTP 503\).*try again in a minute/);
    expect(calls('/v1/listings/40162', 0)).toHaveLength(4);
  });

  it('does not retry a 500 or a 4xx: repeating would not help', async () => {
    sandbox.faults.add({ kind: 'status', status: 500, path: '/v1/listings/*', times: 1 });
    const since = sandbox.requests.lastSeq;
    expect((await failure(client.listings.get(40163))).kind).toBe('upstream');
    const notFound = await failure(client.reservations.get(42));
    expect(notFound.kind).toBe('not_found');
    expect(notFound.message).toMatch(/Reservation 42 was not found/);
    const invalid = await failure(client.reservations.list({ sortOrder: 'price' }));
    expect(invalid.kind).toBe('invalid_request');
    expect(invalid.message).toMatch(/sortOrder must be one of/);
    expect(sandbox.requests.list(since)).toHaveLength(3);
  });

  it('retries reads across connection resets, truncated and malformed bodies', async () => {
    sandbox.faults.add({ kind: 'reset', path: '/v1/reservations', times: 1 });
    sandbox.faults.add({ kind: 'truncated', path: '/v1/reservations', times: 1 });
    sandbox.faults.add({ kind: 'malformed', path: '/v1/reservations', times: 1 });
    const since = sandbox.requests.lastSeq;
    const page = await client.reservations.list({ limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(calls('/v1/reservations', since).map((e) => e.fault)).toEqual([
      'reset',
      'truncated',
      'malformed',
      null,
    ]);
  });

  it('never repeats a message send that may have reached Hostaway', async () => {
    sandbox.faults.add({
      kind: 'status',
      status: 503,
      method: 'POST',
      path: '/v1/conversations/*/messages',
      times: 1,
    });
    const since = sandbox.requests.lastSeq;
    expect((await failure(client.conversations.send(200001, { body: 'Hello' }))).kind).toBe('upstream');
    sandbox.faults.add({ kind: 'reset', method: 'POST', path: '/v1/conversations/*/messages', times: 1 });
    expect((await failure(client.conversations.send(200001, { body: 'Hello again' }))).kind).toBe('timeout');
    expect(calls('/v1/conversations/200001/messages', since)).toHaveLength(2);
    // A 429 means Hostaway refused it unprocessed: that one is safe to send again.
    sandbox.faults.add({
      kind: 'rateLimit',
      retryAfterSeconds: 0,
      method: 'POST',
      path: '/v1/conversations/*/messages',
      times: 1,
    });
    const sent = await client.conversations.send(200001, { body: 'Third time' });
    expect(sent.body).toBe('Third time');
    expect(calls('/v1/conversations/200001/messages', since).map((e) => e.status)).toEqual([
      503, 0, 429, 200,
    ]);
  });

  it('a slow answer times out with a message that says how long it waited', async () => {
    const strict = clientFor(sandbox, {
      cache: { enabled: false },
      retries: { max: 0 },
      timeouts: { connectMs: 500, readMs: 1_000, writeMs: 500 },
    });
    await strict.listings.list({ limit: 1 });
    sandbox.faults.add({ kind: 'latency', ms: 4_000, path: '/v1/listings/*', times: 1 });
    const started = performance.now();
    const err = await failure(strict.listings.get(40164));
    // A timeout, not the answer 4 s later; the read timer (1 s) was waited out, not cut short. How
    // soon after it the error comes is a speed figure: `npm run bench -- waits` reports it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/did not (send its whole answer|complete the request) within (1|2) s/);
    await strict.close();
  });

  it('an answer of the wrong shape is an error naming the field, not a crash', async () => {
    sandbox.faults.add({ kind: 'badShape', path: '/v1/listings', times: 1 });
    const err = await failure(client.listings.list());
    expect(err.kind).toBe('upstream');
    expect(err.message).toMatch(/did not have the documented shape \(result\.0\.id: .*\)/);
  });

  it('an unreachable Hostaway gives a clear error at once', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const offline = new HostawayClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      accountId: '1',
      apiKey: 'x',
      retries: { max: 1, delaysMs: [10] },
    });
    const err = await failure(offline.listings.list());
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      'Could not reach Hostaway (ECONNREFUSED). Check the network or HOSTAWAY_BASE_URL, then try again.',
    );
    expect(err.message).not.toContain(String(port));
    await offline.close();
  });

  it('a caller that gives up mid-retry stops the retries', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/listings/*' });
    const patient = clientFor(sandbox, { cache: { enabled: false }, retries: { max: 5, delaysMs: [300] } });
    await patient.listings.list({ limit: 1 });
    const since = sandbox.requests.lastSeq;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(patient.listings.get(40165, controller.signal));
    expect(err.kind).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect(calls('/v1/listings/40165', since)).toHaveLength(1);
    await patient.close();
  });
});
