/**
 * The write-safety store: every previewed write (an "intent", keyed by its confirmation id, which is
 * also its idempotency key and its change id) and the audit log. Three implementations share this
 * interface and one contract test suite: in memory (demo mode, nothing kept), embedded SQLite (the
 * default in live mode, in a per-user data directory) and PostgreSQL (`DATABASE_URL`, for a team or
 * several replicas). State changes that decide "never twice" are single atomic statements.
 *
 * The same store keeps the account changes (new bookings, changes, cancellations, guest messages) that
 * webhooks and polling report: see `AccountChangeStore`.
 */
import type { AccountChange, ChangeKind, RecordedChange, RecordOutcome } from '../domain/account-changes.js';

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

export interface ChangesFilter {
  account: string;
  /** The cursor: only changes numbered after it (0 for all). */
  afterSeq: number;
  limit: number;
  /** Only these kinds (an empty list matches none); all when left out. */
  kinds?: readonly ChangeKind[];
  /** Only changes received at or after this instant (epoch ms). */
  receivedSince?: number;
}

export interface ChangeRetention {
  /** Changes received before this time (epoch ms) are deleted. */
  olderThan: number;
  /** And in each account, all but this many newest. */
  keepAtMost: number;
}

/**
 * Account changes, kept idempotently and in order: a fact recorded twice is recorded once, an update
 * older than the version kept for its entity changes nothing, and within an account `seq` grows in
 * the order changes become visible, so a reader that pages with `afterSeq` never skips one.
 */
export interface AccountChangeStore {
  /**
   * Records a fact atomically (safe across processes on PostgreSQL): a duplicate key or a stale update
   * writes nothing; otherwise the change is numbered, its kind resolved (`planRecord`) and, unless it
   * is a late booking, its summary becomes the kept one for its entity.
   */
  recordChange(change: AccountChange, now: number): Promise<RecordOutcome>;
  /** Ascending by seq, each with its entity's current kept summary. */
  changesSince(filter: ChangesFilter): Promise<RecordedChange[]>;
  /** The newest seq recorded in the account (0 when none); it never goes back, even after pruning. */
  latestChangeSeq(account: string): Promise<number>;
  /**
   * Deletes changes received before `olderThan` and any beyond the newest `keepAtMost` per account,
   * then the kept entities no change refers to that were last updated before `olderThan`. Returns how
   * many changes were deleted.
   */
  pruneChanges(retention: ChangeRetention): Promise<number>;
}

export interface WriteStore extends AccountChangeStore {
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
