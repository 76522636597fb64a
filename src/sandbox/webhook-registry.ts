/**
 * The account's unified webhooks (_webhook_unified*.md): where Hostaway calls when something changes.
 * Kept beside the account's data, not in it: a reset regenerates the stays and messages, and the
 * registrations stay, as tokens do (a receiver registered once keeps hearing after a reset).
 */
import { MASKED_PASSWORD, type UnifiedWebhook, type UnifiedWebhookBody } from '../hostaway/schemas.js';
import { notFound } from './http-error.js';

/** A registration as stored, password in clear (deliveries need it). */
export interface StoredWebhook {
  id: number;
  accountId: number;
  isEnabled: 0 | 1;
  url: string;
  login: string | null;
  password: string | null;
  alertingEmailAddress: string | null;
}

type Body = ReturnType<typeof UnifiedWebhookBody.parse>;

export class WebhookRegistry {
  private readonly byId = new Map<number, StoredWebhook>();
  private nextId = 1;

  list(accountId: number): StoredWebhook[] {
    return [...this.byId.values()].filter((w) => w.accountId === accountId);
  }

  /** The enabled webhooks of an account: those a change is delivered to. */
  enabled(accountId: number): StoredWebhook[] {
    return this.list(accountId).filter((w) => w.isEnabled === 1);
  }

  get(accountId: number, id: number): StoredWebhook {
    const w = this.byId.get(id);
    if (!w || w.accountId !== accountId) throw notFound(`Unified webhook ${id} not found`);
    return w;
  }

  /** Still registered and enabled? (A retry goes to the registration as it is now, or not at all.) */
  current(id: number): StoredWebhook | undefined {
    return this.byId.get(id);
  }

  create(accountId: number, body: Body): StoredWebhook {
    const w: StoredWebhook = { id: this.nextId++, accountId, ...fields(body) };
    this.byId.set(w.id, w);
    return w;
  }

  /**
   * A PUT sends the whole object: what it leaves out is reset to the defaults, as on create. The masked
   * password sent back as read (`****`) keeps the stored one.
   */
  update(accountId: number, id: number, body: Body): StoredWebhook {
    const current = this.get(accountId, id);
    const next: StoredWebhook = { ...current, ...fields(body) };
    if (body.password === MASKED_PASSWORD) next.password = current.password;
    this.byId.set(id, next);
    return next;
  }

  remove(accountId: number, id: number): void {
    this.get(accountId, id);
    this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

function fields(body: Body) {
  return {
    isEnabled: body.isEnabled ? 1 : 0,
    url: body.url,
    login: body.login ?? null,
    password: body.password ?? null,
    alertingEmailAddress: body.alertingEmailAddress ?? null,
  } as const;
}

/**
 * A registration as the API answers it: the documented object, the password masked as `****` when one
 * is set (the unified webhook log object shows it so; see MASKED_PASSWORD), null when none is.
 */
export function webhookView(w: StoredWebhook): UnifiedWebhook {
  return {
    id: w.id,
    isEnabled: w.isEnabled,
    url: w.url,
    login: w.login,
    password: w.password ? MASKED_PASSWORD : null,
    alertingEmailAddress: w.alertingEmailAddress,
  };
}
