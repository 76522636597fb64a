import * as z from 'zod';
import { Flag, flag, IsoDate, int, num, str } from './fields.js';
import { Reservation } from './reservations.js';

// ---------------------------------------------------------------------------------------------------
// Calendar (_calendar_calendarDayObject.md, _calendar_updateCalendar.md, _calendar_batchCalendarUpdate.md)

/**
 * The reservation attached to a calendar day (with `includeResources=1`): the fields the calendar day
 * page's example shows, which are reservation fields plus `externalRuid`.
 */
export const CalendarDayReservation = Reservation.pick({
  id: true,
  listingMapId: true,
  channelId: true,
  channelName: true,
  reservationId: true,
  externalPropertyId: true,
  externalRatePlanId: true,
  externalUnitId: true,
  manualIcalId: true,
  manualIcalName: true,
  isProcessed: true,
  isManuallyChecked: true,
  isInstantBooked: true,
  hasPullError: true,
  reservationDate: true,
  pendingExpireDate: true,
  guestName: true,
  guestFirstName: true,
  guestLastName: true,
  guestExternalAccountId: true,
  guestCity: true,
  guestCountry: true,
  guestEmail: true,
  guestPicture: true,
  numberOfGuests: true,
  adults: true,
  children: true,
  infants: true,
  pets: true,
  arrivalDate: true,
  departureDate: true,
  previousArrivalDate: true,
  previousDepartureDate: true,
  checkInTime: true,
  checkOutTime: true,
  nights: true,
  phone: true,
  totalPrice: true,
  taxAmount: true,
  channelCommissionAmount: true,
  hostawayCommissionAmount: true,
  cleaningFee: true,
  securityDepositFee: true,
  isPaid: true,
  paymentMethod: true,
  stripeGuestId: true,
  currency: true,
  status: true,
  hostNote: true,
  guestNote: true,
  comment: true,
}).extend({ externalRuid: str });

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
export type CalendarDayReservation = z.infer<typeof CalendarDayReservation>;
