import { describe, expect, it } from 'vitest';
import { taskInRange, taskKind, taskTimes, waitingGuests } from '../../src/domain/brief-work.js';
import type { Conversation, Task } from '../../src/hostaway/schemas.js';

const task = (over: Partial<Task>): Task => ({ id: 1, title: 'Clean', status: 'pending', ...over });

describe('tasks of the range', () => {
  it('kinds from categoriesMap, as the task object page numbers them', () => {
    expect(taskKind([1])).toBe('cleaning');
    expect(taskKind([2, 6])).toBe('maintenance, other');
    expect(taskKind([9])).toBe('category 9');
    expect(taskKind(null)).toBeNull();
    expect(taskKind([])).toBeNull();
  });

  it("times in the listing's zone from the UTC fields; the listing-time copy when there is no UTC one", () => {
    const t = task({ canStartFrom: '2026-11-29 04:00:00', shouldEndBy: '2026-11-29 21:00:00' });
    expect(taskTimes(t, 'America/Los_Angeles')).toEqual({
      start: '2026-11-28 20:00',
      due: '2026-11-29 13:00',
    });
    const copy = task({ canStartFromListingTime: '2026-11-28 11:00:00' });
    expect(taskTimes(copy, 'UTC')).toEqual({ start: '2026-11-28 11:00', due: null });
  });

  it('a task belongs to the range when its start-to-due span meets a day of it, cancelled ones never', () => {
    const day = { from: '2026-11-28', to: '2026-11-28' };
    const at = (start: string | null, due: string | null, status = 'pending') =>
      taskInRange(task({ status }), { start, due }, day);
    expect(at('2026-11-27 11:00', '2026-11-28 15:00')).toBe(true); // due today
    expect(at('2026-11-28 11:00', '2026-11-29 16:00')).toBe(true); // starts today
    expect(at('2026-11-20 09:00', '2026-12-02 09:00')).toBe(true); // spans it
    expect(at('2026-11-26 11:00', '2026-11-27 23:59')).toBe(false);
    expect(at('2026-11-29 00:00', '2026-11-30 12:00')).toBe(false);
    expect(at(null, '2026-11-28 12:00')).toBe(true);
    expect(at('2026-11-28 12:00', null)).toBe(true);
    expect(at(null, null)).toBe(false);
    expect(at('2026-11-28 11:00', '2026-11-28 15:00', 'cancelled')).toBe(false);
    expect(at('2026-11-28 11:00', '2026-11-28 15:00', 'completed')).toBe(true);
  });
});

describe('guests waiting for a reply', () => {
  const NOW = Date.parse('2026-11-29T03:30:00Z'); // the 28th in Los Angeles
  const conv = (
    id: number,
    r: { status: string; arrivalDate: string; departureDate: string } | null,
    received: string | null,
    sent: string | null,
  ): Conversation => ({
    id,
    listingMapId: 7,
    reservationId: r ? id * 10 : null,
    recipientName: `Guest ${id}`,
    hasUnreadMessages: 1,
    messageReceivedOn: received,
    messageSentOn: sent,
    Reservation: r
      ? {
          id: id * 10,
          listingMapId: 7,
          channelId: 2018,
          channelName: 'airbnbOfficial',
          reservationId: 'x',
          hostawayReservationId: id * 10,
          ...r,
        }
      : null,
  });
  const zone = () => 'America/Los_Angeles';

  it('guest wrote last, stay current or upcoming on the listing’s today; longest wait first', () => {
    const list = [
      conv(
        1,
        { status: 'new', arrivalDate: '2026-11-28', departureDate: '2026-12-01' },
        '2026-11-29 03:00:00',
        null,
      ),
      conv(
        2,
        { status: 'new', arrivalDate: '2026-12-10', departureDate: '2026-12-12' },
        '2026-11-28 03:30:00',
        '2026-11-27 10:00:00',
      ),
      // Departure day in Los Angeles (UTC already says the 29th): still current.
      conv(
        3,
        { status: 'modified', arrivalDate: '2026-11-20', departureDate: '2026-11-28' },
        '2026-11-29 01:30:00',
        null,
      ),
      conv(
        4,
        { status: 'new', arrivalDate: '2026-11-20', departureDate: '2026-11-27' },
        '2026-11-29 01:00:00',
        null,
      ), // gone
      conv(
        5,
        { status: 'cancelled', arrivalDate: '2026-12-10', departureDate: '2026-12-12' },
        '2026-11-29 01:00:00',
        null,
      ),
      conv(
        6,
        { status: 'inquiry', arrivalDate: '2026-12-10', departureDate: '2026-12-12' },
        '2026-11-29 01:00:00',
        null,
      ),
      conv(
        7,
        { status: 'new', arrivalDate: '2026-12-10', departureDate: '2026-12-12' },
        '2026-11-28 01:00:00',
        '2026-11-28 02:00:00',
      ), // answered
      conv(8, null, '2026-11-29 01:00:00', null), // no stay
      conv(
        9,
        { status: 'unknown', arrivalDate: '2026-12-10', departureDate: '2026-12-12' },
        '2026-11-29 01:00:00',
        null,
      ),
    ];
    const w = waitingGuests(list, zone, NOW);
    expect(w.map((x) => [x.conversationId, x.stay, x.waitingMinutes])).toEqual([
      [2, 'upcoming', 1440],
      [3, 'current', 120],
      [1, 'current', 30],
    ]);
    expect(w[0]).toMatchObject({ reservationId: 20, listingId: 7, guest: 'Guest 2', unread: true });
  });
});
