import * as z from 'zod';
import { Flag, flag, IsoDate, int, num, str } from './fields.js';

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
