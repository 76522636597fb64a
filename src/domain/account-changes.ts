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

export const CHANGE_KINDS = ['booking', 'change', 'cancellation', 'guest_message'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_SOURCES = ['webhook', 'poll'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/** Statuses that end a booking: an update into one of them is a cancellation. */
export const ENDED_STATUSES: ReadonlySet<string> = new Set([
  'cancelled',
  'declined',
  'expired',
  'inquiryDenied',
  'inquiryTimedout',
  'inquiryNotPossible',
]);

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
  /** One per distinct fact: `reservation:<id>@<updatedOn>`, `message:<id>`. */
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
