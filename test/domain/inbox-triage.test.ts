import { describe, expect, it } from 'vitest';
import {
  byUrgency,
  excerpt,
  formatWait,
  isArrivingSoon,
  isWaiting,
  latestGuestMessage,
  urgencyScore,
} from '../../src/domain/inbox-triage.js';

describe('urgencyScore', () => {
  it('adds 100 for a check-in within 48 hours, 25 in house, and the hours waited to a tenth', () => {
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: null })).toBe(0);
    expect(urgencyScore({ arrivingSoon: true, inHouse: false, waitingMinutes: null })).toBe(100);
    expect(urgencyScore({ arrivingSoon: false, inHouse: true, waitingMinutes: 0 })).toBe(25);
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: 90 })).toBe(1.5);
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: 125 })).toBe(2.1);
    expect(urgencyScore({ arrivingSoon: true, inHouse: false, waitingMinutes: 30 })).toBe(100.5);
    expect(urgencyScore({ arrivingSoon: false, inHouse: true, waitingMinutes: 600 })).toBe(35);
  });

  it('counts at most 48 hours of waiting, and never a negative wait', () => {
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: 48 * 60 })).toBe(48);
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: 10 * 24 * 60 })).toBe(48);
    expect(urgencyScore({ arrivingSoon: false, inHouse: false, waitingMinutes: -30 })).toBe(0);
  });

  it('on arrival day before check-in the guest is arriving, not also in house', () => {
    expect(urgencyScore({ arrivingSoon: true, inHouse: true, waitingMinutes: 60 })).toBe(101);
  });

  it('any guest arriving within two days outranks every guest who is not, however long they waited', () => {
    const soon = urgencyScore({ arrivingSoon: true, inHouse: false, waitingMinutes: 0 });
    const longest = urgencyScore({ arrivingSoon: false, inHouse: true, waitingMinutes: 100_000 });
    expect(soon).toBeGreaterThan(longest);
  });
});

describe('byUrgency', () => {
  it('orders by score, then the longer wait, then the lower conversation id', () => {
    const rows = [
      { score: 10, waitingMinutes: 600, conversationId: 5 },
      { score: 101, waitingMinutes: 60, conversationId: 9 },
      { score: 10, waitingMinutes: null, conversationId: 1 },
      { score: 10, waitingMinutes: 600, conversationId: 2 },
      { score: 10, waitingMinutes: 601, conversationId: 7 },
    ];
    expect([...rows].sort(byUrgency).map((r) => r.conversationId)).toEqual([9, 7, 2, 5, 1]);
  });
});

describe('isWaiting and isArrivingSoon', () => {
  it('a guest waits when they wrote last or the thread is unread', () => {
    expect(isWaiting('guest', false)).toBe(true);
    expect(isWaiting('host', true)).toBe(true);
    expect(isWaiting(null, true)).toBe(true);
    expect(isWaiting('host', false)).toBe(false);
    expect(isWaiting(null, false)).toBe(false);
  });

  it('soon means check-in from now to 48 hours ahead, both included, and not for a closed booking', () => {
    expect(isArrivingSoon(0, false)).toBe(true);
    expect(isArrivingSoon(48, false)).toBe(true);
    expect(isArrivingSoon(48.01, false)).toBe(false);
    expect(isArrivingSoon(-0.01, false)).toBe(false);
    expect(isArrivingSoon(null, false)).toBe(false);
    expect(isArrivingSoon(10, true)).toBe(false);
  });
});

describe('excerpt', () => {
  it('keeps a short text whole, with whitespace runs made single spaces', () => {
    expect(excerpt('  Hi,\n\n what is   the wifi?  ')).toEqual({ text: 'Hi, what is the wifi?', cut: false });
    expect(excerpt('x'.repeat(300))).toEqual({ text: 'x'.repeat(300), cut: false });
  });

  it('cuts a longer text to 300 characters, the last an ellipsis', () => {
    const out = excerpt('y'.repeat(301));
    expect(out.cut).toBe(true);
    expect(out.text).toHaveLength(300);
    expect(out.text.endsWith('y…')).toBe(true);
    expect(excerpt('a b c d e f', 6)).toEqual({ text: 'a b c…', cut: true });
    expect(excerpt('a b   c d e f', 5)).toEqual({ text: 'a b…', cut: true });
  });

  it('never splits an emoji in two', () => {
    // The cut falls between the two halves of the emoji: it goes whole.
    const out = excerpt(`${'z'.repeat(298)}😀😀`);
    expect(out.text).toBe(`${'z'.repeat(298)}…`);
    // The cut falls after it: it stays.
    expect(excerpt(`${'z'.repeat(297)}😀😀😀`).text).toBe(`${'z'.repeat(297)}😀…`);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(out.text)).toBe(false);
  });
});

describe('latestGuestMessage', () => {
  it('picks the newest incoming message by time, then id, skipping the host', () => {
    const m = (id: number, isIncoming: 0 | 1, date: string | null, insertedOn: string | null = null) => ({
      id,
      isIncoming,
      date,
      insertedOn,
      body: `m${id}`,
    });
    expect(latestGuestMessage([m(1, 1, '2026-11-24 10:00:00'), m(2, 0, '2026-11-25 10:00:00')])?.id).toBe(1);
    expect(
      latestGuestMessage([
        m(3, 1, '2026-11-24 10:00:00'),
        m(4, 1, '2026-11-25 09:00:00'),
        m(5, 1, null, '2026-11-23 09:00:00'),
      ])?.id,
    ).toBe(4);
    expect(latestGuestMessage([m(6, 1, '2026-11-25 09:00:00'), m(7, 1, '2026-11-25 09:00:00')])?.id).toBe(7);
    expect(latestGuestMessage([m(8, 0, '2026-11-25 09:00:00')])).toBeNull();
    expect(latestGuestMessage(null)).toBeNull();
  });
});

describe('formatWait', () => {
  it('reads as minutes, hours and days', () => {
    expect(formatWait(45)).toBe('45 min');
    expect(formatWait(60)).toBe('1 h');
    expect(formatWait(185)).toBe('3 h 5 min');
    expect(formatWait(24 * 60)).toBe('1 d');
    expect(formatWait(52 * 60 + 10)).toBe('2 d 4 h');
  });
});
