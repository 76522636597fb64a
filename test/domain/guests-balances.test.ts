import { describe, expect, it } from 'vitest';
import { balanceDue, balancesDue, isGuestBooking, totalsByCurrency } from '../../src/domain/balances.js';
import { GuestHistory } from '../../src/domain/guests.js';
import { stay } from '../helpers/stays.js';

describe('returning guests', () => {
  const visit = (arrivalDate: string, guestName: string | null, guestEmail: string | null, status = 'new') =>
    stay({
      arrivalDate,
      departureDate: arrivalDate.replace(/-(\d\d)$/, '-28'),
      guestName,
      guestEmail,
      status,
    });

  it('the same e-mail (any case and spacing) is the same guest; earlier arrivals only, most recent first', () => {
    const now = visit('2026-11-10', 'Ann Lee', 'ann@example.com');
    const before = visit('2026-03-02', 'Ann Lee-Smith', ' ANN@example.com ');
    const older = visit('2025-12-01', 'A. Lee', 'ann@example.com');
    const after = visit('2026-12-01', 'Ann Lee', 'ann@example.com');
    const history = new GuestHistory([now, before, older, after]);
    expect(history.earlier(now).map((s) => s.id)).toEqual([before.id, older.id]);
    expect(history.earlier(older)).toEqual([]);
  });

  it('different e-mails are different guests whatever their names; a missing e-mail falls back on the name', () => {
    const now = visit('2026-11-10', 'John Smith', 'john1@example.com');
    const namesake = visit('2026-05-01', 'John Smith', 'john2@example.com');
    const noEmail = visit('2026-06-01', 'john  smith', null);
    const history = new GuestHistory([now, namesake, noEmail]);
    expect(history.earlier(now).map((s) => s.id)).toEqual([noEmail.id]);
    const anonymous = visit('2026-11-12', 'John Smith', null);
    expect(new GuestHistory([anonymous, namesake, noEmail]).earlier(anonymous).map((s) => s.id)).toEqual([
      noEmail.id,
      namesake.id,
    ]);
    expect(
      new GuestHistory([visit('2026-01-01', null, null)]).earlier(visit('2026-11-01', null, null)),
    ).toEqual([]);
  });

  it('cancelled bookings and inquiries are not earlier stays; the same stay read twice counts once', () => {
    const now = visit('2026-11-10', 'Ann Lee', 'ann@example.com');
    const cancelled = visit('2026-04-01', 'Ann Lee', 'ann@example.com', 'cancelled');
    const inquiry = visit('2026-05-01', 'Ann Lee', 'ann@example.com', 'inquiry');
    const real = visit('2026-06-01', 'Ann Lee', 'ann@example.com', 'modified');
    expect(new GuestHistory([now, cancelled, inquiry, real, real]).earlier(now).map((s) => s.id)).toEqual([
      real.id,
    ]);
  });
});

describe('balances', () => {
  it('remainingBalance when Hostaway sends it, else the whole total when not paid, else unknown', () => {
    expect(balanceDue({ remainingBalance: 120.456, isPaid: 0, totalPrice: 500 })).toEqual({
      due: 120.46,
      basis: 'remainingBalance',
    });
    expect(balanceDue({ remainingBalance: 0, isPaid: 0, totalPrice: 500 })).toEqual({
      due: 0,
      basis: 'remainingBalance',
    });
    expect(balanceDue({ remainingBalance: null, isPaid: 1, totalPrice: 500 })).toEqual({
      due: 0,
      basis: 'isPaid',
    });
    expect(balanceDue({ isPaid: true, totalPrice: 500 })).toEqual({ due: 0, basis: 'isPaid' });
    expect(balanceDue({ isPaid: 0, totalPrice: 499.99 })).toEqual({ due: 499.99, basis: 'isPaid' });
    expect(balanceDue({ isPaid: false, totalPrice: 10 })).toEqual({ due: 10, basis: 'isPaid' });
    expect(balanceDue({ isPaid: null, totalPrice: 500 })).toEqual({ due: null, basis: 'unknown' });
    expect(balanceDue({ isPaid: 0, totalPrice: null })).toEqual({ due: null, basis: 'unknown' });
  });

  it('guests pay for bookings that hold the calendar, never for owner stays or bookings that are off', () => {
    for (const s of ['new', 'modified', 'pending', 'awaitingPayment', 'unconfirmed'])
      expect(isGuestBooking(s)).toBe(true);
    for (const s of ['ownerStay', 'cancelled', 'declined', 'expired', 'inquiry'])
      expect(isGuestBooking(s)).toBe(false);
  });

  it('totals per currency, in cents, never across currencies; unknown amounts left out', () => {
    expect(
      totalsByCurrency([
        { due: 0.1, currency: 'USD' },
        { due: 0.2, currency: 'USD' },
        { due: 100, currency: 'EUR' },
        { due: null, currency: 'EUR' },
        { due: 5, currency: null },
      ]),
    ).toEqual([
      { currency: null, due: 5, stays: 1 },
      { currency: 'EUR', due: 100, stays: 1 },
      { currency: 'USD', due: 0.3, stays: 2 },
    ]);
  });

  it('stays owing money arriving within their listing’s range, by arrival; paid and unknown ones counted apart', () => {
    const range = { from: '2026-12-01', to: '2026-12-31' };
    const owes = stay({ arrivalDate: '2026-12-10', departureDate: '2026-12-12', isPaid: 0, totalPrice: 300 });
    const owesEarlier = stay({
      arrivalDate: '2026-12-02',
      departureDate: '2026-12-05',
      remainingBalance: 50,
    });
    const paid = stay({ arrivalDate: '2026-12-03', departureDate: '2026-12-04' });
    const unknown = stay({ arrivalDate: '2026-12-03', departureDate: '2026-12-04', isPaid: null });
    const cancelled = stay({
      arrivalDate: '2026-12-03',
      departureDate: '2026-12-04',
      isPaid: 0,
      status: 'cancelled',
    });
    const owner = stay({
      arrivalDate: '2026-12-03',
      departureDate: '2026-12-04',
      isPaid: 0,
      status: 'ownerStay',
    });
    const outside = stay({ arrivalDate: '2027-01-01', departureDate: '2027-01-04', isPaid: 0 });
    const r = balancesDue([owes, owesEarlier, paid, unknown, cancelled, owner, outside], () => range);
    expect(r.owed.map((o) => o.stay.id)).toEqual([owesEarlier.id, owes.id]);
    expect(r.checked).toBe(4);
    expect(r.unknown).toBe(1);
    expect(r.totals).toEqual([{ currency: 'USD', due: 350, stays: 2 }]);
  });
});
