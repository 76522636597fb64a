/**
 * Reservations written through the API (`POST /v1/reservations`, `PUT /v1/reservations/{id}`,
 * `PUT /v1/reservations/{id}/statuses/cancelled`): the stored stay a body makes, and what a change or a
 * cancellation does to it. Pure: the store checks the listing, the dates against other stays and the
 * calendar, and keeps the result.
 */
import { dayNumber, isIsoDate } from '../hostaway/dates.js';
import {
  CHANNELS,
  type ChannelId,
  type Listing,
  type ReservationCreateBody,
  type ReservationStatus,
  type ReservationUpdateBody,
} from '../hostaway/schemas.js';
import type { ReservationCore } from './data/generate.js';
import { badRequest } from './http-error.js';

/** `provider` sets `source`, "limited to 65 characters; longer values will be truncated". */
const PROVIDER_MAX = 65;

/** The fields a body may set as given (the names are the same on the wire and in the store). */
const PLAIN_FIELDS = [
  'guestEmail',
  'guestCity',
  'guestCountry',
  'phone',
  'checkInTime',
  'checkOutTime',
  'totalPrice',
  'taxAmount',
  'cleaningFee',
  'channelCommissionAmount',
  'currency',
  'guestNote',
  'doorCode',
] as const satisfies ReadonlyArray<keyof ReservationCore>;

export function checkChannel(channelId: number): ChannelId {
  if (!Object.hasOwn(CHANNELS, channelId))
    throw badRequest(
      `channelId ${channelId} is not a Hostaway channel; use one of ${Object.keys(CHANNELS).join(', ')}`,
    );
  return channelId as ChannelId;
}

/** Both dates real, the stay at least one night long. */
export function checkStayDates(arrivalDate: string, departureDate: string): void {
  for (const [name, value] of [
    ['arrivalDate', arrivalDate],
    ['departureDate', departureDate],
  ] as const)
    if (!isIsoDate(value)) throw badRequest(`${name} "${value}" is not a real date (YYYY-MM-DD)`);
  if (dayNumber(departureDate) <= dayNumber(arrivalDate))
    throw badRequest(`departureDate (${departureDate}) must be after arrivalDate (${arrivalDate})`);
}

/**
 * The guest's full name and its parts: a full name alone is split (first word, the rest), parts alone
 * are joined, both are kept as given; what the body leaves out stays as it was.
 */
function names(
  body: Pick<ReservationCreateBody, 'guestName' | 'guestFirstName' | 'guestLastName'>,
  before?: Pick<ReservationCore, 'guestName' | 'guestFirstName' | 'guestLastName'>,
) {
  const partsGiven = body.guestFirstName !== undefined || body.guestLastName !== undefined;
  if (body.guestName !== undefined && !partsGiven) {
    const [head, ...tail] = (body.guestName ?? '').trim().split(/\s+/);
    return { guestName: body.guestName, guestFirstName: head || null, guestLastName: tail.join(' ') || null };
  }
  const first = body.guestFirstName !== undefined ? body.guestFirstName : (before?.guestFirstName ?? null);
  const last = body.guestLastName !== undefined ? body.guestLastName : (before?.guestLastName ?? null);
  const guestName =
    body.guestName !== undefined
      ? body.guestName
      : partsGiven
        ? [first, last].filter((p) => p).join(' ') || null
        : (before?.guestName ?? null);
  return { guestName, guestFirstName: first, guestLastName: last };
}

function guestsOf(
  body: Pick<ReservationCreateBody, 'numberOfGuests' | 'adults' | 'children'>,
  before?: Pick<ReservationCore, 'numberOfGuests' | 'adults' | 'children'>,
) {
  const children = body.children !== undefined ? body.children : (before?.children ?? null);
  const adultsGiven = body.adults !== undefined ? body.adults : undefined;
  const total =
    body.numberOfGuests ??
    (adultsGiven != null ? adultsGiven + (children ?? 0) : undefined) ??
    before?.numberOfGuests ??
    1;
  const adults = adultsGiven !== undefined ? adultsGiven : Math.max(0, total - (children ?? 0));
  return { numberOfGuests: total, adults, children };
}

const flag01 = (v: boolean | 0 | 1 | null | undefined): 0 | 1 => (v ? 1 : 0);

export interface NewReservation {
  id: number;
  accountId: number;
  listing: Listing;
  body: ReservationCreateBody;
  /** `provider` query parameter: the reservation's `source`. */
  provider: string | undefined;
  /** The sandbox clock, `YYYY-MM-DD HH:MM:SS`. */
  stamp: string;
  /** What the nights cost on the listing's calendar, asked only when the body names no total. */
  accommodation: () => number;
  taxRate: number;
}

/** A new stay from a create body: status `new`, stamped now, priced from the calendar unless given. */
export function newReservationCore(n: NewReservation): ReservationCore {
  const { body, listing } = n;
  const channelId = checkChannel(body.channelId);
  checkStayDates(body.arrivalDate, body.departureDate);
  const channelName = CHANNELS[channelId];
  const priced = body.totalPrice == null;
  const accommodation = priced ? n.accommodation() : 0;
  const cleaningFee = body.cleaningFee ?? (priced ? (listing.cleaningFee ?? 0) : null);
  const taxAmount = body.taxAmount ?? (priced ? round2(accommodation * n.taxRate) : null);
  const totalPrice = priced ? round2(accommodation + (cleaningFee ?? 0) + (taxAmount ?? 0)) : body.totalPrice;
  const core: ReservationCore = {
    id: n.id,
    listingMapId: listing.id,
    channelId,
    source: n.provider ? n.provider.slice(0, PROVIDER_MAX) : channelName,
    channelName,
    reservationId: `${n.accountId}-${listing.id}-${channelId}-${n.id}`,
    assigneeUserId: null,
    isInstantBooked: 0,
    reservationDate: n.stamp,
    pendingExpireDate: null,
    ...names(body),
    guestExternalAccountId: null,
    guestCity: null,
    guestCountry: null,
    guestEmail: null,
    guestRecommendations: null,
    guestTrips: null,
    ...guestsOf(body),
    arrivalDate: body.arrivalDate,
    departureDate: body.departureDate,
    checkInTime: listing.checkInTimeStart ?? null,
    checkOutTime: listing.checkOutTime ?? null,
    nights: dayNumber(body.departureDate) - dayNumber(body.arrivalDate),
    phone: null,
    totalPrice: totalPrice ?? null,
    taxAmount,
    channelCommissionAmount: null,
    cleaningFee,
    isPaid: flag01(body.isPaid),
    paymentMethod: null,
    currency: listing.currencyCode ?? 'USD',
    status: 'new',
    cancellationDate: null,
    cancelledBy: null,
    guestNote: null,
    doorCode: null,
    confirmationCode: null,
    airbnbCancellationPolicy: null,
    isStarred: 0,
    isArchived: 0,
    isPinned: 0,
    latestActivityOn: n.stamp,
    cancellationPolicy: listing.cancellationPolicy ?? null,
    insertedOn: n.stamp,
    updatedOn: n.stamp,
  };
  return { ...core, ...plainFields(body) };
}

/**
 * A stay after an update: the fields given replace the stored ones, the nights and names follow, and
 * the stamps move. A move into `cancelled` dates the cancellation; a move out of it clears it.
 */
export function updatedReservationCore(
  current: ReservationCore,
  body: ReservationUpdateBody,
  stamp: string,
): ReservationCore {
  if (body.listingMapId !== undefined && body.listingMapId !== current.listingMapId)
    throw badRequest(
      `listingMapId cannot be changed (reservation ${current.id} is at listing ${current.listingMapId}); cancel it and create a new one`,
    );
  if (body.channelId !== undefined && body.channelId !== current.channelId)
    throw badRequest(
      `channelId cannot be changed (reservation ${current.id} came from ${current.channelName})`,
    );
  const arrivalDate = body.arrivalDate ?? current.arrivalDate;
  const departureDate = body.departureDate ?? current.departureDate;
  checkStayDates(arrivalDate, departureDate);
  const status: ReservationStatus = body.status ?? (current.status as ReservationStatus);
  const next: ReservationCore = {
    ...current,
    ...plainFields(body),
    ...names(body, current),
    ...guestsOf(body, current),
    arrivalDate,
    departureDate,
    nights: dayNumber(departureDate) - dayNumber(arrivalDate),
    status,
    updatedOn: stamp,
    latestActivityOn: stamp,
  };
  if (body.isPaid !== undefined) next.isPaid = flag01(body.isPaid);
  if (status === 'cancelled' && current.status !== 'cancelled') next.cancellationDate = stamp.slice(0, 10);
  if (status !== 'cancelled' && current.status === 'cancelled') {
    next.cancellationDate = null;
    next.cancelledBy = null;
  }
  return next;
}

/** A stay cancelled now by the host or the guest. */
export function cancelledReservationCore(
  current: ReservationCore,
  cancelledBy: 'host' | 'guest',
  stamp: string,
): ReservationCore {
  return {
    ...current,
    status: 'cancelled',
    cancelledBy,
    cancellationDate: stamp.slice(0, 10),
    updatedOn: stamp,
    latestActivityOn: stamp,
  };
}

function plainFields(
  body: Partial<Record<(typeof PLAIN_FIELDS)[number], unknown>>,
): Partial<ReservationCore> {
  const out: Record<string, unknown> = {};
  for (const key of PLAIN_FIELDS) if (body[key] !== undefined) out[key] = body[key];
  return out as Partial<ReservationCore>;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
