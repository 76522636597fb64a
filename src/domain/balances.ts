/**
 * Money a guest still owes on a stay, from the reservation object's documented fields
 * (`_reservation_reservationObject.md`): `remainingBalance` is the total price less what the guest has
 * paid, sent only when the list or item is asked with `includePayments=1`; without it, `isPaid` says
 * paid (nothing owed) or not (the whole `totalPrice` owed). When neither is given, nobody can say.
 */
import type { StayRecord } from './brief-stays.js';
import { holdsNights } from './brief-stays.js';

export type BalanceBasis = 'remainingBalance' | 'isPaid' | 'unknown';

export interface Balance {
  /** What is still owed, in the stay's currency; 0 when paid; null when Hostaway does not say. */
  due: number | null;
  /** Which field said so. */
  basis: BalanceBasis;
}

type Money = Pick<StayRecord, 'isPaid' | 'totalPrice' | 'remainingBalance'>;

const cents = (x: number) => Math.round(x * 100);

export function balanceDue(r: Money): Balance {
  if (typeof r.remainingBalance === 'number')
    return { due: cents(r.remainingBalance) / 100, basis: 'remainingBalance' };
  if (r.isPaid === 1 || r.isPaid === true) return { due: 0, basis: 'isPaid' };
  if ((r.isPaid === 0 || r.isPaid === false) && typeof r.totalPrice === 'number')
    return { due: cents(r.totalPrice) / 100, basis: 'isPaid' };
  return { due: null, basis: 'unknown' };
}

/**
 * Whether a stay is one a guest pays for: it holds the calendar (a booking on, or a request or one
 * awaiting payment) and it is not the owner's own.
 */
export function isGuestBooking(status: string): boolean {
  return holdsNights(status) && status !== 'ownerStay';
}

export interface CurrencyTotal {
  currency: string | null;
  due: number;
  stays: number;
}

/** Sums per currency (never across currencies), added in cents so that no float error creeps in. */
export function totalsByCurrency(
  lines: ReadonlyArray<{ due: number | null; currency: string | null | undefined }>,
): CurrencyTotal[] {
  const sums = new Map<string | null, { cents: number; stays: number }>();
  for (const l of lines) {
    if (l.due === null) continue;
    const key = l.currency ?? null;
    const t = sums.get(key) ?? { cents: 0, stays: 0 };
    t.cents += cents(l.due);
    t.stays++;
    sums.set(key, t);
  }
  return [...sums.entries()]
    .map(([currency, t]) => ({ currency, due: t.cents / 100, stays: t.stays }))
    .sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''));
}

export interface OwedStay {
  stay: StayRecord;
  balance: Balance;
}

/**
 * Guest bookings arriving within their listing's range with money still owed, by arrival date; the
 * totals per currency; and how many bookings in range Hostaway gave no payment state for.
 */
export function balancesDue(
  stays: readonly StayRecord[],
  rangeOf: (listingId: number) => { from: string; to: string },
) {
  const inRange = stays.filter((s) => {
    const r = rangeOf(s.listingMapId);
    return isGuestBooking(s.status) && s.arrivalDate >= r.from && s.arrivalDate <= r.to;
  });
  const assessed = inRange.map((stay) => ({ stay, balance: balanceDue(stay) }));
  const owed = assessed
    .filter((o) => (o.balance.due ?? 0) > 0)
    .sort(
      (a, b) =>
        a.stay.arrivalDate.localeCompare(b.stay.arrivalDate) ||
        a.stay.listingMapId - b.stay.listingMapId ||
        a.stay.id - b.stay.id,
    );
  return {
    owed,
    checked: inRange.length,
    unknown: assessed.filter((o) => o.balance.due === null).length,
    totals: totalsByCurrency(owed.map((o) => ({ due: o.balance.due, currency: o.stay.currency }))),
  };
}
