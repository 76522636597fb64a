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

// Values the object pages enumerate for single fields.

/** Conversation message `status` (`_conversation_conversationMessageObject.md`). */
export const MESSAGE_STATUSES = [
  'awaiting',
  'cancelled_by_user',
  'cancelled_by_system',
  'sent',
  'paused',
  'failed',
] as const;
/** Reservation `cancelledBy`. */
export const CANCELLED_BY = ['guest', 'host'] as const;
/** Reservation `reservationAgreement`. */
export const RESERVATION_AGREEMENTS = ['not_required', 'signed', 'not_signed'] as const;
/** Reservation `insuranceStatus`. */
export const INSURANCE_STATUSES = ['insured', 'pending', 'rejected', 'not_eligible'] as const;
/** Reservation `claimStatus` (null when there is no claim). */
export const CLAIM_STATUSES = [
  'claim_started',
  'claim_approved',
  'claim_rejected',
  'claim_draft',
  'claim_paid',
  'claim_withdrawn',
] as const;
/** Listing `roomType`, `bathroomType` and `specialStatus` (null unless archived). */
export const ROOM_TYPES = ['entire_home', 'private_room', 'shared_room'] as const;
export const BATHROOM_TYPES = ['private', 'shared'] as const;
export const LISTING_SPECIAL_STATUSES = ['archived'] as const;
