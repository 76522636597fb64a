/**
 * The waiting guests as the test works them out from the sandbox's store, by its own simple means (not
 * the server's functions): who wrote last from the two timestamps, the listing's today and check-in
 * instant from fixed zone offsets (late November and December: every listing zone on standard time),
 * the stay's phase and the score from the rule the tool states.
 */
import type { Runtime } from '../../src/server/runtime.js';

const OFFSET: Record<string, number> = {
  'America/New_York': -5,
  'America/Chicago': -6,
  'America/Denver': -7,
  'America/Phoenix': -7,
  'America/Los_Angeles': -8,
  'Pacific/Honolulu': -10,
};
const CLOSED = ['cancelled', 'declined', 'expired', 'inquiryDenied', 'inquiryTimedout', 'inquiryNotPossible'];
const HOUR = 3_600_000;

export interface Expected {
  conversationId: number;
  reservationId: number | null;
  listingId: number;
  listing: string;
  stay: string;
  arrivingSoon: boolean;
  hoursToCheckIn: number;
  waitingMinutes: number | null;
  unread: boolean;
  score: number;
  checkInAt: number;
}

const ms = (stamp: string) => Date.parse(`${stamp.replace(' ', 'T')}Z`);

export function offsetOf(zone: string): number {
  const offset = OFFSET[zone];
  if (offset === undefined) throw new Error(`the test knows no offset for ${zone}`);
  return offset;
}

/** The listing's calendar date at `now`, by shifting the instant by the zone's fixed offset. */
export function localToday(zone: string, now: number): string {
  return new Date(now + offsetOf(zone) * HOUR).toISOString().slice(0, 10);
}

function minusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Every waiting conversation among the `scan` most recent, with the test's own figures. */
export function waitingFromStore(runtime: Runtime, scan: number, now: number): Expected[] {
  const store = runtime.sandbox!.store();
  const stays = new Map(store.allReservations().map((r) => [r.id, r]));
  const out: Expected[] = [];
  for (const c of store.searchConversations(undefined).slice(0, scan)) {
    const received = c.messageReceivedOn ?? null;
    const sent = c.messageSentOn ?? null;
    const guestLast = received !== null && (sent === null || received > sent);
    const unread = Boolean(c.hasUnreadMessages);
    if (!guestLast && !unread) continue;
    const r = stays.get(c.reservationId as number);
    if (!r) throw new Error(`conversation ${c.id} has no stay in the store`);
    const listing = store.listing(r.listingMapId);
    const zone = listing.timeZoneName as string;
    const today = localToday(zone, now);
    let stay: string;
    if (CLOSED.includes(r.status)) stay = 'closed';
    else if (r.status === 'inquiry' || r.status === 'inquiryPreapproved')
      stay = r.departureDate < today ? 'past' : 'inquiry';
    else if (r.arrivalDate > today) stay = 'upcoming';
    else if (r.departureDate >= today) stay = 'current';
    else stay = r.departureDate >= minusDays(today, 3) ? 'recent' : 'past';
    const hour = r.checkInTime ?? listing.checkInTimeStart ?? 15;
    const checkInAt = Date.parse(`${r.arrivalDate}T00:00:00Z`) + (hour - offsetOf(zone)) * HOUR;
    const hoursToCheckIn = (checkInAt - now) / HOUR;
    const arrivingSoon = hoursToCheckIn >= 0 && hoursToCheckIn <= 48 && stay !== 'closed';
    const waitingMinutes = guestLast ? Math.round((now - ms(received as string)) / 60_000) : null;
    let score = arrivingSoon ? 100 : stay === 'current' ? 25 : 0;
    score += Math.round(Math.min(waitingMinutes ?? 0, 48 * 60) / 6) / 10;
    out.push({
      conversationId: c.id,
      reservationId: c.reservationId ?? null,
      listingId: listing.id,
      listing: listing.name,
      stay,
      arrivingSoon,
      hoursToCheckIn,
      waitingMinutes,
      unread,
      score,
      checkInAt,
    });
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      (b.waitingMinutes ?? -1) - (a.waitingMinutes ?? -1) ||
      a.conversationId - b.conversationId,
  );
}

/** The newest sent message the guest wrote in a conversation, straight from the store. */
export function lastGuestBody(runtime: Runtime, conversationId: number): string | null {
  const newestFirst = runtime.sandbox!.store().conversationMessages(conversationId, false);
  return newestFirst.find((m) => m.isIncoming)?.body ?? null;
}
