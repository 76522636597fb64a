import { describe, expect, it } from 'vitest';
import { conversationState } from '../../src/domain/conversations.js';
import type { Conversation } from '../../src/hostaway/schemas.js';

const conv = (fields: Partial<Conversation>): Conversation => ({ id: 1, ...fields });
const at = (stamp: string) => Date.parse(`${stamp.replace(' ', 'T')}Z`);

describe('conversationState: who wrote last, and how long the guest has waited', () => {
  it('the guest wrote last: waiting minutes are rounded from the last received message', () => {
    const c = conv({
      messageReceivedOn: '2026-11-25 10:00:00',
      messageSentOn: '2026-11-25 09:00:00',
      hasUnreadMessages: 1,
    });
    expect(conversationState(c, at('2026-11-25 11:30:20'))).toEqual({
      lastFrom: 'guest',
      lastMessageAt: '2026-11-25 10:00:00',
      unread: true,
      waitingMinutes: 90,
    });
    // 90 minutes and 40 seconds round up.
    expect(conversationState(c, at('2026-11-25 11:30:40')).waitingMinutes).toBe(91);
  });

  it('a guest message and no host reply yet: still the guest waiting', () => {
    const c = conv({ messageReceivedOn: '2026-11-25 10:00:00', messageSentOn: null });
    expect(conversationState(c, at('2026-11-25 10:05:00'))).toEqual({
      lastFrom: 'guest',
      lastMessageAt: '2026-11-25 10:00:00',
      unread: false,
      waitingMinutes: 5,
    });
  });

  it('a clock behind the last message waits 0 minutes, never a negative wait', () => {
    const c = conv({ messageReceivedOn: '2026-11-25 10:00:00' });
    expect(conversationState(c, at('2026-11-25 09:00:00')).waitingMinutes).toBe(0);
  });

  it('the host wrote last (or at the same second): nobody is waiting', () => {
    const later = conv({
      messageReceivedOn: '2026-11-25 10:00:00',
      messageSentOn: '2026-11-25 10:30:00',
      hasUnreadMessages: 0,
    });
    expect(conversationState(later, at('2026-11-25 12:00:00'))).toEqual({
      lastFrom: 'host',
      lastMessageAt: '2026-11-25 10:30:00',
      unread: false,
      waitingMinutes: null,
    });
    const same = conv({ messageReceivedOn: '2026-11-25 10:00:00', messageSentOn: '2026-11-25 10:00:00' });
    expect(conversationState(same, at('2026-11-25 12:00:00')).lastFrom).toBe('host');
    const onlySent = conv({ messageSentOn: '2026-11-25 10:00:00' });
    expect(conversationState(onlySent, at('2026-11-25 12:00:00'))).toMatchObject({
      lastFrom: 'host',
      lastMessageAt: '2026-11-25 10:00:00',
      waitingMinutes: null,
    });
  });

  it('no message either way: nobody wrote, nobody waits', () => {
    expect(conversationState(conv({ hasUnreadMessages: true }), at('2026-11-25 12:00:00'))).toEqual({
      lastFrom: null,
      lastMessageAt: null,
      unread: true,
      waitingMinutes: null,
    });
  });
});
