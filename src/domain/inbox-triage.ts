/**
 * Which waiting guest to answer first. A guest waits when they wrote last or the conversation is
 * unread. The urgency score is a sum of points, each shown to the manager:
 * - 100 when check-in is within the next 48 hours (the question is about to matter);
 * - 25 when the guest is in house (they are there now, with whatever is wrong); on arrival day before
 *   check-in the guest counts as arriving soon instead, not both;
 * - one point per hour the guest has waited since their last message, to a tenth, at most 48.
 * So every guest arriving within two days comes before every other, and among equals the longest wait
 * comes first. Ties go to the longer wait, then the lower conversation id (stable).
 */

/** A guest whose check-in is this close is marked, and their question comes first. */
export const SOON_HOURS = 48;

export const SCORE_POINTS = {
  arrivingSoon: 100,
  inHouse: 25,
  perHourWaited: 1,
  maxHoursCounted: 48,
} as const;

export const SCORE_RULE =
  'score = 100 if check-in is within the next 48 hours + 25 if the guest is in house (past check-in) + 1 per hour waited since their last message (to a tenth, at most 48); highest first';

export interface Urgency {
  arrivingSoon: boolean;
  /** The stay is current (arrival day to departure day). */
  inHouse: boolean;
  /** Minutes since the guest's last message, when the guest wrote last; null otherwise. */
  waitingMinutes: number | null;
}

export function urgencyScore(u: Urgency): number {
  const minutes = Math.min(Math.max(u.waitingMinutes ?? 0, 0), SCORE_POINTS.maxHoursCounted * 60);
  const waited = Math.round((minutes / 60) * SCORE_POINTS.perHourWaited * 10) / 10;
  // Arrival day counts as a current stay: before check-in the guest is arriving, not yet in house.
  const inHouse = u.inHouse && !u.arrivingSoon;
  return (u.arrivingSoon ? SCORE_POINTS.arrivingSoon : 0) + (inHouse ? SCORE_POINTS.inHouse : 0) + waited;
}

/** Most urgent first: score, then the longer wait, then the lower conversation id. */
export function byUrgency(
  a: { score: number; waitingMinutes: number | null; conversationId: number },
  b: { score: number; waitingMinutes: number | null; conversationId: number },
): number {
  return (
    b.score - a.score ||
    (b.waitingMinutes ?? -1) - (a.waitingMinutes ?? -1) ||
    a.conversationId - b.conversationId
  );
}

/** Waiting for a reply: the guest wrote last, or something in the thread is unread. */
export function isWaiting(lastFrom: 'guest' | 'host' | null, unread: boolean): boolean {
  return lastFrom === 'guest' || unread;
}

/** Check-in within the next `SOON_HOURS` (not past, not a booking that will not happen). */
export function isArrivingSoon(hoursUntilCheckIn: number | null, closed: boolean): boolean {
  return hoursUntilCheckIn !== null && hoursUntilCheckIn >= 0 && hoursUntilCheckIn <= SOON_HOURS && !closed;
}

export const EXCERPT_CHARS = 300;

/**
 * A short excerpt: whitespace runs become one space, and a text longer than `max` characters is cut to
 * `max` with a trailing ellipsis (never splitting a surrogate pair).
 */
export function excerpt(text: string, max: number = EXCERPT_CHARS): { text: string; cut: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, cut: false };
  let end = max - 1;
  const code = flat.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: `${flat.slice(0, end).trimEnd()}…`, cut: true };
}

/** Minutes as a manager reads them: "45 min", "3 h 5 min", "2 d 4 h". */
export function formatWait(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

interface MessageLike {
  id: number;
  isIncoming?: 0 | 1 | boolean | null;
  date?: string | null;
  insertedOn?: string | null;
  body?: string | null;
}

/** The newest message the guest wrote among these (by its time, then id), if any. */
export function latestGuestMessage<M extends MessageLike>(
  messages: readonly M[] | null | undefined,
): M | null {
  let best: M | null = null;
  const at = (m: M) => m.date ?? m.insertedOn ?? '';
  for (const m of messages ?? []) {
    if (!m.isIncoming) continue;
    if (!best || at(m) > at(best) || (at(m) === at(best) && m.id > best.id)) best = m;
  }
  return best;
}
