import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { REQUESTS_PER_LOOK } from '../../src/server/changes/poller.js';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { liveRuntime, until } from '../helpers/live.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const WINDOW_MS = 1_000;
const LOGIN = 'hostaway';
const PASSWORD = 'a-long-webhook-password-for-tests';

let sandbox: Sandbox;
let hooked: Runtime;
let polling: Runtime;
let http: HttpServerHandle;

const live = (env: Record<string, string>) =>
  liveRuntime(sandbox, {
    HOSTAWAY_RATE_LIMIT_PER_IP: '15',
    HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
    HOSTAWAY_RATE_WINDOW_MS: String(WINDOW_MS),
    ...env,
  });

beforeAll(async () => {
  sandbox = await startSandbox({
    now: TEST_NOW,
    admin: true,
    rateLimits: { perIp: { limit: 15, windowMs: WINDOW_MS }, perAccount: { limit: 20, windowMs: WINDOW_MS } },
    webhooks: { timeScale: 0.001 },
  });
  hooked = await live({
    HOSTAWAY_WEBHOOK_LOGIN: LOGIN,
    HOSTAWAY_WEBHOOK_PASSWORD: PASSWORD,
    HOSTAWAY_POLL_SECONDS: '0',
  });
  http = await startHttpServer(hooked);
  await hooked.client.webhooks.create({
    url: http.url.replace(/\/mcp$/, '/webhooks/hostaway'),
    login: LOGIN,
    password: PASSWORD,
    isEnabled: 1,
  });
  // Asks for a look every second; its share (10 % of 15 per window) allows one every 1.34 s.
  polling = await live({ HOSTAWAY_POLL_SECONDS: '1' });
});
afterAll(async () => {
  await http.close();
  await hooked.close();
  await polling.close();
  await sandbox.close();
});

const account = () => String(sandbox.accountId);
async function changes(runtime: Runtime) {
  return (await runtime.writeStore()).changesSince({ account: account(), afterSeq: 0, limit: 1_000 });
}
async function activity(body: Record<string, number>) {
  const res = await fetch(`${sandbox.origin}/_sandbox/activity`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { bookings: number[]; cancellations: number[]; guestMessages: unknown[] };
}

describe('the polling fallback', () => {
  it('keeps within its share: the interval asked for is raised to what the share allows', () => {
    const poller = polling.changes.startPolling();
    expect(poller?.status().everyMs).toBe(Math.ceil((REQUESTS_PER_LOOK / (0.1 * 15)) * WINDOW_MS));
    expect(polling.changes.watching()).toMatchObject({ webhooks: false, pollEveryMs: 1_334 });
    expect(hooked.changes.watching()).toMatchObject({ webhooks: true, pollEveryMs: null });
  });

  it('finds the bookings and guest messages the webhooks brought, under the same keys, within its interval', async () => {
    const poller = polling.changes.startPolling();
    if (!poller) throw new Error('no poller');
    const done = await activity({ bookings: 3, guestMessages: 3 });
    expect(done.bookings).toHaveLength(3);
    expect(done.guestMessages).toHaveLength(3);
    const looksBefore = poller.status().looks;
    const viaWebhook = await until('six changes by webhook', async () => {
      const all = await changes(hooked);
      return all.length >= 6 ? all : undefined;
    });
    const viaPoll = await until('six changes by polling', async () => {
      const all = await changes(polling);
      return all.length >= 6 ? all : undefined;
    });
    // The look under way when the activity came may have missed it; the next one did not.
    expect(poller.status().looks - looksBefore).toBeLessThanOrEqual(2);
    const facts = (all: typeof viaPoll) => all.map((c) => `${c.kind} ${c.key}`).sort();
    expect(facts(viaPoll)).toEqual(facts(viaWebhook));
    expect(viaPoll.every((c) => c.source === 'poll')).toBe(true);
    expect(viaWebhook.every((c) => c.source === 'webhook')).toBe(true);
  });

  it('ends on the same state after a cancellation', async () => {
    const poller = polling.changes.startPolling();
    if (!poller) throw new Error('no poller');
    sandbox.advanceClock(60_000);
    const done = await activity({ cancellations: 1 });
    const [cancelled] = done.cancellations;
    if (cancelled === undefined) throw new Error('nothing was cancelled');
    const last = async (runtime: Runtime) =>
      (await changes(runtime)).filter((c) => c.reservationId === cancelled).at(-1);
    const byWebhook = await until('the cancellation by webhook', async () => {
      const c = await last(hooked);
      return c?.current?.status === 'cancelled' ? c : undefined;
    });
    const byPoll = await until('the cancellation by polling', async () => {
      const c = await last(polling);
      return c?.current?.status === 'cancelled' ? c : undefined;
    });
    expect(byPoll.kind).toBe(byWebhook.kind);
    expect(byPoll.key).toBe(byWebhook.key);
  });

  it('never trips the limits: no 429, and never more than one look in a window', async () => {
    const poller = polling.changes.startPolling();
    if (!poller) throw new Error('no poller');
    // A few more looks, for the count below to mean something.
    const from = poller.status().looks;
    await until('three more looks', async () => (poller.status().looks >= from + 3 ? true : undefined));
    const log = sandbox.requests.list();
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    const looks = log.filter(
      (e) =>
        (e.path === '/v1/reservations' && e.query.includes('latestActivityStart')) ||
        (e.path === '/v1/conversations' && e.query.includes('includeResources')),
    );
    expect(looks.length).toBeGreaterThanOrEqual(2 * 4);
    let most = 0;
    for (const e of looks)
      most = Math.max(most, looks.filter((o) => o.at >= e.at && o.at < e.at + WINDOW_MS).length);
    expect(most).toBeLessThanOrEqual(REQUESTS_PER_LOOK);
  });
});
