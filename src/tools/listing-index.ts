/**
 * The account's listings by id, with the name and time zone every answer needs, from the cached
 * listings list (one request per five minutes at most). A listing's zone decides its "today".
 */
import type { HostawayClient } from '../client/client.js';
import { checkDate } from '../domain/dates.js';
import { isRelativeDate, resolveDate } from '../domain/relative-dates.js';
import { hoursUntilCheckIn, type StayPhase, stayPhase } from '../domain/stay-phase.js';
import { dateInZone } from '../hostaway/dates.js';
import type { Conversation } from '../hostaway/schemas.js';

/** When neither the stay nor its listing says, check-in is taken to start at this hour. */
export const DEFAULT_CHECK_IN_HOUR = 15;

export interface ListingInfo {
  name: string;
  /** IANA zone; UTC when Hostaway gives none. */
  timeZone: string;
  /** The hour check-in starts, local time, when the listing says. */
  checkInHour: number | null;
  /** Hostaway marks it archived (`specialStatus`): kept for its history, no longer rented out. */
  archived: boolean;
}

export type ListingIndex = Map<number, ListingInfo>;

export async function listingIndex(client: HostawayClient, signal: AbortSignal): Promise<ListingIndex> {
  const all = await client.listings.all({}, { signal, maxItems: 5_000 });
  return new Map(
    all.items.map((l) => [
      l.id,
      {
        name: l.name,
        timeZone: l.timeZoneName || 'UTC',
        checkInHour: l.checkInTimeStart ?? null,
        archived: l.specialStatus === 'archived',
      },
    ]),
  );
}

/** The zone most listings use (UTC for an empty account): for dates that belong to no one listing. */
export function mainZone(index: ListingIndex): string {
  const counts = new Map<string, number>();
  for (const { timeZone } of index.values()) counts.set(timeZone, (counts.get(timeZone) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'UTC';
}

/** The zones the listings use. */
export function zonesOf(index: ListingIndex): Set<string> {
  return new Set([...index.values()].map((l) => l.timeZone));
}

/** A date argument resolved in a zone and checked: the YYYY-MM-DD it means there. */
export function dateIn(name: string, value: string, timeZone: string, now: number): string {
  const date = resolveDate(value, timeZone, now);
  checkDate(name, date);
  return date;
}

/** A conversation's stay as every conversation tool reads it: where, in which zone, what phase, how soon. */
export interface ConversationStay {
  reservation: NonNullable<Conversation['Reservation']> | null;
  listingId: number | null;
  listing: ListingInfo | undefined;
  zone: string;
  stay: StayPhase | null;
  /** Hours until check-in (negative once passed); null without a stay. */
  hoursToCheckIn: number | null;
}

export function conversationStay(c: Conversation, index: ListingIndex, now: number): ConversationStay {
  const reservation = c.Reservation ?? null;
  const listingId = c.listingMapId ?? reservation?.listingMapId ?? null;
  const listing = listingId ? index.get(listingId) : undefined;
  const zone = listing?.timeZone ?? 'UTC';
  const r = reservation;
  return {
    reservation,
    listingId,
    listing,
    zone,
    stay: r ? stayPhase(r.status, r.arrivalDate, r.departureDate, dateInZone(now, zone)) : null,
    hoursToCheckIn: r
      ? hoursUntilCheckIn(
          r.arrivalDate,
          r.checkInTime ?? listing?.checkInHour ?? DEFAULT_CHECK_IN_HOUR,
          zone,
          now,
        )
      : null,
  };
}

export { isRelativeDate };
