/**
 * The unified-webhook receiver (`POST /webhooks/hostaway`). Hostaway signs nothing: it sends the login
 * and password configured on the webhook as HTTP Basic credentials, so those are checked (in constant
 * time) before anything else is read. Then, within a small body limit, the delivery becomes an account
 * change, recorded once and in order before the answer (a failure to record answers 503, which Hostaway
 * retries); cache invalidation and notifications follow the answer.
 *
 * Answers: 200 for a delivery taken (recorded, a duplicate, an older version, or an event we do not
 * follow: Hostaway asks for 200 there); 400 for a body that is not a JSON object (permanent, not
 * retried); 401 for wrong credentials; 413 past the size limit; 503 when the store fails.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { changeFromDelivery } from '../../domain/change-sources.js';
import { WebhookDelivery } from '../../hostaway/schemas.js';
import type { Logger } from '../../logging.js';
import { BodyTooLarge, readBody, sendJson, sendProblem } from '../http-util.js';
import type { ChangeRecorder } from './recorder.js';

export const WEBHOOK_PATH = '/webhooks/hostaway';
/** A delivery is one reservation or one message: far below this. */
export const MAX_DELIVERY_BYTES = 256 * 1024;

export interface ReceiverOptions {
  login: string;
  password: string;
  recorder: ChangeRecorder;
  /** The account a delivery belongs to when it does not say (the only one, or the first). */
  defaultAccount: string;
  logger: Logger;
  clock: () => number;
  maxBodyBytes?: number;
  /** Told of every delivery's outcome (metrics). */
  onOutcome?: (outcome: string) => void;
}

export type WebhookReceiver = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createWebhookReceiver(options: ReceiverOptions): WebhookReceiver {
  const { recorder, logger } = options;
  const limit = options.maxBodyBytes ?? MAX_DELIVERY_BYTES;
  const expectedUser = digest(options.login);
  const expectedPassword = digest(options.password);
  const told = (outcome: string) => options.onOutcome?.(outcome);

  return async (req, res) => {
    if (req.method !== 'POST') {
      told('method');
      return sendJson(res, 405, { error: 'Hostaway delivers webhooks with POST' }, { allow: 'POST' });
    }
    if (!authorised(req.headers.authorization, expectedUser, expectedPassword)) {
      told('unauthorised');
      // Not read, not kept: the body of an unauthenticated request is left unread.
      res.setHeader('connection', 'close');
      return sendProblem(res, {
        status: 401,
        kind: 'webhook_unauthorised',
        title: 'Wrong webhook credentials',
        detail:
          'The login and password of the Hostaway webhook must match HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD.',
        headers: { 'www-authenticate': 'Basic realm="hostaway-webhooks", charset="UTF-8"' },
      });
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      told('too_large');
      res.setHeader('connection', 'close');
      return sendProblem(res, {
        status: 413,
        kind: 'webhook_too_large',
        title: 'Delivery too large',
        detail: `A webhook delivery may be at most ${limit} bytes.`,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    const delivery = WebhookDelivery.safeParse(body);
    if (!delivery.success || typeof body !== 'object' || body === null || Array.isArray(body)) {
      told('invalid');
      return sendProblem(res, {
        status: 400,
        kind: 'webhook_invalid',
        title: 'Not a webhook delivery',
        detail: 'The body must be a JSON object with "event" and "data".',
      });
    }
    const receivedAt = options.clock();
    const account =
      delivery.data.accountId != null ? String(delivery.data.accountId) : options.defaultAccount;
    if (!recorder.serves(account)) {
      told('other_account');
      logger.warn({ account }, 'webhook delivery for an account this server does not serve: ignored');
      return sendJson(res, 200, { received: true, outcome: 'ignored', reason: 'not an account served here' });
    }
    const found = changeFromDelivery(delivery.data, account, receivedAt);
    if ('ignored' in found) {
      told('ignored');
      logger.debug({ reason: found.ignored }, 'webhook delivery ignored');
      return sendJson(res, 200, { received: true, outcome: 'ignored', reason: found.ignored });
    }
    let outcome: Awaited<ReturnType<ChangeRecorder['record']>>;
    try {
      outcome = await recorder.record(found.change);
    } catch (err) {
      told('store_failed');
      logger.error({ err: String(err), change: found.change.key }, 'webhook delivery could not be recorded');
      return sendProblem(res, {
        status: 503,
        kind: 'webhook_store_unavailable',
        title: 'Not recorded',
        detail: 'The delivery could not be recorded; Hostaway retries it.',
        headers: { 'retry-after': '60' },
      });
    }
    told(outcome.outcome);
    sendJson(res, 200, {
      received: true,
      outcome: outcome.outcome,
      ...(outcome.outcome === 'recorded' ? { seq: outcome.change.seq } : {}),
    });
    logger.debug({ change: found.change.key, outcome: outcome.outcome }, 'webhook delivery taken');
    // After the answer: the cached reads it touched, and whoever listens.
    await recorder.apply(outcome);
  };
}

/** HTTP Basic credentials checked against the expected ones; both parts always compared. */
function authorised(header: string | undefined, user: Buffer, password: Buffer): boolean {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const givenUser = colon === -1 ? '' : decoded.slice(0, colon);
  const givenPassword = colon === -1 ? '' : decoded.slice(colon + 1);
  const userOk = timingSafeEqual(digest(givenUser), user);
  const passwordOk = timingSafeEqual(digest(givenPassword), password);
  return match !== null && colon !== -1 && userOk && passwordOk;
}

/** Equal-length digests, so that the comparison takes as long whatever was sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
