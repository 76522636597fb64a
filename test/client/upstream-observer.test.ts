import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointTemplate, type HostawayClient, type UpstreamEvent } from '../../src/client/client.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('endpointTemplate', () => {
  it.each([
    ['accessTokens', 'accessTokens'],
    ['/accessTokens', 'accessTokens'],
    ['listings', 'listings'],
    ['listings/40160', 'listings/{id}'],
    ['listings/40160/calendar', 'listings/{id}/calendar'],
    ['/listings/40160/calendarIntervals/', 'listings/{id}/calendarIntervals'],
    ['conversations/7/messages/123456', 'conversations/{id}/messages/{id}'],
    ['reservations?limit=1&afterId=99', 'reservations'],
    ['reservations/1000001?includeResources=1', 'reservations/{id}'],
    ['finance/report/listingFinancials', 'finance/report/listingFinancials'],
    ['tasks/2026-11-25', 'tasks/{id}'],
    ['guests/a1b2c3', 'guests/{id}'],
    ['', ''],
  ])('%s -> %s', (path, expected) => {
    expect(endpointTemplate(path)).toBe(expected);
  });
});

describe('the client upstream observer', () => {
  let sandbox: Sandbox;
  let client: HostawayClient | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.faults.clear();
    await client?.close();
    client = undefined;
  });

  it('sees each upstream answer once, the token request included, with the templated endpoint', async () => {
    const events: UpstreamEvent[] = [];
    client = clientFor(sandbox, {}, { onUpstream: (e) => events.push(e) });
    const since = sandbox.requests.lastSeq;
    await client.listings.get(40160);
    await client.listings.get(40160); // from the cache: no upstream request
    await client.calendar.get(40160, { startDate: '2026-12-01', endDate: '2026-12-02' });
    const log = sandbox.requests.list(since);
    expect(events.map((e) => [e.method, e.endpoint, e.status])).toEqual([
      ['POST', 'accessTokens', 200],
      ['GET', 'listings/{id}', 200],
      ['GET', 'listings/{id}/calendar', 200],
    ]);
    expect(log.map((e) => e.status)).toEqual(events.map((e) => e.status));
    expect(events.length).toBe(client.stats.upstreamRequests);
    for (const e of events) expect(e.ms).toBeGreaterThan(0);
  });

  it('reports the 429 and the retry as two answers, and status 0 for a reset connection', async () => {
    const events: UpstreamEvent[] = [];
    client = clientFor(sandbox, { cache: { enabled: false } }, { onUpstream: (e) => events.push(e) });
    await client.listings.list({ limit: 1 });
    events.length = 0;
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 0, path: '/v1/reservations/*', times: 1 });
    sandbox.faults.add({ kind: 'reset', path: '/v1/listings', times: 1 });
    await client.reservations.get(1_000_001);
    await client.listings.list({ limit: 1 });
    expect(events.map((e) => [e.endpoint, e.status])).toEqual([
      ['reservations/{id}', 429],
      ['reservations/{id}', 200],
      ['listings', 0],
      ['listings', 200],
    ]);
  });

  it('a throwing observer breaks nothing, and one set later takes over', async () => {
    client = clientFor(
      sandbox,
      {},
      {
        onUpstream: () => {
          throw new Error('observer bug');
        },
      },
    );
    expect((await client.listings.get(40161)).id).toBe(40161);
    const later: string[] = [];
    client.setUpstreamObserver((e) => later.push(e.endpoint));
    await client.reservations.get(1_000_002);
    expect(later).toEqual(['reservations/{id}']);
    client.setUpstreamObserver(undefined);
    await client.reservations.get(1_000_003);
    expect(later).toEqual(['reservations/{id}']);
  });
});
