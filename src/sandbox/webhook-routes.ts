/**
 * Unified webhooks over the API (_webhook_unifiedWebhook*.md, _unifiedWebhookLog_*.md), and the admin
 * routes that drive and watch their deliveries: the delivery knobs and log, guest messages arriving
 * (guests write through the channels, never the API), and activity on demand.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import { UNIFIED_WEBHOOK_LOGS_PATH, UNIFIED_WEBHOOKS_PATH, UnifiedWebhookBody } from '../hostaway/schemas.js';
import { ActivityRequest, generateActivity } from './activity.js';
import type { AppDeps } from './app.js';
import { itemBody, pageBody } from './envelope.js';
import { type Ctx, type Env, json, parseBody, pathId, reader, readJson } from './http.js';
import { badRequest, HttpError } from './http-error.js';
import { readPaging } from './query.js';
import { logView } from './webhook-log.js';
import { webhookView } from './webhook-registry.js';
import { FLUSH_ORDERS, WebhookDeliveryKnobs } from './webhooks.js';

/** The account the bearer token belongs to (the auth gate has run). */
const account = (c: Ctx, deps: AppDeps) => c.get('accountId') ?? deps.store().accountId;

export function mountWebhookApi(app: Hono<Env>, deps: AppDeps): void {
  const base = `/v1${UNIFIED_WEBHOOKS_PATH}`;
  const { webhooks } = deps;
  app.get(base, (c) => json(c, pageBody(webhooks.list(account(c, deps)).map(webhookView), undefined, 0)));
  app.get(`${base}/:id`, (c) =>
    json(c, itemBody(webhookView(webhooks.get(account(c, deps), pathId(c, 'id', 'unifiedWebhookId'))))),
  );
  app.post(base, async (c) => {
    const body = parseBody(UnifiedWebhookBody, await readJson(c));
    return json(c, itemBody(webhookView(webhooks.create(account(c, deps), body))));
  });
  app.put(`${base}/:id`, async (c) => {
    const id = pathId(c, 'id', 'unifiedWebhookId');
    const body = parseBody(UnifiedWebhookBody, await readJson(c));
    return json(c, itemBody(webhookView(webhooks.update(account(c, deps), id, body))));
  });
  app.delete(`${base}/:id`, (c) => {
    webhooks.remove(account(c, deps), pathId(c, 'id', 'unifiedWebhookId'));
    return json(c, '{"status":"success","result":[]}');
  });
  app.get(`/v1${UNIFIED_WEBHOOK_LOGS_PATH}`, (c) => {
    const q = reader(c);
    const { limit, offset } = readPaging(q);
    const webhookId = q.int('unifiedWebhookId');
    const listingMapId = q.int('listingMapId');
    const accountId = account(c, deps);
    const items = deps.deliveries.log
      .list()
      .filter(
        (a) =>
          a.accountId === accountId &&
          (webhookId === undefined || a.webhookId === webhookId) &&
          (listingMapId === undefined || a.listingMapId === listingMapId),
      )
      .map(logView);
    return json(c, pageBody(items, limit, offset));
  });
}

const GuestMessage = z
  .object({
    conversationId: z.number().int().positive().optional(),
    reservationId: z.number().int().positive().optional(),
    body: z.string().trim().min(1, 'body must not be empty'),
    communicationType: z.enum(['email', 'channel', 'sms', 'whatsapp']).optional(),
  })
  .strict()
  .refine((m) => (m.conversationId === undefined) !== (m.reservationId === undefined), {
    message: 'name the thread: conversationId or reservationId (one of them)',
  });

const Flush = z.object({ order: z.enum(FLUSH_ORDERS).default('held') }).strict();

/** An admin body: JSON, or nothing at all (an empty object). */
async function adminBody(c: Ctx): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

/** Admin answers keep the admin API's shape: `{ error }` with the status, as the faults routes do. */
async function guarded(c: Ctx, handler: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (err) {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    throw err;
  }
}

export function mountWebhookAdmin(app: Hono<Env>, deps: AppDeps, seed: number): void {
  const { deliveries } = deps;
  app.get('/_sandbox/webhook-delivery', (c) => c.json(deliveries.state()));
  app.post('/_sandbox/webhook-delivery', (c) =>
    guarded(c, async () => {
      deliveries.configure(parseBody(WebhookDeliveryKnobs, await adminBody(c)));
      return c.json(deliveries.state());
    }),
  );
  app.post('/_sandbox/webhook-delivery/flush', (c) =>
    guarded(c, async () => {
      const { order } = parseBody(Flush, await adminBody(c));
      return c.json({ released: deliveries.flush(order), state: deliveries.state() });
    }),
  );
  app.get('/_sandbox/webhook-deliveries', (c) => {
    const since = Number(c.req.query('since') ?? 0);
    const list = deliveries.log.list(Number.isFinite(since) ? since : 0);
    return c.json({ lastSeq: deliveries.log.lastSeq, deliveries: list });
  });
  app.delete('/_sandbox/webhook-deliveries', (c) => {
    deliveries.log.clear();
    return c.json({ ok: true });
  });
  app.post('/_sandbox/guest-messages', (c) =>
    guarded(c, async () => {
      const m = parseBody(GuestMessage, await adminBody(c));
      const store = deps.store();
      let conversationId = m.conversationId;
      if (conversationId === undefined) {
        store.reservation(m.reservationId as number);
        conversationId = store.searchConversations(m.reservationId)[0]?.id;
        if (conversationId === undefined)
          throw new HttpError(404, `reservation ${m.reservationId} has no conversation`);
      }
      return c.json({ message: store.receiveMessage(conversationId, m.body, m.communicationType) }, 201);
    }),
  );
  app.post('/_sandbox/activity', (c) =>
    guarded(c, async () => {
      const request = parseBody(ActivityRequest, await adminBody(c));
      return c.json(generateActivity(deps.store(), request, seed));
    }),
  );
}
