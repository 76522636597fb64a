/**
 * Unified webhooks over the API (_webhook_unifiedWebhook*.md): create, read, list, update and delete
 * in the usual envelope, behind the token; the password never read back; the documented delivery log
 * (_unifiedWebhookLog_*.md) at `/v1/unifiedWebhookLogs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnifiedWebhook, UnifiedWebhookLog } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseItem, parseList, startHarness } from '../helpers/sandbox.js';
import { type Receiver, startReceiver, until } from '../helpers/webhook-receiver.js';

describe('unified webhooks: CRUD', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const path = '/webhooks/unifiedWebhooks';
  const send = (method: string, p: string, body: unknown) => h.api(p, { method, ...json(body) });

  it('creates, reads, lists, updates and deletes; the password shows as ****', async () => {
    expect(parseList(UnifiedWebhook, await h.get(path)).result).toEqual([]);
    const res = await send('POST', path, {
      isEnabled: 1,
      url: 'https://receiver.example.com/webhooks/hostaway',
      login: 'hostaway',
      password: 's3cret-value',
      alertingEmailAddress: 'ops@example.com',
    });
    expect(res.status).toBe(200);
    const created = parseItem(UnifiedWebhook, await res.json()).result;
    expect(created).toEqual({
      id: created.id,
      isEnabled: 1,
      url: 'https://receiver.example.com/webhooks/hostaway',
      login: 'hostaway',
      password: '****',
      alertingEmailAddress: 'ops@example.com',
    });
    expect(parseItem(UnifiedWebhook, await h.get(`${path}/${created.id}`)).result).toEqual(created);
    const listed = await h.api(path);
    const text = await listed.text();
    expect(text).not.toContain('s3cret');
    expect(parseList(UnifiedWebhook, JSON.parse(text)).result).toEqual([created]);

    const updated = parseItem(
      UnifiedWebhook,
      await (
        await send('PUT', `${path}/${created.id}`, { isEnabled: 0, url: 'https://other.example.com/hook' })
      ).json(),
    ).result;
    // A PUT carries the whole object: what it leaves out is cleared.
    expect(updated).toEqual({
      id: created.id,
      isEnabled: 0,
      url: 'https://other.example.com/hook',
      login: null,
      password: null,
      alertingEmailAddress: null,
    });

    const gone = await h.api(`${path}/${created.id}`, { method: 'DELETE' });
    expect(await gone.json()).toEqual({ status: 'success', result: [] });
    await expectFail(await h.api(`${path}/${created.id}`), 404, /Unified webhook \d+ not found/);
    await expectFail(await h.api(`${path}/${created.id}`, { method: 'DELETE' }), 404);
    await expectFail(await send('PUT', `${path}/${created.id}`, { url: 'https://x.example.com' }), 404);
  });

  it('answers 400 naming what is wrong with a body', async () => {
    await expectFail(await send('POST', path, { isEnabled: 1 }), 400, /url/);
    await expectFail(await send('POST', path, { url: 'ftp://example.com' }), 400, /http\(s\) URL/);
    await expectFail(
      await send('POST', path, { url: 'https://example.com', alertingEmailAddress: 'no' }),
      400,
      /alertingEmailAddress/,
    );
    await expectFail(
      await send('POST', path, { url: 'https://example.com', isEnabled: 7 }),
      400,
      /isEnabled/,
    );
    await expectFail(await h.api(path, { method: 'POST', body: '' }), 400, /empty/);
    await expectFail(await h.api(`${path}/abc`), 400, /unifiedWebhookId must be a positive integer/);
  });

  it('needs the bearer token, like every /v1 route', async () => {
    const res = await fetch(`${h.sandbox.url}${path}`);
    expect(res.status).toBe(403);
  });
});

describe('unified webhook logs (GET /v1/unifiedWebhookLogs)', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await startHarness({ admin: true });
    receiver = await startReceiver((_req, n) => (n === 1 ? 503 : 200));
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('lists every attempt as the documented log object, filtered by webhook and listing', async () => {
    const create = (url: string) =>
      h
        .api('/webhooks/unifiedWebhooks', { method: 'POST', ...json({ url, login: 'l', password: 'p' }) })
        .then(async (r) => parseItem(UnifiedWebhook, await r.json()).result);
    await fetch(`${h.sandbox.origin}/_sandbox/webhook-delivery`, {
      method: 'POST',
      ...json({ retryDelaysMs: [20, 20, 20] }),
    });
    const a = await create(`${receiver.origin}/a`);
    await create(`${receiver.origin}/b`);
    const message = await fetch(`${h.sandbox.origin}/_sandbox/guest-messages`, {
      method: 'POST',
      ...json({ conversationId: 200001, body: 'Is there a hair dryer?' }),
    });
    expect(message.status).toBe(201);
    await receiver.waitFor(3);
    const logs = await until(async () => {
      const page = parseList(UnifiedWebhookLog, await h.get('/unifiedWebhookLogs'));
      return page.result.length >= 3 ? page : undefined;
    });
    expect(logs.result.map((l) => l.responseStatus).sort()).toEqual([200, 200, 503]);
    const [first] = logs.result;
    expect(first).toMatchObject({
      accountId: h.sandbox.accountId,
      isEnabled: 1,
      login: 'l',
      password: '****',
      object: 'conversationMessage',
      event: 'message.received',
    });
    const forA = parseList(UnifiedWebhookLog, await h.get(`/unifiedWebhookLogs?unifiedWebhookId=${a.id}`));
    expect(forA.result.every((l) => l.webhookNotificationSettingId === a.id)).toBe(true);
    expect(forA.result.length).toBeGreaterThanOrEqual(1);
    const listingMapId = first!.listingMapId;
    expect(
      parseList(UnifiedWebhookLog, await h.get(`/unifiedWebhookLogs?listingMapId=${listingMapId}`)).count,
    ).toBe(3);
    expect(parseList(UnifiedWebhookLog, await h.get('/unifiedWebhookLogs?listingMapId=1')).count).toBe(0);
    expect(
      parseList(UnifiedWebhookLog, await h.get('/unifiedWebhookLogs?limit=1&offset=1')).result,
    ).toHaveLength(1);
  });
});
