/**
 * What changed in an account, as facts the "what's new" feed lists: a new booking, a change to one, a
 * cancellation, a guest's message. Webhook deliveries and the polling fallback both end up here, so the
 * feed reads the same whichever found them.
 *
 * Two rules make deliveries safe to repeat and to reorder:
 * - every fact has a `key`; a second fact with the same key is the same fact (a duplicate delivery);
 * - every fact names the `entity` it is about and that entity's `version` (a reservation's `updatedOn`,
 *   a message's date). A fact older than the newest one kept for its entity never replaces it.
 */
import { CLOSED_STATUSES } from './stay-phase.js';

export const CHANGE_KINDS = ['booking', 'change', 'cancellation', 'guest_message'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_SOURCES = ['webhook', 'poll'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/** Statuses that end a booking (those of a stay that will not take place): an update into one is a cancellation. */
export const ENDED_STATUSES: ReadonlySet<string> = CLOSED_STATUSES;

/** The few facts a feed line shows; everything optional, because deliveries are sparse at times. */
export interface ChangeSummary {
  status?: string | null;
  guest?: string | null;
  listingName?: string | null;
  arrival?: string | null;
  departure?: string | null;
  channel?: string | null;
  nights?: number | null;
  total?: number | null;
  currency?: string | null;
  /** A guest message's text, cut short; guest-written: fenced when shown. */
  excerpt?: string | null;
  /** For a change: the fields that differ from the version kept before, when it was known. */
  changed?: string[];
}

export interface AccountChange {
  /** The Hostaway account the fact belongs to. */
  account: string;
  /** One per distinct fact: `reservation:<id>@<updatedOn>#<content digest>`, `message:<id>`. */
  key: string;
  kind: ChangeKind;
  /** What the order check compares within: `reservation:<id>`, `message:<id>`. */
  entity: string;
  /** `YYYY-MM-DD HH:MM:SS` (UTC): later versions sort after earlier ones as strings. */
  version: string;
  reservationId: number | null;
  listingId: number | null;
  conversationId: number | null;
  source: ChangeSource;
  summary: ChangeSummary;
}

/** A change as the store keeps it: numbered in arrival order (`seq` is the feed's cursor). */
export interface RecordedChange extends AccountChange {
  seq: number;
  /** When this server learnt of it (epoch ms). */
  receivedAt: number;
  /** The entity's newest kept summary, which may be newer than this fact's own. */
  current: ChangeSummary | null;
}

export type RecordOutcome =
  | { outcome: 'recorded'; change: RecordedChange }
  /** The same fact was recorded before (a repeated delivery, or poll and webhook both saw it). */
  | { outcome: 'duplicate' }
  /** An older version than the one kept for its entity: nothing is changed. */
  | { outcome: 'stale'; keptVersion: string };

/**
 * The kind a fact is recorded as, given the summary kept before it: an update into an ended status from
 * a live one is a cancellation; an update to an entity never seen is still a change (its creation may
 * have been before this server listened).
 */
export function resolveKind(change: AccountChange, previous: ChangeSummary | null): ChangeKind {
  if (change.kind !== 'change') return change.kind;
  const now = change.summary.status ?? null;
  if (now !== null && ENDED_STATUSES.has(now) && !ENDED_STATUSES.has(previous?.status ?? ''))
    return 'cancellation';
  return 'change';
}

/**
 * Whether a fact may replace what is kept for its entity. A booking (creation) that arrives after a
 * later update of the same reservation is still news, so it is recorded, but it never replaces the
 * newer summary.
 */
export function isStale(change: AccountChange, keptVersion: string | null): boolean {
  return keptVersion !== null && change.version < keptVersion;
}

/** The facts of a summary a change can alter, in the order `changed` names them. */
export const SUMMARY_FIELDS = [
  'status',
  'arrival',
  'departure',
  'guest',
  'listingName',
  'nights',
  'total',
  'currency',
  'channel',
] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

/**
 * The fields whose values differ between the summary kept before and a newer one. A field the newer
 * summary does not carry at all (a sparse delivery) is not called changed, since nothing says it did;
 * `null` is a value (cleared), and a missing field before counts as `null`.
 */
export function changedFields(previous: ChangeSummary, next: ChangeSummary): SummaryField[] {
  return SUMMARY_FIELDS.filter((field) => {
    const now = next[field];
    return now !== undefined && (previous[field] ?? null) !== now;
  });
}

/** What a store keeps for an entity: its newest version and that version's summary. */
export interface KeptEntity {
  version: string;
  summary: ChangeSummary;
}

/** What recording a (non-duplicate) fact does, given what is kept for its entity. */
export type RecordPlan =
  | { stale: true; keptVersion: string }
  | {
      stale: false;
      /** The kind it is recorded as (`resolveKind`). */
      kind: ChangeKind;
      /** Its summary as recorded: for a change or a cancellation of a known entity, with `changed`. */
      summary: ChangeSummary;
      /** What is kept for the entity from now on, or null when what is kept stays (a late booking). */
      keep: KeptEntity | null;
      /** The entity's kept summary after the write. */
      current: ChangeSummary;
    };

/**
 * The one decision every store makes when a fact arrives (after the duplicate check): a stale update
 * changes nothing; a stale booking is recorded but keeps the newer summary; anything else replaces
 * what is kept. The kept summary never carries `changed`, which describes one fact, not the entity.
 */
export function planRecord(change: AccountChange, kept: KeptEntity | null): RecordPlan {
  const stale = kept !== null && isStale(change, kept.version);
  if (stale && change.kind !== 'booking') return { stale: true, keptVersion: kept.version };
  const kind = resolveKind(change, kept?.summary ?? null);
  // `changed` is the store's to work out: whatever the fact arrived with is dropped.
  const { changed: _ignored, ...facts } = change.summary;
  const summary: ChangeSummary = { ...facts };
  if (kept && (kind === 'change' || kind === 'cancellation'))
    summary.changed = changedFields(kept.summary, facts);
  if (stale) return { stale: false, kind, summary, keep: null, current: kept.summary };
  return { stale: false, kind, summary, keep: { version: change.version, summary: facts }, current: facts };
}
