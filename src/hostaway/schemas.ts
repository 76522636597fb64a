/**
 * Zod schemas of Hostaway's public API v1 wire format, shared by the sandbox (which emits it) and the
 * client (which reads it). Field names follow the official docs (repository `Hostaway/api`, pages under
 * `source/includes/`); each schema names the page it follows.
 *
 * They are tolerant on purpose: unknown fields pass through (`looseObject`) and optional fields accept
 * null, because the live API adds fields and nulls without notice. The contract tests tighten them with
 * `strictly()` so that the sandbox cannot drift from the documented field names unnoticed.
 */
import * as z from 'zod';

/** Hostaway booleans are documented as integers 0/1; some fields are real JSON booleans. */
export const Flag = z.union([z.literal(0), z.literal(1), z.boolean()]);
/** `YYYY-MM-DD` calendar date. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
/** `YYYY-MM-DD HH:MM:SS` timestamp, in UTC unless the field says otherwise. */
export const DateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:MM:SS');

const str = z.string().nullish();
const num = z.number().nullish();
const int = z.number().int().nullish();
const flag = Flag.nullish();

/** Every object schema here is loose; this makes a copy that rejects fields the docs do not name. */
export function strictly<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  return z.strictObject(schema.shape);
}

// ---------------------------------------------------------------------------------------------------
// Envelope (index page: "Standard Response", "Rate limits")

/** Successful response carrying one object. */
export function itemEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({ status: z.literal('success'), result: item });
}

/** Successful response carrying a list, with the documented pagination fields. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({
    status: z.literal('success'),
    result: z.array(item),
    count: z.number().int().nullish(),
    limit: z.number().int().nullish(),
    offset: z.number().int().nullish(),
    page: z.number().int().nullish(),
    totalPages: z.number().int().nullish(),
  });
}

/**
 * Failure body. The docs say `result` holds the error message when `status` is `fail`; the rate-limit
 * section shows the message under `message` instead. Either may be present.
 */
export const FailBody = z.looseObject({
  status: z.literal('fail'),
  result: z.string().nullish(),
  message: z.string().nullish(),
});
export type FailBody = z.infer<typeof FailBody>;

// ---------------------------------------------------------------------------------------------------
// Authentication (_authentication.md)

export const AccessTokenResponse = z.looseObject({
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  access_token: z.string().min(1),
});
export type AccessTokenResponse = z.infer<typeof AccessTokenResponse>;

/** OAuth 2.0 error body (RFC 6749 section 5.2) returned by `POST /v1/accessTokens`. */
export const OAuthErrorBody = z.looseObject({
  error: z.string(),
  error_description: z.string().nullish(),
  message: z.string().nullish(),
});

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

// ---------------------------------------------------------------------------------------------------
// Listing (_listing_listingObject.md)

export const ListingAmenity = z.looseObject({ id: z.number().int(), amenityId: z.number().int() });
export const ListingBedType = z.looseObject({
  id: z.number().int(),
  bedTypeId: z.number().int(),
  quantity: z.number().int(),
});
export const ListingImage = z.looseObject({
  id: z.number().int(),
  caption: str,
  url: z.string(),
  sortOrder: int,
});
export const CustomFieldValue = z.looseObject({ customFieldId: z.number().int(), value: z.unknown() });

export const Listing = z.looseObject({
  id: z.number().int(),
  propertyTypeId: int,
  name: z.string(),
  externalListingName: str,
  internalListingName: str,
  description: str,
  houseRules: str,
  keyPickup: str,
  specialInstruction: str,
  doorSecurityCode: str,
  country: str,
  countryCode: str,
  state: str,
  city: str,
  street: str,
  address: str,
  publicAddress: str,
  zipcode: str,
  price: num,
  starRating: num,
  averageReviewRating: num,
  weeklyDiscount: num,
  monthlyDiscount: num,
  propertyRentTax: num,
  guestPerPersonPerNightTax: num,
  guestStayTax: num,
  guestNightlyTax: num,
  guestBathroomsNumber: int,
  refundableDamageDeposit: num,
  personCapacity: int,
  maxChildrenAllowed: int,
  maxInfantsAllowed: int,
  maxPetsAllowed: int,
  lat: num,
  lng: num,
  checkInTimeStart: int,
  checkInTimeEnd: int,
  checkOutTime: int,
  cancellationPolicy: str,
  cancellationPolicyId: int,
  airbnbCancellationPolicyId: int,
  bookingCancellationPolicyId: int,
  marriottCancellationPolicyId: int,
  vrboCancellationPolicyId: int,
  squareMeters: int,
  specialStatus: str,
  roomType: str,
  bathroomType: str,
  bedroomsNumber: int,
  bedsNumber: int,
  bedType: str,
  bathroomsNumber: num,
  minNights: int,
  maxNights: int,
  guestsIncluded: int,
  cleaningFee: num,
  priceForExtraPerson: num,
  instantBookable: flag,
  instantBookableLeadTime: int,
  airbnbBookingLeadTime: int,
  airbnbBookingLeadTimeAllowRequestToBook: int,
  allowSameDayBooking: int,
  sameDayBookingLeadTime: int,
  contactName: str,
  contactSurName: str,
  contactPhone1: str,
  contactPhone2: str,
  contactLanguage: str,
  contactEmail: str,
  contactAddress: str,
  language: str,
  currencyCode: str,
  timeZoneName: str,
  wifiUsername: str,
  wifiPassword: str,
  cleannessStatus: str,
  cleaningInstruction: str,
  cleannessStatusUpdatedOn: str,
  homeawayPropertyName: str,
  homeawayPropertyHeadline: str,
  homeawayPropertyDescription: str,
  bookingcomPropertyName: str,
  bookingcomPropertyDescription: str,
  invoicingContactName: str,
  invoicingContactSurName: str,
  invoicingContactPhone1: str,
  invoicingContactPhone2: str,
  invoicingContactLanguage: str,
  invoicingContactEmail: str,
  invoicingContactAddress: str,
  invoicingContactCity: str,
  invoicingContactZipcode: str,
  invoicingContactCountry: str,
  propertyLicenseNumber: str,
  propertyLicenseType: str,
  propertyLicenseIssueDate: str,
  propertyLicenseExpirationDate: str,
  partnersListingMarkup: num,
  airbnbOfficialListingMarkup: num,
  bookingEngineMarkup: num,
  homeawayApiMarkup: num,
  marriottListingMarkup: num,
  isRentalAgreementActive: flag,
  listingAgreementText: str,
  bookingcomPropertyRegisteredInVcs: flag,
  bookingcomPropertyHasVat: flag,
  bookingcomPropertyDeclaresRevenue: flag,
  airbnbListingUrl: str,
  vrboListingUrl: str,
  googleVrListingUrl: str,
  airbnbName: str,
  airbnbSummary: str,
  airbnbSpace: str,
  airbnbAccess: str,
  airbnbInteraction: str,
  airbnbNeighborhoodOverview: str,
  airbnbTransit: str,
  airbnbNotes: str,
  insuranceEligibilityStatus: flag,
  latestActivityOn: str,
  listingAmenities: z.array(ListingAmenity).nullish(),
  listingBedTypes: z.array(ListingBedType).nullish(),
  listingImages: z.array(ListingImage).nullish(),
  customFieldValues: z.array(CustomFieldValue).nullish(),
  bookingEngineUrls: z.array(z.unknown()).nullish(),
});
export type Listing = z.infer<typeof Listing>;

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
  isIncludedInTotalPrice: flag,
  isOverriddenByUser: flag,
  isMandatory: flag,
  isQuantitySelectable: flag,
  isDeleted: flag,
  listingFeeSettingId: int,
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
  hostProxyEmail: str,
  guestPaymentCardIsVirtual: flag,
  insertedOn: str,
  updatedOn: str,
  customFieldValues: z.array(CustomFieldValue).nullish(),
  reservationFees: z.array(z.unknown()).nullish(),
  reservationUnit: z.array(z.unknown()).nullish(),
  financeField: z.array(FinanceField).nullish(),
});
export type Reservation = z.infer<typeof Reservation>;

// ---------------------------------------------------------------------------------------------------
// Calendar (_calendar_calendarDayObject.md, _calendar_updateCalendar.md, _calendar_batchCalendarUpdate.md)

/** The reservation summary attached to a calendar day (a subset of the reservation object). */
export const CalendarDayReservation = z.looseObject({
  id: z.number().int(),
  listingMapId: z.number().int(),
  channelId: z.number().int(),
  channelName: z.string(),
  reservationId: z.string(),
  guestName: str,
  arrivalDate: IsoDate,
  departureDate: IsoDate,
  nights: int,
  numberOfGuests: int,
  status: z.string(),
  totalPrice: num,
  currency: str,
});

export const CalendarDay = z.looseObject({
  id: z.number().int(),
  date: IsoDate,
  isAvailable: flag,
  isProcessed: flag,
  status: z.string().nullish(),
  price: num,
  minimumStay: int,
  maximumStay: int,
  closedOnArrival: flag,
  closedOnDeparture: flag,
  note: str,
  countAvailableUnits: int,
  availableUnitsToSell: int,
  countPendingUnits: int,
  countBlockingReservations: int,
  countBlockedUnits: int,
  desiredUnitsToSell: int,
  reservations: z.array(CalendarDayReservation).nullish(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

/** The writable part of a calendar day, as sent in `PUT .../calendar` and `.../calendarIntervals`. */
export const CalendarUpdateFields = z.object({
  isAvailable: Flag.optional(),
  isProcessed: Flag.nullish(),
  price: z.number().nonnegative().nullish(),
  minimumStay: z.number().int().positive().nullish(),
  maximumStay: z.number().int().positive().nullish(),
  closedOnArrival: Flag.nullish(),
  closedOnDeparture: Flag.nullish(),
  note: z.string().nullish(),
  desiredUnitsToSell: z.number().int().nonnegative().nullish(),
});
export const CalendarUpdateBody = CalendarUpdateFields.extend({ startDate: IsoDate, endDate: IsoDate });
export type CalendarUpdateBody = z.infer<typeof CalendarUpdateBody>;
/** The docs cap one batch at 200 intervals. */
export const MAX_CALENDAR_INTERVALS = 200;
export const CalendarIntervalsBody = z.array(CalendarUpdateBody).min(1).max(MAX_CALENDAR_INTERVALS);

// ---------------------------------------------------------------------------------------------------
// Conversations and messages (_conversation_*.md)

export const MessageAttachment = z.looseObject({
  id: int,
  name: str,
  url: str,
  extension: str,
  mimeType: str,
  isImage: flag,
  isPublic: flag,
});

export const ConversationMessage = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: int,
  reservationId: int,
  conversationId: z.number().int(),
  communicationId: int,
  airbnbThreadMessageId: str,
  body: z.string().nullish(),
  communicationType: str,
  status: str,
  isIncoming: flag,
  isSeen: flag,
  sentUsingHostaway: flag,
  hash: str,
  listingTimeZoneName: str,
  communicationEvent: str,
  communicationTimeDelta: int,
  communicationApplyListingTimeZone: flag,
  communicationAlwaysTrigger: flag,
  date: str,
  sentChannelDate: str,
  attachments: z.array(MessageAttachment).nullish(),
  insertedOn: str,
  updatedOn: str,
});
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const COMMUNICATION_TYPES = ['email', 'channel', 'sms', 'whatsapp'] as const;
export const SendMessageBody = z.object({
  body: z.string().trim().min(1, 'body must not be empty'),
  communicationType: z.enum(COMMUNICATION_TYPES).optional(),
});

export const Conversation = z.looseObject({
  id: z.number().int(),
  accountId: int,
  listingMapId: int,
  reservationId: int,
  type: str,
  recipientEmail: str,
  recipientName: str,
  recipientPicture: str,
  hostEmail: str,
  guestEmail: str,
  hasUnreadMessages: flag,
  messageSentOn: str,
  messageReceivedOn: str,
  conversationMessages: z.array(ConversationMessage).nullish(),
  Reservation: Reservation.nullish(),
});
export type Conversation = z.infer<typeof Conversation>;

// ---------------------------------------------------------------------------------------------------
// Message templates (_messageTemplate_*.md)

export const MessageTemplate = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: int,
  channelId: int,
  messageTemplateGroupId: int,
  name: z.string(),
  description: str,
  message: str,
  color: int,
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

// ---------------------------------------------------------------------------------------------------
// Reviews (_review_*.md). The field table spells `raiting`; the JSON example spells `rating`, which we
// follow.

export const REVIEW_TYPES = ['guest-to-host', 'host-to-guest'] as const;
export const REVIEW_STATUSES = [
  'awaiting',
  'pending',
  'scheduled',
  'submitted',
  'published',
  'expired',
] as const;
export const Review = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: z.number().int(),
  reservationId: int,
  autoReviewId: int,
  timeDelta: int,
  scheduledDateTime: z.union([z.string(), z.number()]).nullish(),
  channelId: int,
  type: z.string(),
  status: z.string(),
  rating: num,
  externalReviewId: z.union([z.string(), z.number()]).nullish(),
  externalReservationId: z.union([z.string(), z.number()]).nullish(),
  publicReview: str,
  privateFeedback: str,
  revieweeResponse: str,
  isRevieweeRecommended: flag,
  isCancelled: flag,
  autoReviewTemplateId: int,
  reviewCategory: z.array(z.unknown()).nullish(),
  departureDate: str,
  arrivalDate: str,
  listingName: str,
  guestName: str,
});
export type Review = z.infer<typeof Review>;

// ---------------------------------------------------------------------------------------------------
// Tasks (_task_*.md)

export const TASK_STATUSES = ['pending', 'confirmed', 'inProgress', 'completed', 'cancelled'] as const;
export const TASK_EVENTS = ['arrival', 'departure', 'previousArrival', 'previousDeparture'] as const;
export const Task = z.looseObject({
  id: z.number().int(),
  listingMapId: int,
  channelId: int,
  reservationId: int,
  autoTaskId: int,
  assigneeUserId: int,
  canBePickedByGroupId: int,
  supervisorUserId: int,
  createdByUserId: int,
  isUpdatedManually: flag,
  checklistTemplateId: int,
  reservationUnitId: int,
  title: z.string(),
  description: str,
  canStartFrom: str,
  canStartFromListingTime: str,
  canStartFromEvent: str,
  canStartFromEventDelta: int,
  shouldEndBy: str,
  shouldEndByListingTime: str,
  shouldEndByEvent: str,
  shouldEndByEventDelta: int,
  status: str,
  resolutionNote: str,
  feedbackScore: int,
  feedbackNote: str,
  startedAt: str,
  confirmedAt: str,
  completedAt: str,
  priority: int,
  cost: num,
  costCurrency: str,
  costDescription: str,
  color: str,
  expense: z.unknown().nullish(),
  rank: int,
  checklistItems: z.array(z.unknown()).nullish(),
  customFieldValue: z.array(z.unknown()).nullish(),
  categoriesMap: z.array(z.number().int()).nullish(),
});
export type Task = z.infer<typeof Task>;

/** Body of `POST /v1/tasks` and `PUT /v1/tasks/{id}`: a task object without its id. */
export const TaskWriteBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(255),
  description: z.string().nullish(),
  listingMapId: z.number().int().positive().nullish(),
  channelId: z.number().int().nullish(),
  reservationId: z.number().int().positive().nullish(),
  assigneeUserId: z.number().int().nullish(),
  canStartFrom: DateTime.nullish(),
  shouldEndBy: DateTime.nullish(),
  status: z.enum(TASK_STATUSES).nullish(),
  priority: z.number().int().nullish(),
  cost: z.number().nullish(),
  costCurrency: z.string().nullish(),
  color: z.string().nullish(),
  categoriesMap: z.array(z.number().int().min(1).max(6)).nullish(),
  resolutionNote: z.string().nullish(),
});

// ---------------------------------------------------------------------------------------------------
// Finance reports (_financialReporting_*.md): `POST /v1/finance/report/{kind}`

export const FINANCE_REPORT_KINDS = ['standard', 'listingFinancials', 'consolidated', 'calculated'] as const;
export type FinanceReportKind = (typeof FINANCE_REPORT_KINDS)[number];
/** The docs show JSON output only for these two; `standard` and `calculated` are CSV. */
export const JSON_FINANCE_REPORTS: ReadonlySet<FinanceReportKind> = new Set([
  'listingFinancials',
  'consolidated',
]);
export const FINANCE_DATE_TYPES = ['arrivalDate', 'departureDate', 'reservationDate'] as const;

export const FinanceReportColumn = z.looseObject({
  name: z.string(),
  title: z.string(),
  valueType: z.string(),
});
export const FinanceCell = z.union([z.string(), z.number(), z.null()]);
export const FinanceReport = z.looseObject({
  columns: z.array(FinanceReportColumn),
  rows: z.array(z.array(FinanceCell)),
  totals: z.array(FinanceCell).nullish(),
  currency: str,
});
export type FinanceReport = z.infer<typeof FinanceReport>;
