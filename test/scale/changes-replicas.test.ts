/**
 * Two replicas sharing Redis and one PostgreSQL store; Hostaway's webhook reaches one of them (as a
 * load balancer would send it). The other drops the cached reads the change touched (cache bus), lists
 * the change in its feed (the shared store), and tells its own MCP subscribers (change notices over
 * Redis): a client does not need to be on the replica that received the delivery.
 */
import { randomBytes } from 'node:crypto';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { NO_LIMITS } from '../helpers/client.js';
import { liveRuntime, until } from '../helpers/live.js';
import { sparePort, startRedisServer, stopRedisServer } from '../helpers/redis.js';
import { mintToken, TEST_NOW } from '../helpers/sandbox.js';
import { freshStoreSpec } from '../helpers/stores.js';

const LOGIN = 'hostaway';
const PASSWORD = 'a-long-webhook-password-for-tests';
const tokenKey = randomBytes(32).toString('hex');

let sandbox: Sandbox;
let redisPort: number;
let store: ReturnType<typeof freshStoreSpec>;
let receiving: Runtime;
let other: Runtime;
let http: HttpServerHandle;

const replica = () =>
  liveRuntime(
    sandbox,
    {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      HOSTAWAY_TOKEN_KEY: tokenKey,
      HOSTAWAY_WEBHOOK_LOGIN: LOGIN,
      HOSTAWAY_WEBHOOK_PASSWORD: PASSWORD,
    },
    { client: { limits: NO_LIMITS }, writeStore: store.spec },
  );

beforeAll(async () => {
  sandbox = await startSandbox({
    now: TEST_NOW,
    rateLimits: false,
    admin: true,
    webhooks: { timeScale: 0.001 },
  });
  redisPort = await sparePort();
  await startRedisServer(redisPort);
  store = freshStoreSpec('postgres');
  receiving = await replica();
  other = await replica();
  http = await startHttpServer(receiving);
  await receiving.client.webhooks.create({
    url: http.url.replace(/\/mcp$/, '/webhooks/hostaway'),
    login: LOGIN,
    password: PASSWORD,
    isEnabled: 1,
  });
}, 60_000);
afterAll(async () => {
  await http?.close();
  await receiving?.close();
  await other?.close();
  if (redisPort) stopRedisServer(redisPort);
  await sandbox?.close();
  await store?.cleanup();
});

describe('a webhook received by one replica', () => {
  it('reaches the cache, the feed and the subscribers of another', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = buildServer(other, { notifies: true });
    await server.connect(serverSide);
    const client = new Client({ name: 'on-the-other-replica', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      const heard: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        heard.push(n.params.uri);
      });
      await client.subscribeResource({ uri: 'hostaway://changes' });
      const range = { arrivalFrom: '2029-06-01', arrivalTo: '2029-06-30', statuses: ['all'] };
      const listed = () =>
        sandbox.requests.list().filter((e) => e.method === 'GET' && e.path === '/v1/reservations').length;
      await client.callTool({ name: 'hostaway_search_reservations', arguments: range });
      const before = listed();
      await client.callTool({ name: 'hostaway_search_reservations', arguments: range });
      expect(listed()).toBe(before); // cached on this replica

      const token = await mintToken(sandbox);
      const res = await fetch(`${sandbox.url}/reservations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channelId: 2000,
          listingMapId: 40160,
          arrivalDate: '2029-06-10',
          departureDate: '2029-06-14',
          guestName: 'Eva Fors',
        }),
      });
      expect(res.status).toBe(200);
      const { id } = ((await res.json()) as { result: { id: number } }).result;

      await until('the notice on the other replica', () =>
        heard.includes('hostaway://changes') ? true : undefined,
      );
      const feed = await client.callTool({ name: 'hostaway_whats_new', arguments: {} });
      const lines = (feed.structuredContent as { changes: Array<{ kind: string; reservationId: number }> })
        .changes;
      expect(lines).toContainEqual(expect.objectContaining({ kind: 'booking', reservationId: id }));
      const after = await client.callTool({ name: 'hostaway_search_reservations', arguments: range });
      expect(JSON.stringify(after.structuredContent)).toContain(String(id));
      expect(listed()).toBe(before + 1); // the invalidation came over Redis: read again
      expect(other.changes.recorder.counts.recorded).toBe(0); // recorded by the receiving replica only
    } finally {
      await client.close();
      await server.close();
    }
  });
});
