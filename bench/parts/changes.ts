/**
 * 15. Account changes: how soon a booking made in Hostaway is visible through the server (webhook
 * delivery to the change recorded and announced, and to the answer of hostaway_whats_new), and what
 * an hour of account activity costs in upstream requests when it is found by polling instead, in the
 * sandbox's time: its clock is moved a minute at a time and the poller looks once a minute, as it does
 * by default where no webhook can reach the server.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { FULL_ACCESS, invoke } from '../../src/server/call.js';
import { startHttpServer } from '../../src/server/http.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv, NOW, token } from '../lib/servers.js';
import { median, pct } from '../lib/stats.js';
import { requestsSince } from '../lib/upstream.js';

const LOGIN = 'hostaway';
const PASSWORD = 'bench-webhook-password-0123456789';
const BOOKINGS = 60;
/** An hour of a busy 25-listing account: what the sandbox does, spread over the hour. */
const HOUR = { bookings: 6, updates: 8, cancellations: 2, guestMessages: 24 };

async function live(sandbox: Sandbox, env: Record<string, string>): Promise<Runtime> {
  const config = loadConfig({
    env: liveEnv(sandbox, {
      HOSTAWAY_WRITE_STORE: 'memory',
      HOSTAWAY_TOKEN_FILE: join(tmpdir(), `hostaway-bench-changes-${process.pid}-${Math.random()}.json`),
      MCP_HTTP_PORT: '0',
      ...env,
    }),
    envFile: '/dev/null',
  });
  return createRuntime(
    { ...config, client: { ...config.client, token: { activationDelayMs: 0 } } },
    { logger: silentLogger, now: () => sandbox.store().now() },
  );
}

export async function changes(): Promise<void> {
  process.stderr.write('15. changes\n');
  const sandbox = await startSandbox({ now: NOW, rateLimits: false, admin: true });
  const bearer = await token(sandbox);
  const hooked = await live(sandbox, {
    HOSTAWAY_WEBHOOK_LOGIN: LOGIN,
    HOSTAWAY_WEBHOOK_PASSWORD: PASSWORD,
    HOSTAWAY_POLL_SECONDS: '0',
  });
  const http = await startHttpServer(hooked);
  await hooked.client.webhooks.create({
    url: http.url.replace(/\/mcp$/, '/webhooks/hostaway'),
    login: LOGIN,
    password: PASSWORD,
    isEnabled: 1,
  });
  const whatsNew = enabledTools({ readOnly: false, writes: false }).find(
    (t) => t.name === 'hostaway_whats_new',
  );
  if (!whatsNew) throw new Error('hostaway_whats_new is missing');
  const caller = { name: 'bench', scopes: FULL_ACCESS, surface: 'rest' as const };

  // 1. Delivery to visible: a booking made through the API, until the server has recorded and
  //    announced it, and until hostaway_whats_new lists it.
  const announced: number[] = [];
  const listed: number[] = [];
  let arrival = Date.parse('2030-01-01T00:00:00Z');
  for (let i = 0; i < BOOKINGS; i++) {
    const from = new Date(arrival).toISOString().slice(0, 10);
    arrival += 3 * 86_400_000;
    const to = new Date(arrival - 86_400_000).toISOString().slice(0, 10);
    let heardAt = 0;
    let wanted = -1;
    const heard = new Promise<void>((resolve) => {
      const stop = hooked.changes.hub.listen((n) => {
        if (n.reservationId !== wanted) return;
        heardAt = performance.now();
        stop();
        resolve();
      });
    });
    const res = await fetch(`${sandbox.url}/reservations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channelId: 2000,
        listingMapId: 40160 + (i % 25),
        arrivalDate: from,
        departureDate: to,
      }),
    });
    const answeredAt = performance.now();
    wanted = ((await res.json()) as { result: { id: number } }).result.id;
    await heard;
    announced.push(heardAt - answeredAt);
    const feed = await invoke(
      hooked,
      whatsNew,
      { hours: 1, limit: 5 },
      { caller, signal: new AbortController().signal },
    );
    if (!feed.ok || !JSON.stringify(feed.data).includes(`"reservationId":${wanted}`))
      throw new Error('the booking is missing from the feed');
    listed.push(performance.now() - answeredAt);
  }
  results.changesLatency = {
    bookings: BOOKINGS,
    announcedMs: { median: median(announced), p95: pct(announced, 95) },
    listedMs: { median: median(listed), p95: pct(listed, 95) },
  };
  report(
    'webhook: booking made -> recorded and announced',
    `${median(announced).toFixed(1)} ms (p95 ${pct(announced, 95).toFixed(1)} ms, ${BOOKINGS} bookings)`,
    'well under a second',
  );
  report(
    'webhook: booking made -> listed by hostaway_whats_new',
    `${median(listed).toFixed(1)} ms (p95 ${pct(listed, 95).toFixed(1)} ms)`,
    '',
  );

  // 2. An hour of activity in sandbox time, found by a poller looking once a minute.
  const polling = await live(sandbox, { HOSTAWAY_POLL_SECONDS: '60' });
  const poller = polling.changes.startPolling();
  if (!poller) throw new Error('no poller');
  await poller.look(); // its first look, before the hour starts
  const plan = spread(HOUR);
  const recordedBefore = hooked.changes.recorder.counts.recorded;
  const polledBefore = polling.changes.recorder.counts.recorded;
  const upstreamBefore = sandbox.requests.lastSeq;
  const delays: number[] = [];
  for (let minute = 0; minute < 60; minute++) {
    const todo = plan[minute];
    if (todo) {
      const res = await fetch(`${sandbox.origin}/_sandbox/activity`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(todo),
      });
      if (!res.ok) throw new Error(`activity failed: ${res.status}`);
    }
    const at = sandbox.store().now();
    sandbox.advanceClock(60_000);
    const before = polling.changes.recorder.counts.recorded;
    await poller.look();
    const found = polling.changes.recorder.counts.recorded - before;
    for (let k = 0; k < found; k++) delays.push(sandbox.store().now() - at);
  }
  const pollRequests = requestsSince(sandbox, upstreamBefore).filter((e) => e.path.startsWith('/v1/')).length;
  const viaPoll = polling.changes.recorder.counts.recorded - polledBefore;
  // Wait for the last deliveries of the hour to land.
  await new Promise((r) => setTimeout(r, 500));
  const viaWebhook = hooked.changes.recorder.counts.recorded - recordedBefore;
  const budgetPerHour = 20 * 360;
  results.changesPolling = {
    activity: HOUR,
    pollEverySeconds: 60,
    pollRequests,
    changesFoundByPoll: viaPoll,
    changesFoundByWebhook: viaWebhook,
    pollDetectionSecondsMedian: median(delays) / 1000,
    webhookRequests: 0,
    accountBudgetPerHour: budgetPerHour,
  };
  report(
    'an hour of activity found by polling once a minute',
    `${pollRequests} upstream requests (${((100 * pollRequests) / budgetPerHour).toFixed(1)} % of the hour's per-account budget), ${viaPoll} changes, each found at the next look (here ${(median(delays) / 1000).toFixed(0)} s later; 30 s on average for changes spread over the minute)`,
    '',
  );
  report(
    'the same hour by webhook',
    `0 upstream requests (${pollRequests} saved), ${viaWebhook} changes, each within milliseconds`,
    'fewer requests than polling',
  );
  await polling.close();
  await http.close();
  await hooked.close();
  await sandbox.close();
}

/** The hour's activity, one kind at a time, on minutes spread evenly over the hour. */
function spread(hour: typeof HOUR): Array<Partial<typeof HOUR> | undefined> {
  const minutes: Array<Partial<typeof HOUR> | undefined> = Array.from({ length: 60 }, () => undefined);
  let offset = 0;
  for (const [kind, count] of Object.entries(hour) as Array<[keyof typeof HOUR, number]>) {
    for (let i = 0; i < count; i++) {
      const minute = (Math.floor((i * 60) / count) + offset) % 60;
      const slot = minutes[minute] ?? {};
      slot[kind] = (slot[kind] ?? 0) + 1;
      minutes[minute] = slot;
    }
    offset += 7;
  }
  return minutes;
}
