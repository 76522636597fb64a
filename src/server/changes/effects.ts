/**
 * What a change touches: the cached reads to drop, and the MCP resources whose content it changed (the
 * clients that listen are told "updated"). Pure, so the receiver, the poller and the tests agree.
 */
import type { CacheNamespace } from '../../client/options.js';
import type { AccountChange } from '../../domain/account-changes.js';

export const CHANGES_URI = 'hostaway://changes';
export const INBOX_URI = 'hostaway://inbox';
export const RESERVATION_URI_PREFIX = 'hostaway://reservations/';

export function reservationUri(id: number): string {
  return `${RESERVATION_URI_PREFIX}${id}`;
}

/**
 * A booking or a change moves the reservation lists, the calendar (its nights are held or freed) and the
 * conversation list (which attaches the stay); a guest's message moves the thread, the conversation list
 * (latest message, unread) and the reservations (latest activity, unread filter).
 */
export function cachedReadsTouched(change: Pick<AccountChange, 'kind'>): CacheNamespace[] {
  return change.kind === 'guest_message'
    ? ['messages', 'conversations', 'reservations']
    : ['reservations', 'calendar', 'conversations'];
}

export function resourcesTouched(change: Pick<AccountChange, 'kind' | 'reservationId'>): string[] {
  const uris = [CHANGES_URI];
  if (change.kind === 'guest_message') uris.push(INBOX_URI);
  if (change.reservationId !== null) uris.push(reservationUri(change.reservationId));
  return uris;
}
