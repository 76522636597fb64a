/**
 * What the operations brief asks of Hostaway, in as few requests as the list endpoints allow and never
 * one per listing: the listings (cached for minutes), the stays overlapping the range, the tasks around
 * it and the most recent conversations at once; then, only when needed, the guests' earlier stays and
 * the availability of the nights nobody holds. Each part says what it left out.
 */
import type { HostawayClient } from '../client/client.js';
import type { BriefListing, StayRecord } from '../domain/brief-stays.js';
import { addDays } from '../hostaway/dates.js';
import type { Conversation, Task } from '../hostaway/schemas.js';
import { walkTasks } from './tasks-read.js';

/** Reservations per page: the docs' default is 100 and name no maximum; integrations commonly ask 500. */
export const RESERVATION_PAGE = 500;
/** The most stays one brief reads (a week of a large account fits many times over). */
const MAX_STAYS = 5_000;
/** How far back a guest's earlier stays are looked for, at most (one page of the latest arrivals). */
export const HISTORY_DAYS = 365;
/** Conversations per page, and how many are looked through: four per listing, 100 to 1,000. */
const CONVERSATION_PAGE = 200;
/** Availability searches in flight at once. */
const NIGHTS_AT_ONCE = 3;
export const conversationScan = (listings: number) => Math.min(1_000, Math.max(100, listings * 4));

/** Every listing with its zone and hours, from the same cached list every tool reads. */
export async function briefListings(client: HostawayClient, signal: AbortSignal): Promise<BriefListing[]> {
  const all = await client.listings.all({}, { signal, maxItems: 5_000 });
  return all.items.map((l) => ({
    id: l.id,
    name: l.name,
    timeZone: l.timeZoneName || 'UTC',
    checkInHour: l.checkInTimeStart ?? null,
    checkOutHour: l.checkOutTime ?? null,
    archived: l.specialStatus === 'archived',
  }));
}

/** Stays that arrive by `to` and leave from `from` on: every stay the range sees. `includePayments` fills remainingBalance. */
export async function staysOverlapping(
  client: HostawayClient,
  span: { from: string; to: string },
  signal: AbortSignal,
): Promise<{ stays: StayRecord[]; cut: string | null }> {
  const got = await client.reservations.all(
    { departureStartDate: span.from, arrivalEndDate: span.to, includePayments: true },
    { pageSize: RESERVATION_PAGE, maxItems: MAX_STAYS, signal },
  );
  return {
    stays: got.items,
    cut: got.truncated ? `stays: the first ${got.items.length} of ${got.total ?? 'more'} read` : null,
  };
}

/** Tasks that may start by the day after the span and are due from the day before it (UTC dates cover every zone). */
export async function tasksAround(
  client: HostawayClient,
  span: { from: string; to: string },
  signal: AbortSignal,
): Promise<{ tasks: Task[]; cut: string | null }> {
  const got = await walkTasks(
    client,
    { canStartFromEnd: addDays(span.to, 1), shouldEndByStart: addDays(span.from, -1) },
    signal,
  );
  return {
    tasks: got.items,
    cut: got.truncated ? `tasks: the first ${got.items.length} of ${got.total ?? 'more'} read` : null,
  };
}

/** The most recent conversations, each with its reservation, newest message first. */
export async function recentConversations(
  client: HostawayClient,
  scan: number,
  signal: AbortSignal,
): Promise<{ conversations: Conversation[]; cut: string | null }> {
  const conversations: Conversation[] = [];
  let total: number | null = null;
  for (let offset = 0; offset < scan; offset += CONVERSATION_PAGE) {
    const limit = Math.min(CONVERSATION_PAGE, scan - offset);
    const page = await client.conversations.list({ limit, offset, includeResources: true }, signal);
    total ??= page.count;
    conversations.push(...page.items);
    if (page.items.length < limit) break;
  }
  const more = total !== null ? total > conversations.length : conversations.length >= scan;
  const oldest = conversations
    .map((c) => [c.messageReceivedOn, c.messageSentOn].filter(Boolean).sort().at(-1))
    .filter((d): d is string => Boolean(d))
    .sort()[0];
  return {
    conversations,
    cut: more
      ? `waiting guests and unread flags: the ${conversations.length} most recent conversations of ${total ?? 'more'} looked through${oldest ? ` (last messages back to ${oldest.slice(0, 10)})` : ''}`
      : null,
  };
}

/**
 * The latest stays that arrived in the year before `from` (one page), for telling returning guests;
 * `since` is the first arrival date from which they are complete.
 */
export async function earlierStays(
  client: HostawayClient,
  from: string,
  signal: AbortSignal,
): Promise<{ stays: StayRecord[]; since: string; cut: string | null }> {
  const start = addDays(from, -HISTORY_DAYS);
  const page = await client.reservations.list(
    {
      arrivalStartDate: start,
      arrivalEndDate: addDays(from, -1),
      sortOrder: 'arrivalDateDesc',
      limit: RESERVATION_PAGE,
    },
    signal,
  );
  const more = page.count !== null ? page.count > page.items.length : page.nextCursor !== null;
  // Cut short, the page's oldest day may be only partly read: the stays are complete from the day after.
  const since = more ? addDays(page.items.at(-1)?.arrivalDate ?? addDays(from, -1), 1) : start;
  return {
    stays: page.items.filter((s) => s.arrivalDate >= since),
    since,
    cut: more
      ? `returning guests: earlier stays looked through back to ${since} (the latest ${page.items.length} of ${page.count ?? 'more'} arrivals in the year before)`
      : null,
  };
}

/**
 * The listings Hostaway's availability search offers for one night (check-in that day, check-out the
 * next), per night asked: a vacant listing missing from a night's answer is closed that night.
 */
export async function openListingsByNight(
  client: HostawayClient,
  nights: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  // A few nights at a time: the rate budget spaces them anyway, and each waiting read listens on the signal.
  for (let i = 0; i < nights.length; i += NIGHTS_AT_ONCE) {
    const answers = await Promise.all(
      nights.slice(i, i + NIGHTS_AT_ONCE).map(async (night) => {
        const open = await client.listings.all(
          { availabilityDateStart: night, availabilityDateEnd: addDays(night, 1) },
          { signal, maxItems: 5_000 },
        );
        return [night, new Set(open.items.map((l) => l.id))] as const;
      }),
    );
    for (const [night, open] of answers) out.set(night, open);
  }
  return out;
}
