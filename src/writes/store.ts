/**
 * The write-safety store: every previewed write (an "intent", keyed by its confirmation id, which is
 * also its idempotency key and its change id) and the audit log. Three implementations share this
 * interface and one contract test suite: in memory (demo mode, nothing kept), embedded SQLite (the
 * default in live mode, in a per-user data directory) and PostgreSQL (`DATABASE_URL`, for a team or
 * several replicas). State changes that decide "never twice" are single atomic statements.
 */

export const INTENT_STATES = [
  /** Previewed, waiting for a confirmation. */
  'pending',
  /** Confirmed and recorded; the write is being sent (or its sender died: see `leaseUntil`). */
  'committing',
  /** Hostaway took the write. */
  'done',
  /** Hostaway surely did not take it. */
  'failed',
  /** It may or may not have taken: the answer was lost and a read-back could not tell. */
  'unknown',
] as const;
export type IntentState = (typeof INTENT_STATES)[number];

export interface Intent {
  id: string;
  tool: string;
  /** What the write touches, in words: "conversation 123 (Ana Silva, The Beach House)". */
  target: string;
  /** Binds the confirmation to the exact arguments of the preview. */
  argsDigest: string;
  /** Digest of the exact content to be written (message text, calendar values...). */
  contentDigest: string;
  /** Everything needed to commit exactly what was previewed, and to reconcile or undo it. */
  payload: Record<string, unknown>;
  /** What the person was shown, kept to answer a repeated confirmation the same way. */
  preview: Record<string, unknown>;
  caller: string;
  createdAt: number;
  expiresAt: number;
  state: IntentState;
  /** While committing: until when the sender is presumed alive. */
  leaseUntil: number | null;
  /** State read just before the write (a calendar's previous days), for undo. */
  snapshot: unknown;
  /** What happened: Hostaway's ids, the verification, the error message. */
  outcome: Record<string, unknown> | null;
  updatedAt: number;
}

export type NewIntent = Omit<Intent, 'state' | 'leaseUntil' | 'snapshot' | 'outcome' | 'updatedAt'>;

export const AUDIT_ACTIONS = [
  'preview',
  'confirm',
  'commit',
  'reconcile',
  'refused',
  'declined',
  'repeat',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  seq: number;
  at: number;
  intentId: string | null;
  tool: string;
  action: AuditAction;
  target: string | null;
  digest: string | null;
  caller: string;
  correlationId: string | null;
  /** ok, done, failed, unknown, refused... */
  result: string;
  /** Short structured detail; never a secret, never guest text beyond what the write itself held. */
  detail: Record<string, unknown> | null;
}
export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

export interface AuditFilter {
  tool?: string;
  action?: AuditAction;
  intentId?: string;
  result?: string;
  since?: number;
  limit: number;
}

export interface WriteStore {
  readonly kind: 'memory' | 'embedded' | 'postgres';
  createIntent(intent: NewIntent): Promise<void>;
  getIntent(id: string): Promise<Intent | undefined>;
  /**
   * pending -> committing, atomically, only if unexpired: of many concurrent confirmations exactly one
   * gets the intent back; the others get undefined.
   */
  claim(id: string, now: number, leaseUntil: number): Promise<Intent | undefined>;
  /**
   * Takes over an intent whose sender has gone (committing or unknown with an expired lease), so that
   * exactly one caller reconciles it.
   */
  takeOver(id: string, now: number, leaseUntil: number): Promise<Intent | undefined>;
  saveSnapshot(id: string, snapshot: unknown, now: number): Promise<void>;
  finish(
    id: string,
    state: Exclude<IntentState, 'pending'>,
    outcome: Record<string, unknown>,
    now: number,
    /** For an unknown outcome: until when it settles before a read-back may call it not done. */
    leaseUntil: number | null,
  ): Promise<void>;
  audit(entry: NewAuditEntry): Promise<void>;
  recentAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
