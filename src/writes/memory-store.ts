/**
 * The write store in memory: demo mode and quick tests. Nothing survives the process, which is what
 * demo mode wants (its sandbox does not survive either). JavaScript runs each method to completion
 * between awaits, so every transition is as atomic here as one SQL statement is in PostgreSQL.
 */
import {
  type AccountChange,
  type KeptEntity,
  planRecord,
  type RecordedChange,
  type RecordOutcome,
} from '../domain/account-changes.js';
import type {
  AuditEntry,
  AuditFilter,
  ChangeRetention,
  ChangesFilter,
  Intent,
  NewAuditEntry,
  NewIntent,
  WriteStore,
} from './store.js';

type StoredChange = Omit<RecordedChange, 'current'>;

/** Enough for a long demo; the oldest audit entries go first. */
const MAX_AUDIT_ENTRIES = 10_000;

export class MemoryWriteStore implements WriteStore {
  readonly kind = 'memory' as const;
  private readonly intents = new Map<string, Intent>();
  private readonly log: AuditEntry[] = [];
  private seq = 0;
  /** Every account's changes, in seq order (one counter for all, like a SQL sequence). */
  private changes: StoredChange[] = [];
  private changeSeq = 0;
  /** `account\0key` of every change kept. */
  private readonly changeKeys = new Set<string>();
  /** `account\0entity` -> what is kept for it, and when it was last replaced. */
  private readonly entities = new Map<string, KeptEntity & { updatedAt: number }>();
  private readonly latestSeq = new Map<string, number>();

  async createIntent(intent: NewIntent): Promise<void> {
    if (this.intents.has(intent.id)) throw new Error(`intent ${intent.id} exists`);
    this.intents.set(intent.id, {
      ...structuredClone(intent),
      state: 'pending',
      leaseUntil: null,
      snapshot: null,
      outcome: null,
      updatedAt: intent.createdAt,
    });
  }

  async getIntent(id: string): Promise<Intent | undefined> {
    const found = this.intents.get(id);
    return found ? structuredClone(found) : undefined;
  }

  async claim(id: string, now: number, leaseUntil: number): Promise<Intent | undefined> {
    const found = this.intents.get(id);
    if (found?.state !== 'pending' || found.expiresAt <= now) return undefined;
    Object.assign(found, { state: 'committing', leaseUntil, updatedAt: now });
    return structuredClone(found);
  }

  async takeOver(id: string, now: number, leaseUntil: number): Promise<Intent | undefined> {
    const found = this.intents.get(id);
    if (!found || (found.state !== 'committing' && found.state !== 'unknown')) return undefined;
    if (found.leaseUntil !== null && found.leaseUntil > now) return undefined;
    Object.assign(found, { leaseUntil, updatedAt: now });
    return structuredClone(found);
  }

  async saveSnapshot(id: string, snapshot: unknown, now: number): Promise<void> {
    const found = this.intents.get(id);
    if (found) Object.assign(found, { snapshot: structuredClone(snapshot), updatedAt: now });
  }

  async finish(
    id: string,
    state: Intent['state'],
    outcome: Record<string, unknown>,
    now: number,
    leaseUntil: number | null,
  ): Promise<void> {
    const found = this.intents.get(id);
    if (found) Object.assign(found, { state, outcome: structuredClone(outcome), leaseUntil, updatedAt: now });
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    this.log.push({ ...structuredClone(entry), seq: ++this.seq });
    if (this.log.length > MAX_AUDIT_ENTRIES) this.log.splice(0, this.log.length - MAX_AUDIT_ENTRIES);
  }

  async recentAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let i = this.log.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const e = this.log[i] as AuditEntry;
      if (filter.tool && e.tool !== filter.tool) continue;
      if (filter.action && e.action !== filter.action) continue;
      if (filter.intentId && e.intentId !== filter.intentId) continue;
      if (filter.result && e.result !== filter.result) continue;
      if (filter.since !== undefined && e.at < filter.since) continue;
      out.push(structuredClone(e));
    }
    return out;
  }

  async recordChange(change: AccountChange, now: number): Promise<RecordOutcome> {
    if (this.changeKeys.has(pair(change.account, change.key))) return { outcome: 'duplicate' };
    const entityKey = pair(change.account, change.entity);
    const kept = this.entities.get(entityKey) ?? null;
    const plan = planRecord(change, kept);
    if (plan.stale) return { outcome: 'stale', keptVersion: plan.keptVersion };
    if (plan.keep) this.entities.set(entityKey, { ...structuredClone(plan.keep), updatedAt: now });
    const stored: StoredChange = {
      ...structuredClone(change),
      kind: plan.kind,
      summary: structuredClone(plan.summary),
      seq: ++this.changeSeq,
      receivedAt: now,
    };
    this.changes.push(stored);
    this.changeKeys.add(pair(change.account, change.key));
    this.latestSeq.set(change.account, stored.seq);
    return { outcome: 'recorded', change: this.withCurrent(stored) };
  }

  async changesSince(filter: ChangesFilter): Promise<RecordedChange[]> {
    const out: RecordedChange[] = [];
    for (const c of this.changes) {
      if (out.length >= filter.limit) break;
      if (c.account !== filter.account || c.seq <= filter.afterSeq) continue;
      if (filter.kinds && !filter.kinds.includes(c.kind)) continue;
      if (filter.receivedSince !== undefined && c.receivedAt < filter.receivedSince) continue;
      out.push(this.withCurrent(c));
    }
    return out;
  }

  async latestChangeSeq(account: string): Promise<number> {
    return this.latestSeq.get(account) ?? 0;
  }

  async pruneChanges({ olderThan, keepAtMost }: ChangeRetention): Promise<number> {
    const perAccount = new Map<string, number>();
    const keep = new Array<boolean>(this.changes.length);
    // Newest first, so the count keeps the newest of each account.
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const c = this.changes[i] as StoredChange;
      const n = (perAccount.get(c.account) ?? 0) + 1;
      perAccount.set(c.account, n);
      keep[i] = c.receivedAt >= olderThan && n <= keepAtMost;
    }
    const kept = this.changes.filter((_, i) => keep[i]);
    const deleted = this.changes.length - kept.length;
    this.changes = kept;
    this.changeKeys.clear();
    const referred = new Set<string>();
    for (const c of kept) {
      this.changeKeys.add(pair(c.account, c.key));
      referred.add(pair(c.account, c.entity));
    }
    for (const [key, entity] of this.entities)
      if (entity.updatedAt < olderThan && !referred.has(key)) this.entities.delete(key);
    return deleted;
  }

  private withCurrent(c: StoredChange): RecordedChange {
    const current = this.entities.get(pair(c.account, c.entity));
    return { ...structuredClone(c), current: current ? structuredClone(current.summary) : null };
  }

  async close(): Promise<void> {}
}

const pair = (account: string, name: string) => `${account}\u0000${name}`;
