/**
 * The parts of a reservation that Hostaway sends only when asked (`_reservation_reservationObject.md`):
 *
 * - `includeResources=1` on the list: the reservation's fees and the host's proxy e-mail;
 * - `includeCancellationPolicy=1` on the list: the policy snapshot and the channel-specific policy codes;
 * - the single reservation: the proxy e-mail and the policy fields always, and with `includeResources=1`
 *   its fees and Booking.com's guest details too.
 *
 * - `includePayments=1` on either: `remainingBalance`, null otherwise.
 *
 * All of them are derived from the stored stay, so they are the same on every read.
 */
import type { CancellationPolicyDetails, Reservation, ReservationFee } from '../hostaway/schemas.js';

export interface ReservationOptions {
  includeResources: boolean;
  includeCancellationPolicy: boolean;
  includePayments: boolean;
}

/** A reservation as the list endpoint answers it. */
export function listedReservation(r: Reservation, accountId: number, o: ReservationOptions): Reservation {
  if (!o.includeResources && !o.includeCancellationPolicy && !o.includePayments) return r;
  return {
    ...r,
    ...(o.includeResources ? resourcesOf(r, accountId) : {}),
    ...(o.includeCancellationPolicy ? cancellationFieldsOf(r) : {}),
    ...(o.includePayments ? { remainingBalance: remainingBalanceOf(r) } : {}),
  };
}

/** A reservation as `GET /v1/reservations/{id}` answers it. */
export function singleReservation(
  r: Reservation,
  accountId: number,
  o: Omit<ReservationOptions, 'includeCancellationPolicy'>,
): Reservation {
  return {
    ...r,
    hostProxyEmail: proxyEmail(r),
    ...cancellationFieldsOf(r),
    ...(o.includeResources ? { ...resourcesOf(r, accountId), ...bookingcomFieldsOf(r) } : {}),
    ...(o.includePayments ? { remainingBalance: remainingBalanceOf(r) } : {}),
  };
}

/** What the guest still owes: nothing once paid, the whole total before. */
function remainingBalanceOf(r: Reservation): number {
  return r.isPaid ? 0 : (r.totalPrice ?? 0);
}

function proxyEmail(r: Reservation): string {
  return `c-${r.id}@host.example.com`;
}

function resourcesOf(r: Reservation, accountId: number) {
  return { reservationFees: feesOf(r, accountId), hostProxyEmail: proxyEmail(r) };
}

/** The fees the channel reported with the stay: its cleaning fee, if it has one. */
function feesOf(r: Reservation, accountId: number): ReservationFee[] {
  if (!r.cleaningFee) return [];
  const stamp = r.insertedOn ?? r.reservationDate ?? `${r.arrivalDate} 00:00:00`;
  return [
    {
      id: r.id * 10 + 9,
      accountId,
      listingMapId: r.listingMapId,
      reservationId: r.id,
      name: 'cleaningFee',
      amount: r.cleaningFee,
      currency: r.currency ?? null,
      percentage: null,
      isIncluded: 1,
      isPerNight: 0,
      isPerPerson: 0,
      isImported: 0,
      insertedOn: stamp,
      updatedOn: stamp,
    },
  ];
}

/** Refund steps of the three policies the seeded listings use (seconds before arrival, as negative deltas). */
const POLICY_STEPS: Record<string, ReadonlyArray<readonly [number, number]>> = {
  flexible: [[-86_400, 100]],
  moderate: [[-5 * 86_400, 100]],
  strict: [
    [-14 * 86_400, 100],
    [-7 * 86_400, 50],
  ],
};

const CHANNEL_POLICY_CODES: Record<string, string> = { flexible: '1', moderate: '2', strict: '3' };

function cancellationFieldsOf(r: Reservation) {
  const name = r.cancellationPolicy ?? null;
  const code = name ? (CHANNEL_POLICY_CODES[name] ?? null) : null;
  const details: CancellationPolicyDetails | null = name
    ? {
        name: name.charAt(0).toUpperCase() + name.slice(1),
        channelId: r.channelId,
        channelSpecificCode: r.channelId === 2018 ? name : code,
        longTerm: false,
        cancellationPolicyItem: (POLICY_STEPS[name] ?? []).map(([timeDelta, refundAmount]) => ({
          refundAmount,
          refundType: 'percentage',
          refundField: 'totalPrice',
          timeDelta,
          event: 'arrival',
        })),
      }
    : null;
  return {
    bookingCancellationPolicy: r.channelId === 2005 ? code : null,
    vrboCancellationPolicy: r.channelId === 2002 ? code : null,
    marriottCancellationPolicy: r.channelId === 2019 ? code : null,
    cancellationPolicyDetails: details,
  };
}

/** Booking.com's guest details: set on Booking.com stays, null on every other channel. */
function bookingcomFieldsOf(r: Reservation) {
  const booking = r.channelId === 2005;
  const genius = booking && r.id % 3 === 0;
  return {
    bookingcomSpecialRequests: booking
      ? {
          remarks: r.guestNote ?? null,
          geniusFreebies: genius ? [{ code: 'GENIUS_BREAKFAST', text: 'Breakfast included' }] : [],
        }
      : null,
    bookingcomSmokingPreference: booking ? 0 : null,
    bookingcomIsGeniusMember: booking ? (genius ? 1 : 0) : null,
    bookingcomBookerName: booking ? (r.guestName ?? null) : null,
    bookingcomBookerCompany: null,
    bookingcomNoShowReportedAt: null,
    bookingcomNoShowFeeWaived: null,
  };
}
