/**
 * Unified webhook deliveries, to a real receiver on a loopback socket: what a change sends (body, Basic
 * auth), when it is retried (connection errors, timeouts, 5xx, 429: 3 times) and when not (other 4xx),
 * and the knobs that duplicate, reorder and hold deliveries. Waits are scaled down to milliseconds.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConversationMessage, Reservation } from '../../src/hostaway/schemas.js';
import type { DeliveryAttempt } from '../../src/sandbox/webhook-log.js';
import { type Harness, json, parseItem, startHarness } from '../helpers/sandbox.js';
import { type Receiver, startReceiver, until } from '../helpers/webhook-receiver.js';

const LISTING = 40160;

/** What the delivery admin routes answer, as far as these tests read it. */
interface AdminAnswer {
  held?: number;
  released?: number;
  duplicates?: number;
  effective?: unknown;
}

describe('unified webhook deliveries', () => {
  let h: Harness;
  let receiver: Receiver;
  let nextArrival = 0;
  beforeAll(async () => {
    h = await startHarness({ admin: true, webhooks: { timeScale: 0.001 } });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const w of h.sandbox.webhooks.list(h.sandbox.accountId))
      h.sandbox.webhooks.remove(w.accountId, w.id);
    await admin('/webhook-delivery/flush', {});
    await admin('/webhook-delivery', {
      timeScale: 0.001,
      retryDelaysMs: null,
      ackTimeoutMs: null,
      duplicates: 0,
      duplicateProbability: 0,
      reorder: 0,
      paused: false,
    });
    await until(() => (idle() ? true : undefined));
    await receiver.close();
  });

  const admin = (path: string, body: unknown) =>
    fetch(`${h.sandbox.origin}/_sandbox${path}`, { method: 'POST', ...json(body) }).then(async (r) => {
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return (await r.json()) as AdminAnswer;
    });
  const idle = () => {
    const s = h.sandbox.deliveries.state();
    return s.inFlight === 0 && s.scheduledRetries === 0 && s.held === 0;
  };
  const register = async (body: Record<string, unknown> = {}) => {
    const res = await h.api('/webhooks/unifiedWebhooks', {
      method: 'POST',
      ...json({
        url: `${receiver.origin}/webhooks/hostaway`,
        login: 'hostaway',
        password: 'pa:ss word',
        ...body,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: { id: number } }).result.id;
  };
  /** A booking on dates no other test uses (one week each, a month apart). */
  const book = async () => {
    const start = new Date(Date.UTC(2028, 0, 1) + nextArrival++ * 30 * 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.parse(start) + 7 * 86_400_000).toISOString().slice(0, 10);
    const res = await h.api('/reservations', {
      method: 'POST',
      ...json({
        channelId: 2000,
        listingMapId: LISTING,
        arrivalDate: start,
        departureDate: end,
        guestName: 'Ada Lovelace',
      }),
    });
    expect(res.status).toBe(200);
    return parseItem(Reservation, await res.json()).result;
  };
  const attempts = async (): Promise<DeliveryAttempt[]> =>
    (
      (await (await fetch(`${h.sandbox.origin}/_sandbox/webhook-deliveries`)).json()) as {
        deliveries: DeliveryAttempt[];
      }
    ).deliveries;
  const attemptsFor = async (objectId: number, final = true) =>
    until(async () => {
      const mine = (await attempts()).filter((a) => a.objectId === objectId);
      return !final || mine.some((a) => a.final) ? mine : undefined;
    });

  it('a booking made through the API is POSTed as JSON with Basic auth, after the API answered', async () => {
    await register();
    const r = await book();
    const [got] = await receiver.waitFor(1);
    expect(got!.method).toBe('POST');
    expect(got!.path).toBe('/webhooks/hostaway');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers.authorization).toBe(`Basic ${Buffer.from('hostaway:pa:ss word').toString('base64')}`);
    const read = parseItem(Reservation, await h.get(`/reservations/${r.id}`)).result;
    expect(got!.body).toEqual({
      event: 'reservation.created',
      object: 'reservation',
      objectId: r.id,
      accountId: h.sandbox.accountId,
      listingMapId: LISTING,
      data: read,
    });
    const [attempt] = await attemptsFor(r.id);
    expect(attempt).toMatchObject({
      attempt: 1,
      status: 200,
      ok: true,
      final: true,
      event: 'reservation.created',
    });
  });

  it('sends no Authorization header unless both login and password are set', async () => {
    await register({ password: null });
    await book();
    const [got] = await receiver.waitFor(1);
    expect(got!.headers.authorization).toBeUndefined();
  });

  it('an update and a cancellation are reservation.updated; a guest message is message.received', async () => {
    await register();
    const r = await book();
    await h.api(`/reservations/${r.id}`, { method: 'PUT', ...json({ guestNote: 'Late arrival' }) });
    await h.api(`/reservations/${r.id}/statuses/cancelled`, {
      method: 'PUT',
      ...json({ cancelledBy: 'host' }),
    });
    const sent = await fetch(`${h.sandbox.origin}/_sandbox/guest-messages`, {
      method: 'POST',
      ...json({ reservationId: r.id, body: 'Sorry to cancel!' }),
    });
    expect(sent.status).toBe(201);
    const { message } = (await sent.json()) as { message: { id: number; conversationId: number } };
    const got = await receiver.waitFor(4);
    const by = (event: string) => got.filter((g) => g.body.event === event).map((g) => g.body);
    expect(by('reservation.created')).toHaveLength(1);
    const updates = by('reservation.updated');
    expect(updates.map((u) => u.data.status).sort()).toEqual(['cancelled', 'new']);
    expect(updates.find((u) => u.data.status === 'new').data.guestNote).toBe('Late arrival');
    expect(updates.find((u) => u.data.status === 'cancelled').data.cancelledBy).toBe('host');
    const [received] = by('message.received');
    expect(received).toMatchObject({
      object: 'conversationMessage',
      objectId: message.id,
      listingMapId: LISTING,
      accountId: h.sandbox.accountId,
    });
    const read = parseItem(
      ConversationMessage,
      await h.get(`/conversations/${message.conversationId}/messages/${message.id}`),
    ).result;
    expect(received.data).toEqual(read);
    expect(read).toMatchObject({ isIncoming: 1, body: 'Sorry to cancel!', reservationId: r.id });
  });

  it('never holds the API answer: a receiver that does not answer does not slow the write', async () => {
    receiver.answer(() => 'hang');
    await admin('/webhook-delivery', { ackTimeoutMs: 300, retryDelaysMs: [10, 10, 10] });
    await register();
    const started = performance.now();
    const r = await book();
    expect(performance.now() - started).toBeLessThan(250);
    const tries = await attemptsFor(r.id);
    expect(tries.map((a) => a.error)).toEqual(Array(4).fill('no answer within 300 ms'));
    expect(tries.at(-1)).toMatchObject({ attempt: 4, final: true, retryInMs: null });
  });

  it('a 500 is retried on the scaled schedule (60, 360 ms) until a 2xx', async () => {
    receiver.answer((_req, n) => (n <= 2 ? 500 : 200));
    await register();
    const r = await book();
    const tries = await attemptsFor(r.id);
    expect(tries.map((a) => [a.attempt, a.status, a.retryInMs, a.final])).toEqual([
      [1, 500, 60, false],
      [2, 500, 360, false],
      [3, 200, null, true],
    ]);
    const got = receiver.received;
    expect(got).toHaveLength(3);
    // The same body each time, and the waits at least what was scheduled.
    expect(new Set(got.map((g) => g.text)).size).toBe(1);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(55);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(355);
  });

  it('retries 3 times at most (5xx, 429, refused connection), then gives up and alerts', async () => {
    await admin('/webhook-delivery', { retryDelaysMs: [10, 20, 40] });
    receiver.answer((_req, n) => (n % 2 ? 503 : 429));
    await register({ alertingEmailAddress: 'ops@example.com' });
    const r = await book();
    const tries = await attemptsFor(r.id);
    expect(tries.map((a) => a.status)).toEqual([503, 429, 503, 429]);
    expect(tries.at(-1)).toMatchObject({ attempt: 4, final: true, ok: false, alertTo: 'ops@example.com' });

    const closed = await startReceiver();
    const deadUrl = `${closed.origin}/gone`;
    await closed.close();
    await register({ url: deadUrl });
    const s = await book();
    const dead = (await attemptsFor(s.id)).filter((a) => a.url === deadUrl);
    expect(dead).toHaveLength(4);
    expect(dead[0]!.error).toMatch(/^connection failed: ECONNREFUSED/);
    expect(dead.at(-1)).toMatchObject({ final: true, alertTo: 'account owner' });
  });

  it('a 401 or a 400 is permanent: not retried', async () => {
    receiver.answer((req) => (req.headers.authorization ? 400 : 401));
    await register();
    await register({ login: null, password: null });
    const r = await book();
    await receiver.waitFor(2);
    await until(async () => ((await attemptsFor(r.id)).length === 2 ? true : undefined));
    await new Promise((res) => setTimeout(res, 150)); // a retry would come after 60 ms
    expect(receiver.received).toHaveLength(2);
    const tries = await attemptsFor(r.id);
    expect(tries.map((a) => a.status).sort()).toEqual([400, 401]);
    expect(tries.every((a) => a.final && a.retryInMs === null && a.attempt === 1)).toBe(true);
  });

  it('a disabled or deleted webhook gets nothing more, not even a scheduled retry', async () => {
    await register({ isEnabled: 0 });
    await book();
    const id = await register();
    receiver.answer(() => 500);
    await admin('/webhook-delivery', { retryDelaysMs: [100, 100, 100] });
    const r = await book();
    await receiver.waitFor(1);
    await h.api(`/webhooks/unifiedWebhooks/${id}`, { method: 'DELETE' });
    const tries = await attemptsFor(r.id);
    expect(tries.map((a) => [a.status, a.error])).toEqual([
      [500, null],
      [null, 'webhook deleted: not sent'],
    ]);
    expect(receiver.received).toHaveLength(1);
  });

  it('duplicates: N sends the next N deliveries twice, then one each again', async () => {
    await register();
    const state = await admin('/webhook-delivery', { duplicates: 1 });
    expect(state).toMatchObject({ duplicates: 1 });
    const twice = await book();
    const once = await book();
    const got = await receiver.waitFor(3);
    await attemptsFor(once.id);
    const ids = got.map((g) => g.body.objectId);
    expect(ids.filter((id) => id === twice.id)).toHaveLength(2);
    expect(ids.filter((id) => id === once.id)).toHaveLength(1);
    const copies = (await attemptsFor(twice.id)).map((a) => a.duplicate).sort();
    expect(copies).toEqual([false, true]);
  });

  it('reorder: N holds N deliveries and sends them newest first', async () => {
    await register();
    await admin('/webhook-delivery', { reorder: 3 });
    const a = await book();
    const b = await book();
    const waiting = (await (
      await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`)
    ).json()) as AdminAnswer;
    expect(waiting.held).toBe(2);
    expect(receiver.received).toHaveLength(0);
    const c = await book();
    const got = await receiver.waitFor(3);
    expect(got.map((g) => g.body.objectId)).toEqual([c.id, b.id, a.id]);
  });

  it('paused holds every delivery until a flush, in the order asked', async () => {
    await register();
    await admin('/webhook-delivery', { paused: true });
    const a = await book();
    const b = await book();
    const c = await book();
    await new Promise((res) => setTimeout(res, 50));
    expect(receiver.received).toHaveLength(0);
    const flushed = await admin('/webhook-delivery/flush', { order: 'reverse' });
    expect(flushed.released).toBe(3);
    const got = await receiver.waitFor(3);
    expect(got.map((g) => g.body.objectId)).toEqual([c.id, b.id, a.id]);
    // Still paused: the next one waits too; unpausing sends it.
    const d = await book();
    await new Promise((res) => setTimeout(res, 50));
    expect(receiver.received).toHaveLength(3);
    await admin('/webhook-delivery', { paused: false });
    expect((await receiver.waitFor(4))[3]!.body.objectId).toBe(d.id);
  });

  it('the admin API refuses knobs it does not know, and shows the waits in effect', async () => {
    const bad = await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`, {
      method: 'POST',
      ...json({ speed: 2 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/speed/);
    const short = await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`, {
      method: 'POST',
      ...json({ retryDelaysMs: [1] }),
    });
    expect(short.status).toBe(400);
    const state = (await (
      await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`)
    ).json()) as AdminAnswer;
    expect(state.effective).toEqual({ retryDelaysMs: [60, 360, 2160], ackTimeoutMs: 1000 });
  });
});

describe('delivery waits at full scale', () => {
  it('are the documented ones: retries 1, 6 and 36 minutes after, an ack within 20 s', async () => {
    const h = await startHarness({ admin: true });
    try {
      const state = (await (
        await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`)
      ).json()) as AdminAnswer;
      expect(state.effective).toEqual({ retryDelaysMs: [60_000, 360_000, 2_160_000], ackTimeoutMs: 20_000 });
    } finally {
      await h.close();
    }
  });
});
