/**
 * Query parameters of the list endpoints, under their documented names (pages in brackets). The client
 * sends them; the sandbox reads them.
 */

/** [_listing_retrieveListingsList.md] */
export interface ListingQuery {
  limit?: number;
  offset?: number;
  sortOrder?: string;
  city?: string;
  match?: string;
  country?: string;
  contactName?: string;
  propertyTypeId?: number;
  availabilityDateStart?: string;
  availabilityDateEnd?: string;
  availabilityGuestNumber?: number;
  latestActivityStart?: string;
  latestActivityEnd?: string;
  isBookingEngineActive?: boolean;
  userId?: number;
  includeResources?: boolean;
  /** `attachObjects[]=bookingEngineUrls` fills `bookingEngineUrls`. */
  attachObjects?: string[];
}

/** [_reservation_retrieveReservationsList.md] */
export interface ReservationQuery {
  limit?: number;
  afterId?: number;
  offset?: number;
  sortOrder?: string;
  channelId?: number;
  listingId?: number;
  assigneeUserId?: number;
  match?: string;
  guestEmail?: string;
  arrivalStartDate?: string;
  arrivalEndDate?: string;
  departureStartDate?: string;
  departureEndDate?: string;
  hasUnreadConversationMessages?: boolean;
  isStarred?: boolean;
  isArchived?: boolean;
  isPinned?: boolean;
  latestActivityStart?: string;
  latestActivityEnd?: string;
  customerUserId?: string;
  reservationAgreement?: string;
  includeResources?: boolean;
  /** Adds the cancellation policy snapshot and the channel policy codes. */
  includeCancellationPolicy?: boolean;
  /** Fills `remainingBalance`. */
  includePayments?: boolean;
}

/** [_review_retrieveList.md] */
export interface ReviewQuery {
  listingMapIds?: number[];
  limit?: number;
  offset?: number;
  sortBy?: 'id' | 'guestName' | 'arrivalDate' | 'departureDate';
  sortOrder?: 'asc' | 'desc';
  reservationId?: number;
  type?: 'guest-to-host' | 'host-to-guest';
  statuses?: string[];
  departureDateStart?: string;
  departureDateEnd?: string;
}

/** [_task_retrieveList.md] */
export interface TaskQuery {
  limit?: number;
  offset?: number;
  channelId?: number;
  reservationId?: number;
  canStartFromEvent?: string;
  shouldEndByEvent?: string;
  match?: string;
  status?: string;
  canStartFromStart?: string;
  canStartFromEnd?: string;
  shouldEndByStart?: string;
  shouldEndByEnd?: string;
}

/** [_financialReporting_report*.md] */
export interface FinanceQuery {
  listingMapIds?: number[];
  channelIds?: number[];
  statuses?: string[];
  fromDate?: string;
  toDate?: string;
  dateType?: 'arrivalDate' | 'departureDate' | 'reservationDate';
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
}

/** Paging and presentation parameters, which are not filters. */
type NotFilters =
  | 'limit'
  | 'offset'
  | 'afterId'
  | 'includeResources'
  | 'includeCancellationPolicy'
  | 'includePayments'
  | 'attachObjects';
export type ListingFilter = Omit<ListingQuery, NotFilters>;
export type ReservationFilter = Omit<ReservationQuery, NotFilters>;
export type ReviewFilter = Omit<ReviewQuery, NotFilters>;
export type TaskFilter = Omit<TaskQuery, NotFilters>;
