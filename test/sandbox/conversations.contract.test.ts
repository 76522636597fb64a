import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, ConversationMessage, Reservation } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

describe('conversations and messages (_conversation_*.md, _reservation_retrieveConversations.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const conversations = async (query = '') => parseList(Conversation, await h.get(`/conversations${query}`));
  const messages = async (id: number, query = '') =>
    parseList(ConversationMessage, await h.get(`/conversations/${id}/messages${query}`));

  it('lists conversations, most recent message first, with paging', async () => {
    const page = await conversations('?limit=50');
    expect(page.result).toHaveLength(50);
    expect(page.count).toBeGreaterThan(1000);
    const latest = page.result.map((c) =>
      (c.messageReceivedOn ?? '') > (c.messageSentOn ?? '')
        ? (c.messageReceivedOn ?? '')
        : (c.messageSentOn ?? ''),
    );
    expect(latest).toEqual([...latest].sort().reverse());
    // Attached objects only with includeResources=1.
    expect(page.result.every((c) => c.conversationMessages?.length === 0 && c.Reservation === null)).toBe(
      true,
    );
    const rich = await conversations('?limit=5&includeResources=1');
    for (const c of rich.result) {
      expect(c.conversationMessages).toHaveLength(1);
      expect(Reservation.parse(c.Reservation).id).toBe(c.reservationId);
    }
  });

  it('filters by reservationId; GET /reservations/{id}/conversations agrees', async () => {
    const [first] = (await conversations('?limit=1')).result;
    const byReservation = await conversations(`?reservationId=${first!.reservationId}`);
    expect(byReservation.result.map((c) => c.id)).toEqual([first!.id]);
    const nested = parseList(
      Conversation,
      await h.get(`/reservations/${first!.reservationId}/conversations`),
    );
    expect(nested.result.map((c) => c.id)).toEqual([first!.id]);
  });

  it('threads hold guest and host messages; some guests wait for a reply', async () => {
    const page = (await conversations('?limit=300')).result;
    const waiting = page.filter((c) => c.hasUnreadMessages === 1);
    expect(waiting.length).toBeGreaterThan(0);
    for (const c of waiting.slice(0, 5)) {
      const thread = (await messages(c.id)).result;
      expect(thread[0]?.isIncoming).toBe(1);
      expect(thread[0]?.isSeen).toBe(0);
      expect(thread[0]?.date).toBe(c.messageReceivedOn);
    }
    const answered = page.find((c) => c.hasUnreadMessages === 0 && c.messageReceivedOn)!;
    const thread = (await messages(answered.id)).result;
    expect(thread.some((m) => m.isIncoming === 1)).toBe(true);
    expect(thread.some((m) => m.isIncoming === 0)).toBe(true);
    const dates = thread.map((m) => m.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('scheduled messages appear only with includeScheduledMessages=1', async () => {
    for (const c of (await conversations('?limit=400')).result) {
      const all = (await messages(c.id, '?includeScheduledMessages=1')).result;
      if (all.some((m) => m.status === 'awaiting')) {
        const sent = (await messages(c.id)).result;
        expect(sent.every((m) => m.status === 'sent')).toBe(true);
        expect(sent.length).toBeLessThan(all.length);
        return;
      }
    }
    throw new Error('no conversation with a scheduled message');
  });

  it('POST a message: it joins the thread, clears unread and moves the timestamps', async () => {
    const waiting = (await conversations('?limit=1000')).result.find((c) => c.hasUnreadMessages === 1)!;
    const res = await h.api(`/conversations/${waiting.id}/messages`, {
      method: 'POST',
      ...json({ body: 'Hi! Early check-in at 1pm works, see you then.', communicationType: 'channel' }),
    });
    expect(res.status).toBe(200);
    const sent = parseItem(ConversationMessage, await res.json()).result;
    expect(sent).toMatchObject({
      conversationId: waiting.id,
      isIncoming: 0,
      status: 'sent',
      communicationType: 'channel',
    });
    const thread = (await messages(waiting.id)).result;
    expect(thread[0]?.id).toBe(sent.id);
    expect(thread.filter((m) => m.isIncoming === 1).every((m) => m.isSeen === 1)).toBe(true);
    const after = parseItem(Conversation, await h.get(`/conversations/${waiting.id}`)).result;
    expect(after.hasUnreadMessages).toBe(0);
    expect(after.messageSentOn).toBe(sent.date);
    const one = parseItem(
      ConversationMessage,
      await h.get(`/conversations/${waiting.id}/messages/${sent.id}`),
    );
    expect(one.result.body).toBe(sent.body);
    const reservation = parseItem(Reservation, await h.get(`/reservations/${waiting.reservationId}`)).result;
    expect(reservation.latestActivityOn).toBe(sent.date);
  });

  it('a sent message has the documented fields, is the newest everywhere, and clears the unread filter', async () => {
    const waiting = (await conversations('?limit=1000')).result.filter(
      (c) => c.hasUnreadMessages === 1 && c.reservationId,
    )[1]!;
    const reservationIds = async (query: string) =>
      parseList(Reservation, await h.get(`/reservations?limit=10000&${query}`)).result.map((r) => r.id);
    expect(await reservationIds('hasUnreadConversationMessages=1')).toContain(waiting.reservationId);
    expect(await reservationIds('hasUnreadConversationMessages=0')).not.toContain(waiting.reservationId);

    const text = '  Your door code is 4821.\nSee you tomorrow!  ';
    const res = await h.api(`/conversations/${waiting.id}/messages`, {
      method: 'POST',
      ...json({ body: text, communicationType: 'sms' }),
    });
    const sent = parseItem(ConversationMessage, await res.json()).result;
    const stamp = /^2026-11-25 \d{2}:\d{2}:\d{2}$/;
    expect(sent).toMatchObject({
      accountId: h.sandbox.accountId,
      listingMapId: waiting.listingMapId,
      reservationId: waiting.reservationId,
      conversationId: waiting.id,
      body: text,
      communicationType: 'sms',
      status: 'sent',
      isIncoming: 0,
      attachments: [],
    });
    for (const field of ['date', 'sentChannelDate', 'insertedOn', 'updatedOn'] as const)
      expect(sent[field]).toMatch(stamp);
    expect(sent.hash).toMatch(/^[0-9a-f]{32}$/);

    const thread = (await messages(waiting.id)).result;
    expect(thread[0]).toEqual(sent);
    expect(thread.filter((m) => m.id === sent.id)).toHaveLength(1);
    const conv = parseItem(
      Conversation,
      await h.get(`/conversations/${waiting.id}?includeResources=1`),
    ).result;
    expect(conv.conversationMessages?.map((m) => m.id)).toEqual([sent.id]);
    expect(conv).toMatchObject({ hasUnreadMessages: 0, messageSentOn: sent.date });
    expect(await reservationIds('hasUnreadConversationMessages=1')).not.toContain(waiting.reservationId);
    expect(await reservationIds('hasUnreadConversationMessages=0')).toContain(waiting.reservationId);
  });

  it('a sent message takes its place by date among scheduled ones', async () => {
    let target: number | undefined;
    for (const c of (await conversations('?limit=400')).result)
      if ((await messages(c.id, '?includeScheduledMessages=1')).result[0]?.status === 'awaiting') {
        target = c.id;
        break;
      }
    const res = await h.api(`/conversations/${target}/messages`, {
      method: 'POST',
      ...json({ body: 'Noted!' }),
    });
    const sent = parseItem(ConversationMessage, await res.json()).result;
    const all = (await messages(target!, '?includeScheduledMessages=1')).result;
    const dates = all.map((m) => m.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    const at = all.findIndex((m) => m.id === sent.id);
    expect(all.slice(0, at).every((m) => m.status === 'awaiting')).toBe(true);
    expect((await messages(target!)).result[0]?.id).toBe(sent.id);
  });

  it('sends e-mail by default, as documented', async () => {
    const [c] = (await conversations('?limit=1')).result;
    const res = await h.api(`/conversations/${c!.id}/messages`, {
      method: 'POST',
      ...json({ body: 'Thanks!' }),
    });
    expect(parseItem(ConversationMessage, await res.json()).result.communicationType).toBe('email');
  });

  it('rejects empty or malformed messages and unknown conversations', async () => {
    const [c] = (await conversations('?limit=1')).result;
    const post = (body: unknown, id = c!.id) =>
      h.api(`/conversations/${id}/messages`, { method: 'POST', ...json(body) });
    await expectFail(await post({ body: '   ' }), 400, /body must not be empty/);
    await expectFail(await post({}), 400, /body/);
    await expectFail(await post({ body: 'hi', communicationType: 'pigeon' }), 400, /communicationType/);
    await expectFail(await post({ body: 'hi' }, 9), 404, /Conversation 9 not found/);
    await expectFail(await h.api(`/conversations/${c!.id}/messages/1`), 404, /Message 1 not found/);
  });
});
