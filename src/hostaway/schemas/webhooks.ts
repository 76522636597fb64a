import * as z from 'zod';
import { Flag, int, str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Unified webhooks (_webhook_unified.md, _webhook_unifiedWebhook*.md, _unifiedWebhookLog_*.md, and the
// "Webhook events" section of index.html.md)

/** Where the configuration lives: `GET|POST /v1/webhooks/unifiedWebhooks`, `GET|PUT|DELETE .../{id}`. */
export const UNIFIED_WEBHOOKS_PATH = '/webhooks/unifiedWebhooks';

export const UnifiedWebhook = z.looseObject({
  id: z.number().int(),
  isEnabled: Flag,
  url: z.string(),
  login: str,
  password: str,
  alertingEmailAddress: str,
});
export type UnifiedWebhook = z.infer<typeof UnifiedWebhook>;

/** Body of `POST` and `PUT /v1/webhooks/unifiedWebhooks[/{id}]`: the object without its id. */
export const UnifiedWebhookBody = z.object({
  isEnabled: Flag.default(1),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
  login: z.string().max(255).nullish(),
  password: z.string().max(255).nullish(),
  alertingEmailAddress: z.email().nullish(),
});
export type UnifiedWebhookBody = z.input<typeof UnifiedWebhookBody>;

/**
 * The events the docs list today ("reservation created", "reservation updated", "new message
 * received"). Their wire names are documented only by example: the webhook log object shows
 * `"event": "message.received"` with `"object": "conversationMessage"`; the reservation names follow the
 * same pattern. More events will come: a receiver answers 200 to one it does not know.
 */
export const WEBHOOK_EVENTS = ['reservation.created', 'reservation.updated', 'message.received'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_OBJECTS = { reservation: 'reservation', message: 'conversationMessage' } as const;

/**
 * One delivery's body. The docs do not print it; its fields are those the unified webhook log records
 * about a delivery (`object`, `objectId`, `event`, `accountId`, `listingMapId`) plus the object itself
 * under `data` (a reservation, or a conversation message, in the shapes of their own pages). Loose and
 * tolerant on purpose: whatever else arrives passes through, and a receiver takes the event name from
 * `eventType` when `event` is missing.
 */
export const WebhookDelivery = z.looseObject({
  event: z.string().max(100).optional(),
  eventType: z.string().max(100).optional(),
  object: str,
  objectId: int,
  accountId: int,
  listingMapId: int,
  data: z.unknown().optional(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** Delivery rules (changelog 2026-07-22): retries on transient failures only, all within about an hour. */
export const WEBHOOK_DELIVERY = {
  /** Retries after the first attempt. */
  retries: 3,
  /** The first retry comes "about a minute later"; the others back off exponentially. */
  firstRetryMs: 60_000,
  /**
   * Our choice (the docs give no factor): each wait six times the one before, 1, 6 and 36 minutes, so
   * the last retry comes 43 minutes after the first attempt, within the hour.
   */
  backoffFactor: 6,
  /** All retries fall within "roughly one hour" of the event. */
  retryWindowMs: 60 * 60_000,
  /** The receiver must acknowledge within this long. */
  ackTimeoutMs: 20_000,
} as const;

/** A failure Hostaway retries: no answer (undefined), a 5xx, or a 429. Other 4xx are permanent. */
export function isTransientDeliveryFailure(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

/** The wait before each retry, in order: 1, 6 and 36 minutes, times `scale` (tests shrink them). */
export function webhookRetryDelaysMs(scale = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < WEBHOOK_DELIVERY.retries; i++)
    out.push(Math.round(WEBHOOK_DELIVERY.firstRetryMs * WEBHOOK_DELIVERY.backoffFactor ** i * scale));
  return out;
}

/**
 * How a stored password is shown: the unified webhook log object prints `"password": "****"`. The
 * docs do not say the webhook object itself hides it; the sandbox hides it there too (a password read
 * back is a password leaked), and a receiver's registration never needs it back.
 */
export const MASKED_PASSWORD = '****';

/**
 * Delivery logs (_unifiedWebhookLog_retrieveUnifiedWebhookLogList.md): `GET /v1/unifiedWebhookLogs`
 * with `limit`, `offset`, `unifiedWebhookId` and `listingMapId`. (The page's last line names
 * `/v1/unifiedWebhookId`, its curl and PHP examples `/v1/unifiedWebhookLogs`; the latter is taken.)
 */
export const UNIFIED_WEBHOOK_LOGS_PATH = '/unifiedWebhookLogs';

/** One delivery attempt as the log lists it (_unifiedWebhookLog_unifiedWebhookLogObject.md). */
export const UnifiedWebhookLog = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: int,
  webhookNotificationSettingId: z.number().int(),
  isEnabled: Flag,
  url: z.string(),
  login: str,
  password: str,
  object: z.string(),
  objectId: z.number().int(),
  event: z.string(),
  responseStatus: z.number().int(),
  responseBody: str,
});
export type UnifiedWebhookLog = z.infer<typeof UnifiedWebhookLog>;
