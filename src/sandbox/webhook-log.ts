/**
 * Every delivery attempt of a unified webhook, in order: what the admin API lists at
 * `/_sandbox/webhook-deliveries` (all of it) and what `GET /v1/unifiedWebhookLogs` answers (the
 * documented log object). Bounded like the request log: the oldest go first past `capacity`.
 */
import { MASKED_PASSWORD, type UnifiedWebhookLog } from '../hostaway/schemas.js';

export interface DeliveryAttempt {
  /** Sequence number of the attempt, from 1; also the documented log object's `id`. */
  id: number;
  /** One per event and webhook; its attempts (and a duplicate copy's) share it. */
  deliveryId: number;
  webhookId: number;
  accountId: number;
  event: string;
  object: string;
  objectId: number;
  listingMapId: number | null;
  /** 1 for the first try, 2 to 4 for the retries. */
  attempt: number;
  /** The second copy the `duplicates` knob sent. */
  duplicate: boolean;
  url: string;
  login: string | null;
  /** Whether a password was sent (never the password). */
  passwordSet: boolean;
  isEnabled: 0 | 1;
  /** The receiver's HTTP status; null when none came (connection failed, timed out, not sent). */
  status: number | null;
  /** Why no status came, or why it was not sent. */
  error: string | null;
  ok: boolean;
  /** The receiver's answer, cut at 2,000 characters. */
  responseBody: string | null;
  /** When the attempt began, epoch ms. */
  at: number;
  durationMs: number;
  /** When a retry is scheduled: its wait. */
  retryInMs: number | null;
  /** No attempt of this delivery follows (delivered, permanent failure, retries spent, not sent). */
  final: boolean;
  /** A delivery that failed for good alerts this address (the account owner's when none is set). */
  alertTo: string | null;
}

export class DeliveryLog {
  private entries: DeliveryAttempt[] = [];
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  add(entry: Omit<DeliveryAttempt, 'id'>): DeliveryAttempt {
    const full = { ...entry, id: ++this.seq };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return full;
  }

  /** Attempts after sequence number `since` (all when omitted). */
  list(since = 0): DeliveryAttempt[] {
    return since <= 0 ? [...this.entries] : this.entries.filter((e) => e.id > since);
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * An attempt as the documented log object shows it. The docs do not say what `responseStatus` holds
 * when no answer came: the sandbox writes 0, as its request log does for a dropped connection.
 */
export function logView(a: DeliveryAttempt): UnifiedWebhookLog {
  return {
    id: a.id,
    accountId: a.accountId,
    listingMapId: a.listingMapId,
    webhookNotificationSettingId: a.webhookId,
    isEnabled: a.isEnabled,
    url: a.url,
    login: a.login,
    password: a.passwordSet ? MASKED_PASSWORD : null,
    object: a.object,
    objectId: a.objectId,
    event: a.event,
    responseStatus: a.status ?? 0,
    responseBody: a.responseBody,
  };
}
