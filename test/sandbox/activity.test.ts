/**
 * Activity on demand (`POST /_sandbox/activity`): bookings, changes, cancellations and guest messages
 * made through the store's own writes, so that the API shows them and the webhooks hear of each; the
 * same seed on the same account does the same again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reservation } from '../../src/hostaway/schemas.js';
import type { ActivityReport } from '../../src/sandbox/activity.js';
import { type Harness, json, parseItem, startHarness } from '../helpers/sandbox.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

describe('activity generator', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await startHarness({ admin: true, webhooks: { timeScale: 0.001 } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  const activity = async (body: unknown, status = 200) => {
    const res = await fetch(`${h.sandbox.origin}/_sandbox/activity`, { method: 'POST', ...json(body) });
    expect(res.status).toBe(status);
    return res.json();
  };
  const ask = { bookings: 3, updates: 4, cancellations: 2, guestMessages: 3 };

  it('does what it was asked through the store, and every change is delivered', async () => {
    const hook = await h.api('/webhooks/unifiedWebhooks', {
      method: 'POST',
      ...json({ url: `${receiver.origin}/hook` }),
    });
    expect(hook.status).toBe(200);
    const report = (await activity(ask)) as ActivityReport;
    expect(report.bookings).toHaveLength(3);
    expect(report.updates).toHaveLength(4);
    expect(report.cancellations).toHaveLength(2);
    expect(report.guestMessages).toHaveLength(3);
    expect(report.skipped).toEqual({ bookings: 0, updates: 0, cancellations: 0, guestMessages: 0 });

    for (const id of report.bookings)
      expect(parseItem(Reservation, await h.get(`/reservations/${id}`)).result.status).toBe('new');
    for (const id of report.cancellations)
      expect(parseItem(Reservation, await h.get(`/reservations/${id}`)).result.status).toBe('cancelled');
    for (const u of report.updates) expect(u.changed.length).toBeGreaterThan(0);

    const got = await receiver.waitFor(12);
    const ids = (event: string) =>
      got
        .filter((g) => g.body.event === event)
        .map((g) => g.body.objectId as number)
        .sort();
    expect(ids('reservation.created')).toEqual([...report.bookings].sort());
    expect(ids('reservation.updated')).toEqual(
      [...report.updates.map((u) => u.reservationId), ...report.cancellations].sort(),
    );
    expect(ids('message.received')).toEqual(report.guestMessages.map((m) => m.messageId).sort());
  });

  it('repeats itself: the same seed on the same account does the same', async () => {
    const reset = () => fetch(`${h.sandbox.origin}/_sandbox/reset`, { method: 'POST' });
    await reset();
    const first = await activity(ask);
    const second = await activity(ask);
    expect(second).not.toEqual(first);
    await reset();
    expect(await activity(ask)).toEqual(first);
    expect(await activity(ask)).toEqual(second);
    await reset();
    const seeded = await activity({ ...ask, seed: 7 });
    expect(seeded).not.toEqual(first);
    await reset();
    expect(await activity({ ...ask, seed: 7 })).toEqual(seeded);
  });

  it('answers 400 for what it does not know; nothing asked, nothing done', async () => {
    const bad = (await activity({ bookings: -1 }, 400)) as { error: string };
    expect(bad.error).toMatch(/bookings/);
    expect(((await activity({ reviews: 2 }, 400)) as { error: string }).error).toMatch(/reviews/);
    const none = (await activity({})) as ActivityReport;
    expect([none.bookings, none.updates, none.cancellations, none.guestMessages]).toEqual([[], [], [], []]);
  });
});
