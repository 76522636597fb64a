import * as z from 'zod';

// ---------------------------------------------------------------------------------------------------
// Channels and statuses (_reservation_channels.md, _reservation_reservationStatuses.md,
// _calendar_calendarDayStatuses.md)

export const CHANNELS = {
  2000: 'direct',
  2002: 'homeaway',
  2005: 'bookingcom',
  2007: 'expedia',
  2009: 'homeawayical',
  2010: 'vrboical',
  2013: 'bookingengine',
  2015: 'customIcal',
  2016: 'tripadvisorical',
  2017: 'wordpress',
  2018: 'airbnbOfficial',
  2019: 'marriott',
  2020: 'partner',
  2021: 'gds',
  2022: 'google',
} as const satisfies Record<number, string>;
export type ChannelId = keyof typeof CHANNELS;

export const RESERVATION_STATUSES = [
  'new',
  'modified',
  'cancelled',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'declined',
  'expired',
  'unconfirmed',
  'awaitingGuestVerification',
  'inquiry',
  'inquiryPreapproved',
  'inquiryDenied',
  'inquiryTimedout',
  'inquiryNotPossible',
  'unknown',
] as const;
export const ReservationStatus = z.enum(RESERVATION_STATUSES);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

/** Statuses that hold the unit's dates (the status page says which block the calendar). */
export const BLOCKING_STATUSES: ReadonlySet<ReservationStatus> = new Set([
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
]);

export const CALENDAR_DAY_STATUSES = [
  'available',
  'blocked',
  'mblocked',
  'hardBlock',
  'conflicted',
  'reserved',
  'pending',
  'mreserved',
] as const;
export const CalendarDayStatus = z.enum(CALENDAR_DAY_STATUSES);

export const RESERVATION_SORT_ORDERS = [
  'arrivalDate',
  'arrivalDateDesc',
  'lastConversationMessageSent',
  'lastConversationMessageSentDesc',
  'lastConversationMessageReceived',
  'lastConversationMessageReceivedDesc',
  'latestActivity',
  'latestActivityDesc',
  'updatedOn',
] as const;

export const LISTING_SORT_ORDERS = [
  'name',
  'nameReversed',
  'order',
  'orderReversed',
  'contactName',
  'contactNameReversed',
  'latestActivity',
  'latestActivityDesc',
] as const;
