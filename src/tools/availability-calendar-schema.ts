/**
 * What hostaway_availability_calendar answers, apart from the tool: the calendar view types its data
 * with it (a type-only import, so the page bundles none of it), and the tool's tests read it.
 */
import * as z from 'zod';

const DayOut = z.object({
  date: z.string(),
  state: z
    .enum(['free', 'reserved', 'pending', 'blocked'])
    .describe(
      'free to book, or why not: reserved, pending (a request or unpaid booking) or blocked by the host',
    ),
  price: z.number().nullable(),
  minStay: z.number().int().nullable(),
  reservationId: z.number().int().nullable().describe('the reservation holding the night'),
});

export const AvailabilityCalendarOut = z.object({
  startDate: z.string().describe('first day, YYYY-MM-DD'),
  endDate: z.string().describe('last day, included'),
  listings: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        timeZone: z.string(),
        today: z.string().describe("today in the listing's time zone"),
        days: z.array(DayOut),
      }),
    )
    .describe('this page of listings, by name then id'),
  reservations: z
    .array(
      z.object({
        id: z.number().int(),
        listingId: z.number().int(),
        guest: z.string().nullable(),
        channel: z.string().nullable(),
        arrival: z.string().nullable(),
        departure: z.string().nullable(),
        status: z.string().nullable(),
      }),
    )
    .describe('each reservation seen on any day, once, by listing then arrival'),
  total: z.number().int().describe('listings in scope, all pages'),
  nextOffset: z.number().int().nullable().describe('offset of the next page; null when none'),
});
export type AvailabilityCalendarOut = z.infer<typeof AvailabilityCalendarOut>;
