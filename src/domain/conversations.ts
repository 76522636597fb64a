/** Who is waiting for a reply, and for how long. */
import { parseDateTime } from '../hostaway/dates.js';
import type { Conversation } from '../hostaway/schemas.js';

export interface ConversationState {
  /** Who wrote last. */
  lastFrom: 'guest' | 'host' | null;
  lastMessageAt: string | null;
  unread: boolean;
  /** Minutes the guest has been waiting, when the guest wrote last. */
  waitingMinutes: number | null;
}

export function conversationState(c: Conversation, now: number): ConversationState {
  const received = c.messageReceivedOn ?? null;
  const sent = c.messageSentOn ?? null;
  const lastFrom = !received && !sent ? null : (received ?? '') > (sent ?? '') ? 'guest' : 'host';
  const lastMessageAt = lastFrom === 'guest' ? received : sent;
  const waitingMinutes =
    lastFrom === 'guest' && received
      ? Math.max(0, Math.round((now - parseDateTime(received)) / 60_000))
      : null;
  return { lastFrom, lastMessageAt, unread: Boolean(c.hasUnreadMessages), waitingMinutes };
}
