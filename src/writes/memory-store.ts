/**
 * The write store in memory: demo mode and quick tests. Nothing survives the process, which is what
 * demo mode wants (its sandbox does not survive either). JavaScript runs each method to completion
 * between awaits, so every transition is as atomic here as one SQL statement is in PostgreSQL.
 */
import type { AuditEntry, AuditFilter, Intent, NewAuditEntry, NewIntent, WriteStore } from './store.js';

/** Enough for a long demo; the oldest audit entries go first. */
const MAX_AUDIT_ENTRIES = 10_000;

export class MemoryWriteStore implements WriteStore {
  readonly kind = 'memory' as const;
  private readonly intents = new Map<string, Intent>();
  private readonly log: AuditEntry[] = [];
  private seq = 0;

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

  async close(): Promise<void> {}
}
