import { describe, expect, it } from 'vitest';
import { type AccountChange, isStale, resolveKind } from '../../src/domain/account-changes.js';
import {
  changeFromDelivery,
  changeFromPolledConversation,
  changeFromPolledReservation,
  EXCERPT_CHARS,
  stamp,
} from '../../src/domain/change-sources.js';
import type { Conversation, Reservation } from '../../src/hostaway/schemas.js';

const RECEIVED = Date.parse('2026-11-29T12:00:00Z');

const reservation = (fields: Record<string, unknown> = {}) => ({
  id: 501,
  listingMapId: 40160,
  channelId: 2018,
  channelName: 'airbnbOfficial',
  status: 'new',
  guestName: 'Ana Silva',
  arrivalDate: '2026-12-03',
  departureDate: '2026-12-07',
  nights: 4,
  totalPrice: 820,
  currency: 'EUR',
  insertedOn: '2026-11-29 11:58:00',
  updatedOn: '2026-11-29 11:58:00',
  ...fields,
});

describe('changeFromDelivery: a unified-webhook delivery as an account change', () => {
  it('reservation.created is a booking keyed by the reservation and its updatedOn', () => {
    const found = changeFromDelivery(
      { event: 'reservation.created', object: 'reservation', accountId: 10450, data: reservation() },
      '10450',
      RECEIVED,
    );
    expect(found).toEqual({
      change: {
        account: '10450',
        key: expect.stringMatching(/^reservation:501@2026-11-29 11:58:00#[0-9a-f]{16}$/),
        kind: 'booking',
        entity: 'reservation:501',
        version: '2026-11-29 11:58:00',
        reservationId: 501,
        listingId: 40160,
        conversationId: null,
        source: 'webhook',
        summary: {
          status: 'new',
          guest: 'Ana Silva',
          arrival: '2026-12-03',
          departure: '2026-12-07',
          channel: 'Airbnb',
          nights: 4,
          total: 820,
          currency: 'EUR',
        },
      },
    });
  });

  it('reservation.updated is a change; the event name may come as eventType', () => {
    const found = changeFromDelivery(
      { eventType: 'reservation.updated', data: reservation({ updatedOn: '2026-11-29 12:10:00' }) },
      '10450',
      RECEIVED,
    );
    expect('change' in found && found.change.kind).toBe('change');
    expect('change' in found && found.change.key).toMatch(/^reservation:501@2026-11-29 12:10:00#/);
  });

  it('two changes within one second (same updatedOn) are two facts; the same one twice is one', () => {
    const first = changeFromDelivery({ event: 'reservation.updated', data: reservation() }, '1', RECEIVED);
    const again = changeFromDelivery(
      { event: 'reservation.updated', data: reservation() },
      '1',
      RECEIVED + 1,
    );
    const other = changeFromDelivery(
      { event: 'reservation.updated', data: reservation({ status: 'cancelled' }) },
      '1',
      RECEIVED,
    );
    const key = (f: typeof first) => ('change' in f ? f.change.key : undefined);
    expect(key(again)).toBe(key(first));
    expect(key(other)).not.toBe(key(first));
  });

  it('a reservation without updatedOn is keyed by its content, so a repeat is still one fact', () => {
    const data = reservation({ updatedOn: undefined, insertedOn: undefined });
    const a = changeFromDelivery({ event: 'reservation.updated', data }, '1', RECEIVED);
    const b = changeFromDelivery({ event: 'reservation.updated', data }, '1', RECEIVED + 5_000);
    const c = changeFromDelivery(
      { event: 'reservation.updated', data: { ...data, status: 'cancelled' } },
      '1',
      RECEIVED,
    );
    const key = (f: typeof a) => ('change' in f ? f.change.key : undefined);
    expect(key(a)).toMatch(/^reservation:501@#[0-9a-f]{16}$/);
    expect(key(b)).toBe(key(a));
    expect(key(c)).not.toBe(key(a));
  });

  it('message.received from a guest is a guest message keyed by the message id, its text cut short', () => {
    const long = 'x'.repeat(EXCERPT_CHARS + 50);
    const found = changeFromDelivery(
      {
        event: 'message.received',
        object: 'conversationMessage',
        data: {
          id: 9001,
          conversationId: 77,
          reservationId: 501,
          listingMapId: 40160,
          body: long,
          isIncoming: 1,
          date: '2026-11-29 11:59:00',
        },
      },
      '10450',
      RECEIVED,
    );
    if (!('change' in found)) throw new Error('expected a change');
    expect(found.change).toMatchObject({
      key: 'message:9001',
      kind: 'guest_message',
      entity: 'message:9001',
      version: '2026-11-29 11:59:00',
      reservationId: 501,
      conversationId: 77,
    });
    expect(found.change.summary.excerpt).toHaveLength(EXCERPT_CHARS);
    expect(found.change.summary.excerpt?.endsWith('…')).toBe(true);
  });

  it('ignores, with a reason, what is not a followed event or not about a guest', () => {
    expect(changeFromDelivery({ event: 'listing.updated', data: {} }, '1', RECEIVED)).toEqual({
      ignored: 'event "listing.updated" is not followed',
    });
    expect(changeFromDelivery({}, '1', RECEIVED)).toEqual({ ignored: 'a delivery without an event name' });
    expect(
      changeFromDelivery({ event: 'reservation.created', data: { nope: 1 } }, '1', RECEIVED),
    ).toHaveProperty('ignored');
    expect(
      changeFromDelivery(
        { event: 'message.received', data: { id: 1, conversationId: 2, body: 'hi', isIncoming: 0 } },
        '1',
        RECEIVED,
      ),
    ).toEqual({ ignored: 'a message from the host, not a guest' });
  });
});

describe('the poller finds the same facts under the same keys', () => {
  it('a reservation created after the watermark is a booking, one updated after it a change', () => {
    const created = changeFromPolledReservation(
      reservation() as Reservation,
      '1',
      '2026-11-29 11:50:00',
      RECEIVED,
    );
    expect(created).toMatchObject({
      kind: 'booking',
      key: expect.stringMatching(/^reservation:501@2026-11-29 11:58:00#[0-9a-f]{16}$/),
      source: 'poll',
    });
    const old = changeFromPolledReservation(
      reservation({ insertedOn: '2026-10-01 09:00:00' }) as Reservation,
      '1',
      '2026-11-29 11:50:00',
      RECEIVED,
    );
    expect(old.kind).toBe('change');
    const hooked = changeFromDelivery({ event: 'reservation.created', data: reservation() }, '1', RECEIVED);
    expect('change' in hooked && hooked.change.key).toBe(created.key);
  });

  it("a conversation whose latest message is the guest's, after the watermark, is a guest message", () => {
    const conv = {
      id: 77,
      listingMapId: 40160,
      reservationId: 501,
      messageReceivedOn: '2026-11-29 11:59:00',
      conversationMessages: [
        {
          id: 9001,
          accountId: 1,
          conversationId: 77,
          body: 'Is early check-in possible?',
          isIncoming: 1,
          date: '2026-11-29 11:59:00',
        },
      ],
      Reservation: { guestName: 'Ana Silva' },
    } as unknown as Conversation;
    const change = changeFromPolledConversation(conv, '1', '2026-11-29 11:50:00', RECEIVED);
    expect(change).toMatchObject({
      key: 'message:9001',
      kind: 'guest_message',
      conversationId: 77,
      reservationId: 501,
    });
    expect(change?.summary.guest).toBe('Ana Silva');
    expect(changeFromPolledConversation(conv, '1', '2026-11-29 12:00:00', RECEIVED)).toBeUndefined();
    const hostLast = {
      ...conv,
      conversationMessages: [{ ...conv.conversationMessages?.[0], isIncoming: 0 }],
    } as unknown as Conversation;
    expect(changeFromPolledConversation(hostLast, '1', '2026-11-29 11:50:00', RECEIVED)).toBeUndefined();
  });
});

describe('order and kind', () => {
  const base: AccountChange = {
    account: '1',
    key: 'k',
    kind: 'change',
    entity: 'reservation:1',
    version: '2026-11-29 12:00:00',
    reservationId: 1,
    listingId: null,
    conversationId: null,
    source: 'webhook',
    summary: { status: 'cancelled' },
  };

  it('an update into an ended status from a live one is a cancellation; from an ended one, a change', () => {
    expect(resolveKind(base, { status: 'new' })).toBe('cancellation');
    expect(resolveKind(base, null)).toBe('cancellation');
    expect(resolveKind(base, { status: 'cancelled' })).toBe('change');
    expect(resolveKind({ ...base, summary: { status: 'modified' } }, { status: 'new' })).toBe('change');
    expect(resolveKind({ ...base, kind: 'booking' }, { status: 'new' })).toBe('booking');
  });

  it('an older version than the one kept is stale; the same or a newer one is not', () => {
    expect(isStale(base, null)).toBe(false);
    expect(isStale(base, '2026-11-29 12:00:01')).toBe(true);
    expect(isStale(base, '2026-11-29 12:00:00')).toBe(false);
    expect(isStale(base, '2026-11-29 11:59:59')).toBe(false);
  });

  it('stamp writes epoch milliseconds as Hostaway does', () => {
    expect(stamp(RECEIVED)).toBe('2026-11-29 12:00:00');
  });
});
