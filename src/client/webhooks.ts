/**
 * Unified webhooks (_webhook_unifiedWebhook*.md): where Hostaway posts the account's changes. Through
 * the client's one call path (token, rate budget, envelope check); nothing is cached, and the create,
 * not idempotent, is repeated only when it surely never reached Hostaway (the client's rule for POST).
 */
import * as z from 'zod';
import {
  itemEnvelope,
  listEnvelope,
  UNIFIED_WEBHOOKS_PATH,
  UnifiedWebhook,
  UnifiedWebhookBody,
} from '../hostaway/schemas.js';
import type { Call } from './endpoint-kit.js';
import { HostawayError } from './errors.js';

const WebhooksEnvelope = listEnvelope(UnifiedWebhook);
const WebhookEnvelope = itemEnvelope(UnifiedWebhook);
const Done = z.looseObject({ status: z.literal('success') });
const PATH = UNIFIED_WEBHOOKS_PATH.replace(/^\//, '');

export function webhookEndpoints(call: Call) {
  return {
    /** [_webhook_unifiedWebhookList.md] */
    list: async (signal?: AbortSignal): Promise<UnifiedWebhook[]> =>
      (
        await call({
          method: 'GET',
          path: PATH,
          schema: WebhooksEnvelope,
          what: 'the unified webhooks',
          idempotent: true,
          signal,
        })
      ).result,
    /** [_webhook_unifiedWebhookRead.md] */
    get: async (id: number, signal?: AbortSignal): Promise<UnifiedWebhook> =>
      (
        await call({
          method: 'GET',
          path: `${PATH}/${id}`,
          schema: WebhookEnvelope,
          what: `unified webhook ${id}`,
          idempotent: true,
          signal,
        })
      ).result,
    /** [_webhook_unifiedWebhookCreate.md] Not idempotent: a repeat would register a second webhook. */
    create: async (body: UnifiedWebhookBody, signal?: AbortSignal): Promise<UnifiedWebhook> =>
      (
        await call({
          method: 'POST',
          path: PATH,
          json: checked(body),
          schema: WebhookEnvelope,
          what: 'a new unified webhook',
          idempotent: false,
          signal,
        })
      ).result,
    /** [_webhook_unifiedWebhookUpdate.md] The whole object: what the body leaves out is cleared. */
    update: async (id: number, body: UnifiedWebhookBody, signal?: AbortSignal): Promise<UnifiedWebhook> =>
      (
        await call({
          method: 'PUT',
          path: `${PATH}/${id}`,
          json: checked(body),
          schema: WebhookEnvelope,
          what: `unified webhook ${id}`,
          idempotent: true,
          signal,
        })
      ).result,
    /** [_webhook_unifiedWebhookDelete.md] */
    remove: async (id: number, signal?: AbortSignal): Promise<void> => {
      await call({
        method: 'DELETE',
        path: `${PATH}/${id}`,
        schema: Done,
        what: `unified webhook ${id}`,
        idempotent: true,
        signal,
      });
    },
  };
}

/** The body as Hostaway takes it (isEnabled defaults to 1); a bad one never leaves this process. */
function checked(body: UnifiedWebhookBody) {
  const parsed = UnifiedWebhookBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HostawayError(
    'invalid_request',
    `The unified webhook is not valid: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
  );
}
