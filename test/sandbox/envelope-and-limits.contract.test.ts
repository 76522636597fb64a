import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailBody } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, mintToken, startHarness } from '../helpers/sandbox.js';

/** GET over a chosen loopback source address, to stand for several client IPs on one machine. */
function getFrom(
  localAddress: string,
  url: string,
  token: string,
): Promise<{ status: number; body: string; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          retryAfter: res.headers['retry-after'] as string | undefined,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('standard response envelope (index page, "Standard Response")', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists carry status, result, count, limit, offset, page and totalPages', async () => {
    const body = await h.get<Record<string, unknown>>('/listings?limit=10&offset=20');
    expect(body).toMatchObject({
      status: 'success',
      count: 25,
      limit: 10,
      offset: 20,
      page: 3,
      totalPages: 3,
    });
    expect((body.result as unknown[]).length).toBe(5);
  });

  it('a failure is status "fail" with the message in result; never a 500', async () => {
    const res = await h.api('/reservations?arrivalStartDate=tomorrow');
    const message = await expectFail(res, 400, /arrivalStartDate must be a date as YYYY-MM-DD/);
    expect(message).toContain('tomorrow');
  });

  it('unknown endpoints and methods get 404 with a fail body', async () => {
    await expectFail(await h.api('/financialReports'), 404, /No such endpoint/);
    await expectFail(await h.api('/reservations/1000001/guest'), 404);
    await expectFail(await h.api('/listings', { method: 'DELETE' }), 404);
  });
});

describe('rate limits (index page, "Rate limits")', () => {
  it('sends the documented 429 body with Retry-After once 15 requests from one IP fall in a window', async () => {
    const h = await startHarness({
      rateLimits: { perIp: { limit: 15, windowMs: 2000 }, perAccount: { limit: 20, windowMs: 2000 } },
    });
    try {
      // The token request counted too.
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await h.api('/listings?limit=1')).status);
      expect(statuses.slice(0, 14).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(14)).toEqual([429, 429]);
      const res = await h.api('/listings?limit=1');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = FailBody.parse(await res.json());
      expect(body.message).toMatch(/exceeded the rate limits/);
      // Rejected requests do not count: once the window passes, requests go through again.
      await new Promise((r) => setTimeout(r, 2100));
      expect((await h.api('/listings?limit=1')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('counts the account across IPs: 20 per window whatever the source address', async () => {
    const h = await startHarness({
      rateLimits: { perIp: { limit: 15, windowMs: 5000 }, perAccount: { limit: 20, windowMs: 5000 } },
    });
    try {
      const url = `${h.sandbox.url}/listings?limit=1`;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await getFrom('127.0.0.2', url, h.token)).status);
      for (let i = 0; i < 10; i++) statuses.push((await getFrom('127.0.0.3', url, h.token)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.slice(20)).toEqual([429, 429]);
      const log = h.sandbox.requests.list().filter((e) => e.status === 429);
      expect(log).toHaveLength(2);
      expect(log.every((e) => e.ip === '127.0.0.3')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('is on by default with 15 per IP and 20 per account per 10 s', async () => {
    const h = await startHarness({ rateLimits: undefined });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 15 }, () => h.api('/listings?limit=1').then((r) => r.status)),
      );
      // 1 token request + 14 calls fit; the 15th call is the 16th request from this IP.
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('can be switched off', async () => {
    const h = await startHarness({ rateLimits: false });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 60 }, () => h.api('/listings?limit=1').then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(await mintToken(h.sandbox)).toBeTruthy();
    } finally {
      await h.close();
    }
  });
});
