/**
 * Account changes from what Hostaway says: a unified-webhook delivery, or what the polling fallback
 * reads (the reservations list, newest update first, and the conversations list with each one's latest
 * message). Both give the same key for the same fact, so a change found by both is recorded once.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Conversation, ConversationMessage, Reservation, WebhookDelivery } from '../hostaway/schemas.js';
import { Flag } from '../hostaway/schemas.js';
import type { AccountChange, ChangeSource, ChangeSummary } from './account-changes.js';
import { channelLabel } from './channels.js';

/** The longest guest-message excerpt kept with a change (the thread holds the rest). */
export const EXCERPT_CHARS = 280;

/** What a delivery needs for us to use it; everything else of the object passes through unread. */
const DeliveredReservation = z.looseObject({
  id: z.number().int().positive(),
  listingMapId: z.number().int().nullish(),
  channelId: z.number().int().nullish(),
  channelName: z.string().nullish(),
  status: z.string().nullish(),
  guestName: z.string().nullish(),
  guestFirstName: z.string().nullish(),
  guestLastName: z.string().nullish(),
  arrivalDate: z.string().nullish(),
  departureDate: z.string().nullish(),
  nights: z.number().nullish(),
  totalPrice: z.number().nullish(),
  currency: z.string().nullish(),
  insertedOn: z.string().nullish(),
  updatedOn: z.string().nullish(),
  latestActivityOn: z.string().nullish(),
});
type DeliveredReservation = z.infer<typeof DeliveredReservation>;

const DeliveredMessage = z.looseObject({
  id: z.number().int().positive(),
  conversationId: z.number().int().nullish(),
  reservationId: z.number().int().nullish(),
  listingMapId: z.number().int().nullish(),
  body: z.string().nullish(),
  isIncoming: Flag.nullish(),
  date: z.string().nullish(),
  insertedOn: z.string().nullish(),
});

export type FromDelivery =
  | { change: AccountChange }
  /** Not an error: an event we do not follow (yet), or one that is not about a guest. */
  | { ignored: string };

/** The change a unified-webhook delivery tells of, or why it tells of none. */
export function changeFromDelivery(
  delivery: WebhookDelivery,
  account: string,
  receivedAt: number,
): FromDelivery {
  const event = delivery.event ?? delivery.eventType ?? '';
  if (event === 'reservation.created' || event === 'reservation.updated') {
    const parsed = DeliveredReservation.safeParse(delivery.data);
    if (!parsed.success) return { ignored: `${event} without a reservation object (data.id)` };
    return {
      change: reservationChange(
        parsed.data,
        account,
        event === 'reservation.created' ? 'booking' : 'change',
        'webhook',
        receivedAt,
      ),
    };
  }
  if (event === 'message.received') {
    const parsed = DeliveredMessage.safeParse(delivery.data);
    if (!parsed.success) return { ignored: 'message.received without a message object (data.id)' };
    const m = parsed.data;
    if (m.isIncoming === 0 || m.isIncoming === false)
      return { ignored: 'a message from the host, not a guest' };
    return {
      change: messageChange(
        {
          id: m.id,
          conversationId: m.conversationId ?? null,
          reservationId: m.reservationId ?? null,
          listingId: m.listingMapId ?? delivery.listingMapId ?? null,
          body: m.body ?? '',
          at: m.date ?? m.insertedOn ?? null,
        },
        account,
        'webhook',
        receivedAt,
      ),
    };
  }
  return { ignored: event ? `event "${event}" is not followed` : 'a delivery without an event name' };
}

/**
 * A reservation read by the poller: a booking when it was created after `since` (the poller's
 * watermark), a change otherwise.
 */
export function changeFromPolledReservation(
  r: Reservation,
  account: string,
  since: string,
  receivedAt: number,
): AccountChange {
  const created = (r.insertedOn ?? '') >= since;
  return reservationChange(
    DeliveredReservation.parse(r),
    account,
    created ? 'booking' : 'change',
    'poll',
    receivedAt,
  );
}

/**
 * A conversation read by the poller, with its latest message attached (`includeResources=1`): a guest
 * message when the latest message is the guest's and came after `since`.
 */
export function changeFromPolledConversation(
  c: Conversation,
  account: string,
  since: string,
  receivedAt: number,
): AccountChange | undefined {
  const latest: ConversationMessage | undefined = c.conversationMessages?.[0] ?? undefined;
  if (!latest || !(latest.isIncoming === 1 || latest.isIncoming === true)) return undefined;
  const at = latest.date ?? latest.insertedOn ?? c.messageReceivedOn ?? '';
  if (at < since) return undefined;
  const change = messageChange(
    {
      id: latest.id,
      conversationId: c.id,
      reservationId: latest.reservationId ?? numberOrNull(c.reservationId),
      listingId: latest.listingMapId ?? c.listingMapId ?? null,
      body: latest.body ?? '',
      at,
    },
    account,
    'poll',
    receivedAt,
  );
  const guest = c.Reservation?.guestName ?? null;
  if (guest) change.summary.guest = guest;
  return change;
}

function reservationChange(
  r: DeliveredReservation,
  account: string,
  kind: 'booking' | 'change',
  source: ChangeSource,
  receivedAt: number,
): AccountChange {
  const summary: ChangeSummary = {
    status: r.status ?? null,
    guest: r.guestName ?? ([r.guestFirstName, r.guestLastName].filter(Boolean).join(' ') || null),
    arrival: r.arrivalDate ?? null,
    departure: r.departureDate ?? null,
    channel: r.channelId != null ? channelLabel(r.channelId, r.channelName) : (r.channelName ?? null),
    nights: r.nights ?? null,
    total: r.totalPrice ?? null,
    currency: r.currency ?? null,
  };
  // Hostaway bumps updatedOn on every change, to the second: two changes within one second share it, so
  // the content is part of the key too (the same fact seen twice has the same content).
  const version = r.updatedOn ?? r.latestActivityOn ?? r.insertedOn ?? stamp(receivedAt);
  const tag = `${r.updatedOn ?? ''}#${digest(summary)}`;
  return {
    account,
    key: `reservation:${r.id}@${tag}`,
    kind,
    entity: `reservation:${r.id}`,
    version,
    reservationId: r.id,
    listingId: r.listingMapId ?? null,
    conversationId: null,
    source,
    summary,
  };
}

interface MessageFacts {
  id: number;
  conversationId: number | null;
  reservationId: number | null;
  listingId: number | null;
  body: string;
  at: string | null;
}

function messageChange(
  m: MessageFacts,
  account: string,
  source: ChangeSource,
  receivedAt: number,
): AccountChange {
  const text = m.body.trim();
  return {
    account,
    key: `message:${m.id}`,
    kind: 'guest_message',
    entity: `message:${m.id}`,
    version: m.at ?? stamp(receivedAt),
    reservationId: m.reservationId,
    listingId: m.listingId,
    conversationId: m.conversationId,
    source,
    summary: { excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text },
  };
}

function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Epoch milliseconds as Hostaway writes its times: `YYYY-MM-DD HH:MM:SS`, UTC. */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
