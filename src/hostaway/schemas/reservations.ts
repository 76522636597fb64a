import * as z from 'zod';
import { CANCELLED_BY, RESERVATION_STATUSES } from './enums.js';
import { flag, IsoDate, int, num, str } from './fields.js';
import { CustomFieldValue } from './listings.js';

// ---------------------------------------------------------------------------------------------------
// Reservation (_reservation_reservationObject.md)

export const FinanceField = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  name: z.string(),
  title: str,
  alias: str,
  value: num,
  total: num,
  units: num,
  /** In the field table, not in the examples (see README). */
  quantity: int,
  isIncludedInTotalPrice: flag,
  isOverriddenByUser: flag,
  isMandatory: flag,
  isQuantitySelectable: flag,
  isDeleted: flag,
  listingFeeSettingId: int,
});

/** `_reservation_reservationFeeObject.md`: supplied with `includeResources=1`. */
export const ReservationFee = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: z.number().int(),
  reservationId: z.number().int(),
  name: z.string(),
  amount: num,
  currency: str,
  percentage: num,
  isIncluded: flag,
  isPerNight: flag,
  isPerPerson: flag,
  isImported: flag,
  insertedOn: z.string(),
  updatedOn: z.string(),
});
export type ReservationFee = z.infer<typeof ReservationFee>;

/** `_reservation_reservationUnitObject.md`: one per unit of a multi-unit stay. */
export const ReservationUnit = z.looseObject({
  id: z.number().int(),
  reservationId: z.number().int(),
  listingUnitId: z.number().int(),
  externalReservationId: str,
  externalReservationUnitId: str,
  guestName: z.string(),
  guestFirstName: str,
  guestLastName: str,
  numberOfGuests: z.number().int(),
  adults: z.number().int(),
  children: z.number().int(),
  infants: z.number().int(),
  pets: int,
  totalPrice: z.number(),
});

/** One refund step of a cancellation policy snapshot (`cancellationPolicyDetails.cancellationPolicyItem`). */
export const CancellationPolicyItem = z.looseObject({
  refundAmount: num,
  refundType: str,
  refundField: str,
  timeDelta: int,
  event: str,
});
/** The policy captured at booking time (`cancellationPolicyDetails`). */
export const CancellationPolicyDetails = z.looseObject({
  name: str,
  channelId: int,
  channelSpecificCode: str,
  longTerm: flag,
  cancellationPolicyItem: z.array(CancellationPolicyItem).nullish(),
});
export type CancellationPolicyDetails = z.infer<typeof CancellationPolicyDetails>;

/** Booking.com's special requests on a stay (`bookingcomSpecialRequests`). */
export const BookingcomSpecialRequests = z.looseObject({
  remarks: str,
  geniusFreebies: z.array(z.looseObject({ code: str, text: str })).nullish(),
});

export const Reservation = z.looseObject({
  id: z.number().int(),
  listingMapId: z.number().int(),
  channelId: z.number().int(),
  source: str,
  channelName: z.string(),
  reservationId: z.string(),
  hostawayReservationId: z.union([z.number().int(), z.string()]),
  channelReservationId: str,
  externalPropertyId: str,
  externalRatePlanId: str,
  externalUnitId: str,
  assigneeUserId: int,
  manualIcalId: str,
  manualIcalName: str,
  isProcessed: flag,
  isInitial: flag,
  isManuallyChecked: flag,
  isInstantBooked: flag,
  hasPullError: flag,
  reservationDate: str,
  pendingExpireDate: str,
  guestName: str,
  guestFirstName: str,
  guestLastName: str,
  guestExternalAccountId: str,
  guestZipCode: str,
  guestAddress: str,
  guestCity: str,
  guestCountry: str,
  guestEmail: str,
  guestPicture: str,
  guestRecommendations: int,
  guestTrips: int,
  guestWork: str,
  isGuestIdentityVerified: flag,
  isGuestVerifiedByEmail: flag,
  isGuestVerifiedByWorkEmail: flag,
  isGuestVerifiedByFacebook: flag,
  isGuestVerifiedByGovernmentId: flag,
  isGuestVerifiedByPhone: flag,
  isGuestVerifiedByReviews: flag,
  numberOfGuests: int,
  adults: int,
  children: int,
  infants: int,
  pets: int,
  arrivalDate: IsoDate,
  departureDate: IsoDate,
  isDatesUnspecified: flag,
  previousArrivalDate: str,
  previousDepartureDate: str,
  checkInTime: int,
  checkOutTime: int,
  nights: int,
  phone: str,
  totalPrice: num,
  taxAmount: num,
  channelCommissionAmount: num,
  hostawayCommissionAmount: num,
  cleaningFee: num,
  securityDepositFee: num,
  isPaid: flag,
  paymentMethod: str,
  stripeGuestId: str,
  /** Named only by the changelog (2019-10-08 rename); read if sent, the sandbox does not send it. */
  stripeMessage: str,
  currency: str,
  status: z.string(),
  cancellationDate: str,
  cancelledBy: str,
  hostNote: str,
  guestNote: str,
  guestLocale: str,
  doorCode: str,
  doorCodeVendor: str,
  doorCodeInstruction: str,
  comment: str,
  confirmationCode: str,
  airbnbExpectedPayoutAmount: num,
  airbnbListingBasePrice: num,
  airbnbListingCancellationHostFee: num,
  airbnbListingCancellationPayout: num,
  airbnbListingCleaningFee: num,
  airbnbListingHostFee: num,
  airbnbListingSecurityPrice: num,
  airbnbOccupancyTaxAmountPaidToHost: num,
  airbnbTotalPaidAmount: num,
  airbnbTransientOccupancyTaxPaidAmount: num,
  airbnbCancellationPolicy: str,
  isStarred: flag,
  isArchived: flag,
  isPinned: flag,
  guestAuthHash: str,
  guestPortalUrl: str,
  originalChannel: str,
  latestActivityOn: str,
  customerUserId: str,
  reservationAgreement: str,
  remainingBalance: num,
  rentalAgreementFileUrl: str,
  insuranceStatus: str,
  claimStatus: str,
  insurancePolicyId: z.union([z.string(), z.number()]).nullish(),
  cancellationPolicyId: int,
  cancellationPolicy: str,
  bookingCancellationPolicy: str,
  vrboCancellationPolicy: str,
  marriottCancellationPolicy: str,
  cancellationPolicyDetails: CancellationPolicyDetails.nullish(),
  hostProxyEmail: str,
  bookingcomSpecialRequests: BookingcomSpecialRequests.nullish(),
  bookingcomSmokingPreference: int,
  bookingcomIsGeniusMember: int,
  bookingcomBookerName: str,
  bookingcomBookerCompany: str,
  bookingcomNoShowReportedAt: str,
  bookingcomNoShowFeeWaived: flag,
  guestPaymentCardIsVirtual: flag,
  insertedOn: str,
  updatedOn: str,
  customFieldValues: z.array(CustomFieldValue).nullish(),
  reservationFees: z.array(ReservationFee).nullish(),
  reservationUnit: z.array(ReservationUnit).nullish(),
  financeField: z.array(FinanceField).nullish(),
});
export type Reservation = z.infer<typeof Reservation>;

// ---------------------------------------------------------------------------------------------------
// Reservation writes (_reservation_createReservation.md, _reservation_updateReservation.md,
// _reservation_cancelReservation.md)

const hours = z.number().int().min(0).max(24).nullish();

/**
 * The fields of a reservation object that a create or update body sets and the sandbox keeps. Loose:
 * the docs send the whole reservation object (verification flags, Airbnb payout figures, custom field
 * values...), which is accepted and not kept.
 */
const ReservationWriteFields = {
  guestName: z.string().max(255).nullish(),
  guestFirstName: z.string().max(255).nullish(),
  guestLastName: z.string().max(255).nullish(),
  guestEmail: z.string().max(255).nullish(),
  guestCity: str,
  guestCountry: str,
  phone: str,
  numberOfGuests: z.number().int().min(1, 'numberOfGuests must be at least 1').nullish(),
  adults: z.number().int().min(0).nullish(),
  children: z.number().int().min(0).nullish(),
  checkInTime: hours,
  checkOutTime: hours,
  totalPrice: z.number().min(0).nullish(),
  taxAmount: z.number().min(0).nullish(),
  cleaningFee: z.number().min(0).nullish(),
  channelCommissionAmount: z.number().min(0).nullish(),
  isPaid: flag,
  currency: z.string().length(3, 'currency must be a 3-letter code').nullish(),
  guestNote: str,
  doorCode: str,
};

/** Body of `POST /v1/reservations`: a reservation object without its id. */
export const ReservationCreateBody = z.looseObject({
  channelId: z.number({ error: 'channelId is required: a channel id such as 2000 (direct)' }).int(),
  listingMapId: z.number({ error: 'listingMapId is required: the listing to book' }).int().positive(),
  arrivalDate: IsoDate,
  departureDate: IsoDate,
  ...ReservationWriteFields,
});
export type ReservationCreateBody = z.infer<typeof ReservationCreateBody>;

/**
 * Body of `PUT /v1/reservations/{id}`: the fields to change. The docs send the whole object; the
 * listing cannot change ("It's not possible to update the listingMapId"), the status can.
 */
export const ReservationUpdateBody = z.looseObject({
  listingMapId: z.number().int().positive().optional(),
  channelId: z.number().int().optional(),
  arrivalDate: IsoDate.optional(),
  departureDate: IsoDate.optional(),
  status: z.enum(RESERVATION_STATUSES).optional(),
  ...ReservationWriteFields,
});
export type ReservationUpdateBody = z.infer<typeof ReservationUpdateBody>;

/** Body of `PUT /v1/reservations/{id}/statuses/cancelled`: who cancelled. */
export const CancelReservationBody = z.object({
  cancelledBy: z.enum(CANCELLED_BY, { error: 'cancelledBy is required: "host" or "guest"' }),
});
