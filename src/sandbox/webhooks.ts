/**
 * Unified webhook deliveries, as the docs describe them (_webhook_unified.md, index "Webhook events"):
 * every change the store reports is POSTed as JSON to each enabled webhook of the account, with Basic
 * auth when a login and a password are set; a 2xx within the ack timeout (20 s) is a delivery, a
 * connection error, a timeout, a 5xx or a 429 is retried 3 times (1, 6 and 36 minutes later), any
 * other status is a permanent failure. Deliveries start after the API has answered and never hold it.
 *
 * The docs do not print the body. The sandbox sends
 * `{ event, object, objectId, accountId, listingMapId, data }`: the fields the unified webhook log
 * records about a delivery, and the object itself under `data`, as its own GET answers it.
 *
 * Knobs for tests and demos (start options `webhooks`, and `POST /_sandbox/webhook-delivery`):
 * - `timeScale` shrinks every wait (0.001: retries after 60, 360 and 2,160 ms); `retryDelaysMs` and
 *   `ackTimeoutMs` set them outright;
 * - `duplicates: N` sends the next N deliveries twice, `duplicateProbability` any with that chance;
 * - `reorder: N` holds deliveries until N are waiting, then sends them newest first, one by one;
 * - `paused` holds every new delivery until `flush` (in the order held, reversed or shuffled).
 * Random choices come from `seed`, so a run repeats.
 */
import { setMaxListeners } from 'node:events';
import * as z from 'zod';
import { isTransientDeliveryFailure, WEBHOOK_DELIVERY, webhookRetryDelaysMs } from '../hostaway/schemas.js';
import { Random } from './data/random.js';
import type { StoreEvent } from './store.js';
import { DeliveryLog } from './webhook-log.js';
import { post } from './webhook-post.js';
import type { StoredWebhook, WebhookRegistry } from './webhook-registry.js';

/** A scaled ack timeout never drops below this (a loaded machine answers slower than 20 ms). */
const MIN_SCALED_ACK_MS = 1_000;

export const WebhookDeliveryKnobs = z
  .object({
    timeScale: z.number().positive().max(1_000).optional().describe('multiplies the documented waits'),
    retryDelaysMs: z
      .array(z.number().int().min(0).max(86_400_000))
      .length(WEBHOOK_DELIVERY.retries, `retryDelaysMs takes ${WEBHOOK_DELIVERY.retries} waits`)
      .nullable()
      .optional()
      .describe('the wait before each retry; null: the documented ones, scaled'),
    ackTimeoutMs: z.number().int().positive().max(600_000).nullable().optional(),
    duplicates: z.number().int().min(0).max(1_000_000).optional().describe('send the next N twice'),
    duplicateProbability: z.number().min(0).max(1).optional(),
    reorder: z.number().int().min(0).max(10_000).optional().describe('hold N, send them newest first'),
    paused: z.boolean().optional(),
    seed: z.number().int().optional(),
  })
  .strict();
export type WebhookDeliveryKnobs = z.input<typeof WebhookDeliveryKnobs>;

export const FLUSH_ORDERS = ['held', 'reverse', 'shuffle'] as const;
export type FlushOrder = (typeof FLUSH_ORDERS)[number];

interface Job {
  deliveryId: number;
  webhookId: number;
  accountId: number;
  event: StoreEvent['event'];
  object: string;
  objectId: number;
  listingMapId: number | null;
  body: string;
  duplicate: boolean;
}

interface Settings {
  timeScale: number;
  retryDelaysMs: number[] | null;
  ackTimeoutMs: number | null;
  duplicates: number;
  duplicateProbability: number;
  reorder: number;
  paused: boolean;
  seed: number;
}

export class WebhookDispatcher {
  readonly log = new DeliveryLog();
  private settings: Settings;
  private dice: Random;
  private held: Job[] = [];
  private nextDeliveryId = 1;
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stop = new AbortController();

  constructor(
    private readonly registry: WebhookRegistry,
    seed: number,
    knobs: WebhookDeliveryKnobs = {},
  ) {
    // Each delivery in flight listens for the stop until it ends: a burst of them is not a leak.
    setMaxListeners(0, this.stop.signal);
    this.settings = {
      timeScale: 1,
      retryDelaysMs: null,
      ackTimeoutMs: null,
      duplicates: 0,
      duplicateProbability: 0,
      reorder: 0,
      paused: false,
      seed,
    };
    this.dice = new Random(seed);
    this.configure(knobs);
  }

  /** Changes the knobs given; a hold that no longer applies is released. */
  configure(input: WebhookDeliveryKnobs): void {
    const knobs = WebhookDeliveryKnobs.parse(input);
    const defined = Object.fromEntries(Object.entries(knobs).filter(([, v]) => v !== undefined));
    this.settings = { ...this.settings, ...defined };
    if (knobs.seed !== undefined) this.dice = new Random(knobs.seed);
    if (!this.settings.paused && this.settings.reorder <= 1 && this.held.length > 0) this.flush('held');
    else this.releaseBatches();
  }

  state() {
    return {
      ...this.settings,
      effective: { retryDelaysMs: this.retryDelays(), ackTimeoutMs: this.ackTimeout() },
      held: this.held.length,
      inFlight: this.inFlight,
      scheduledRetries: this.timers.size,
      attempts: this.log.lastSeq,
    };
  }

  /** A change in an account: one delivery per enabled webhook, after the current request is answered. */
  dispatch(accountId: number, e: StoreEvent): void {
    const hooks = this.registry.enabled(accountId);
    if (hooks.length === 0) return;
    const body = JSON.stringify({
      event: e.event,
      object: e.object,
      objectId: e.objectId,
      accountId,
      listingMapId: e.listingMapId,
      data: e.data,
    });
    for (const w of hooks) {
      const job: Job = {
        deliveryId: this.nextDeliveryId++,
        webhookId: w.id,
        accountId,
        event: e.event,
        object: e.object,
        objectId: e.objectId,
        listingMapId: e.listingMapId,
        body,
        duplicate: false,
      };
      this.admit(job);
      if (this.sendTwice()) this.admit({ ...job, duplicate: true });
    }
  }

  /** Sends every held delivery now, one after another, in the order asked. Returns how many. */
  flush(order: FlushOrder = 'held'): number {
    const batch = this.held;
    this.held = [];
    if (order === 'reverse') batch.reverse();
    if (order === 'shuffle')
      for (let i = batch.length - 1; i > 0; i--) {
        const j = this.dice.int(0, i);
        [batch[i], batch[j]] = [batch[j] as Job, batch[i] as Job];
      }
    this.sendInOrder(batch);
    return batch.length;
  }

  /** Cancels scheduled retries and attempts in flight, and drops held deliveries. */
  close(): void {
    this.stop.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held = [];
  }

  private sendTwice(): boolean {
    if (this.settings.duplicates > 0) {
      this.settings.duplicates--;
      return true;
    }
    return this.settings.duplicateProbability > 0 && this.dice.chance(this.settings.duplicateProbability);
  }

  private admit(job: Job): void {
    if (this.settings.paused || this.settings.reorder > 1) {
      this.held.push(job);
      this.releaseBatches();
      return;
    }
    // After the answer: the handler that made the change returns first.
    setImmediate(() => void this.attempt(job, 1));
  }

  /** Under `reorder: N` (and not paused): each full batch of N goes out newest first. */
  private releaseBatches(): void {
    const n = this.settings.reorder;
    if (this.settings.paused || n <= 1) return;
    while (this.held.length >= n) this.sendInOrder(this.held.splice(0, n).reverse());
  }

  /** One at a time, so that the receiver sees them in this order (their retries go on their own). */
  private sendInOrder(batch: Job[]): void {
    if (batch.length === 0) return;
    setImmediate(async () => {
      for (const job of batch) await this.attempt(job, 1);
    });
  }

  private retryDelays(): number[] {
    return this.settings.retryDelaysMs ?? webhookRetryDelaysMs(this.settings.timeScale);
  }

  private ackTimeout(): number {
    return (
      this.settings.ackTimeoutMs ??
      Math.max(
        Math.min(MIN_SCALED_ACK_MS, WEBHOOK_DELIVERY.ackTimeoutMs),
        Math.round(WEBHOOK_DELIVERY.ackTimeoutMs * this.settings.timeScale),
      )
    );
  }

  private async attempt(job: Job, attempt: number): Promise<void> {
    if (this.stop.signal.aborted) return;
    const hook = this.registry.current(job.webhookId);
    const at = Date.now();
    const started = performance.now();
    const base = {
      deliveryId: job.deliveryId,
      webhookId: job.webhookId,
      accountId: job.accountId,
      event: job.event,
      object: job.object,
      objectId: job.objectId,
      listingMapId: job.listingMapId,
      attempt,
      duplicate: job.duplicate,
      at,
    };
    if (!hook?.isEnabled) {
      // Deleted or disabled since the change: nothing more is sent.
      this.log.add({
        ...base,
        ...describeHook(hook),
        status: null,
        error: hook ? 'webhook disabled: not sent' : 'webhook deleted: not sent',
        ok: false,
        responseBody: null,
        durationMs: 0,
        retryInMs: null,
        final: true,
        alertTo: null,
      });
      return;
    }
    this.inFlight++;
    const answer = await post(hook, job.body, this.ackTimeout(), this.stop.signal);
    this.inFlight--;
    if (this.stop.signal.aborted) return;
    const ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    const transient = !ok && isTransientDeliveryFailure(answer.status);
    const delays = this.retryDelays();
    const retryInMs = transient && attempt <= delays.length ? (delays[attempt - 1] ?? 0) : null;
    this.log.add({
      ...base,
      ...describeHook(hook),
      status: answer.status ?? null,
      error: answer.error,
      ok,
      responseBody: answer.body,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      retryInMs,
      final: retryInMs === null,
      alertTo: !ok && retryInMs === null ? (hook.alertingEmailAddress ?? 'account owner') : null,
    });
    if (retryInMs === null) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(job, attempt + 1);
    }, retryInMs);
    this.timers.add(timer);
  }
}

function describeHook(hook: StoredWebhook | undefined) {
  return {
    url: hook?.url ?? '',
    login: hook?.login ?? null,
    passwordSet: Boolean(hook?.password),
    isEnabled: hook?.isEnabled ?? 0,
  };
}
