import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Listing, listEnvelope } from '../../src/hostaway/schemas.js';
import { parseFaultSpec } from '../../src/sandbox/faults.js';
import { expectFail, type Harness, json, parseList, startHarness } from '../helpers/sandbox.js';

describe('injected faults, over real sockets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  const reset = () => h.sandbox.faults.clear();

  it('latency delays the answer and then serves it', async () => {
    h.sandbox.faults.add({ kind: 'latency', ms: 300, path: '/v1/listings', times: 1 });
    const started = performance.now();
    const res = await h.api('/listings?limit=1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(200);
    reset();
  });

  it('status answers the given 5xx for `times` requests, then recovers', async () => {
    h.sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/reservations*', times: 2 });
    await expectFail(await h.api('/reservations?limit=1'), 503, /Injected fault/);
    await expectFail(await h.api('/reservations?limit=1'), 503);
    expect((await h.api('/reservations?limit=1')).status).toBe(200);
    expect((await h.api('/listings?limit=1')).status).toBe(200);
    reset();
  });

  it('rateLimit sends the documented 429, with or without Retry-After', async () => {
    h.sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 3, times: 1 });
    h.sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: null, times: 1 });
    const first = await h.api('/listings');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    const second = await h.api('/listings');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
    reset();
  });

  it('reset drops the connection with no answer, and the log records status 0', async () => {
    h.sandbox.faults.add({ kind: 'reset', method: 'GET', path: '/v1/listings/*', times: 1 });
    const since = h.sandbox.requests.lastSeq;
    await expect(h.api('/listings/40160')).rejects.toThrow();
    const [entry] = h.sandbox.requests.list(since);
    expect(entry).toMatchObject({ path: '/v1/listings/40160', status: 0, fault: 'reset' });
    expect((await h.api('/listings/40160')).status).toBe(200);
    reset();
  });

  it('malformed answers 200 with a body that is not JSON', async () => {
    h.sandbox.faults.add({ kind: 'malformed', times: 1 });
    const res = await h.api('/listings');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    reset();
  });

  it('truncated promises a length, sends half and hangs up', async () => {
    h.sandbox.faults.add({ kind: 'truncated', path: '/v1/listings', times: 1 });
    const res = await h.api('/listings');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
    await expect(res.text()).rejects.toThrow();
    reset();
  });

  it('slowBody trickles a complete body over the given time', async () => {
    h.sandbox.faults.add({ kind: 'slowBody', ms: 400, path: '/v1/listings', times: 1 });
    const started = performance.now();
    const res = await h.api('/listings?limit=3');
    const body = parseList(Listing, await res.json());
    expect(body.result).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    reset();
  });

  it('badShape answers valid JSON of the wrong shape, which schema validation catches by field', async () => {
    h.sandbox.faults.add({ kind: 'badShape', times: 1 });
    const parsed = listEnvelope(Listing).safeParse(await (await h.api('/listings')).json());
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['result.0.id', 'count']),
    );
    reset();
  });

  it('fires with the given probability, repeatably for a seed, and only on matching method and path', async () => {
    h.sandbox.faults.add({
      kind: 'status',
      status: 502,
      probability: 0.5,
      method: 'GET',
      path: '/v1/listings',
    });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await h.api('/listings?limit=1')).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    expect((await h.api('/listings/40160')).status).toBe(200);
    reset();
  });

  it('parses the command-line fault form and rejects nonsense', () => {
    expect(parseFaultSpec('kind=status,status=503,path=/v1/reservations*,times=3')).toMatchObject({
      kind: 'status',
      status: 503,
      path: '/v1/reservations*',
      times: 3,
      probability: 1,
    });
    expect(parseFaultSpec('kind=rateLimit,retryAfterSeconds=none').retryAfterSeconds).toBeNull();
    expect(() => parseFaultSpec('kind=explode')).toThrow();
    expect(() => parseFaultSpec('status')).toThrow(/key=value/);
    expect(() => h.sandbox.faults.add({ kind: 'status' })).toThrow(/needs "status"/);
  });

  it('faults given at start are armed from the first request', async () => {
    const armed = await startHarness({
      faults: [{ kind: 'status', status: 500, path: '/v1/listings', times: 1 }],
    });
    try {
      await expectFail(await armed.api('/listings'), 500);
    } finally {
      await armed.close();
    }
  });
});

describe('request log', () => {
  it('records every API request with method, path, query, status, account and duration', async () => {
    const h = await startHarness();
    try {
      const since = h.sandbox.requests.lastSeq;
      await h.api('/listings?limit=2');
      await h.api('/reservations/1');
      const entries = h.sandbox.requests.list(since);
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        method: 'GET',
        path: '/v1/listings',
        query: '?limit=2',
        status: 200,
        accountId: 12345,
        ip: '127.0.0.1',
      });
      expect(entries[1]).toMatchObject({ path: '/v1/reservations/1', status: 404 });
      expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0);
      expect(h.sandbox.requests.list()[0]).toMatchObject({
        path: '/v1/accessTokens',
        method: 'POST',
        status: 200,
      });
    } finally {
      await h.close();
    }
  });
});

describe('admin API (/_sandbox)', () => {
  it('is off unless enabled', async () => {
    const h = await startHarness();
    try {
      expect((await fetch(`${h.sandbox.origin}/_sandbox/info`)).status).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('manages faults, the request log, tokens, the clock and resets', async () => {
    const h = await startHarness({ admin: true });
    const admin = (path: string, init?: RequestInit) => fetch(`${h.sandbox.origin}/_sandbox${path}`, init);
    const read = async <T>(path: string, init?: RequestInit) => (await (await admin(path, init)).json()) as T;
    type Info = { now: string; counts: { listings: number } };
    type Log = { lastSeq: number; requests: Array<{ status: number }> };
    try {
      const info = await read<Info>('/info');
      expect(info).toMatchObject({ accountId: 12345, seed: 42, counts: { listings: 25 } });

      const added = await admin('/faults', {
        method: 'POST',
        ...json({ kind: 'status', status: 504, times: 1 }),
      });
      expect(added.status).toBe(201);
      await expectFail(await h.api('/listings'), 504);
      expect((await read<{ faults: unknown[] }>('/faults')).faults[0]).toMatchObject({
        kind: 'status',
        fired: 1,
      });
      expect((await admin('/faults', { method: 'POST', ...json({ kind: 'nope' }) })).status).toBe(400);
      await admin('/faults', { method: 'DELETE' });

      const log = await read<Log>('/requests');
      expect(log.requests.some((e) => e.status === 504)).toBe(true);
      const since = log.lastSeq;
      await h.api('/listings?limit=1');
      expect((await read<Log>(`/requests?since=${since}`)).requests).toHaveLength(1);

      await admin('/tokens/revoke', { method: 'POST' });
      await expectFail(await h.api('/listings'), 403, /revoked/);

      const before = (await read<Info>('/info')).now;
      const moved = await read<Info>('/clock', { method: 'POST', ...json({ advanceMs: 86_400_000 }) });
      expect(Date.parse(moved.now) - Date.parse(before)).toBeGreaterThanOrEqual(86_400_000);
      expect((await admin('/clock', { method: 'POST', ...json({ advanceMs: -1 }) })).status).toBe(400);
    } finally {
      await h.close();
    }
  });

  it('reset discards every write', async () => {
    const h = await startHarness({ admin: true });
    try {
      const put = await h.api('/listings/40160/calendar', {
        method: 'PUT',
        ...json({ startDate: '2027-05-05', endDate: '2027-05-05', price: 1 }),
      });
      expect(put.status).toBe(200);
      await fetch(`${h.sandbox.origin}/_sandbox/reset`, { method: 'POST' });
      const day = (
        await h.get<{ result: Array<{ price: number }> }>(
          '/listings/40160/calendar?startDate=2027-05-05&endDate=2027-05-05',
        )
      ).result[0];
      expect(day?.price).not.toBe(1);
    } finally {
      await h.close();
    }
  });
});
