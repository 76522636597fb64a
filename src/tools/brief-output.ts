/** The operations brief's answer, section by section (src/domain/brief.ts builds it). */
import * as z from 'zod';
import { STAY_PHASES } from '../domain/stay-phase.js';

const id = z.number().int();
const name = z.string().nullable();
const hour = z.number().int().nullable();

const Arrival = z.object({
  reservationId: id,
  listingId: id,
  listing: name,
  date: z.string().describe("arrival, the listing's local date"),
  checkInHour: hour.describe('local hour check-in starts (the stay, else the listing)'),
  guest: name,
  guests: z.number().int().nullable(),
  channel: z.string(),
  status: z.string(),
  paid: z.boolean().nullable().describe('null when Hostaway does not say'),
  balanceDue: z.number().nullable().describe('still owed: remainingBalance, or the total when not paid'),
  currency: z.string().nullable(),
  unread: z
    .boolean()
    .nullable()
    .describe('unread guest messages; null when its conversation was not among those looked through'),
  returning: z
    .boolean()
    .describe('the guest (same e-mail, or same name when an e-mail is missing) stayed before'),
  earlierStays: z.number().int(),
});

const Departure = z.object({
  reservationId: id,
  listingId: id,
  listing: name,
  date: z.string(),
  checkOutHour: hour,
  guest: name,
  guests: z.number().int().nullable(),
  channel: z.string(),
  status: z.string(),
  balanceDue: z.number().nullable(),
  currency: z.string().nullable(),
});

export const BriefOutput = z.object({
  ranges: z
    .array(z.object({ timeZone: z.string(), from: z.string(), to: z.string(), listings: z.number().int() }))
    .describe('the dates covered in each time zone the listings use'),
  counts: z.object({
    listings: z.number().int(),
    arrivals: z.number().int(),
    returningGuests: z.number().int(),
    balanceDueArrivals: z.number().int(),
    departures: z.number().int(),
    turnovers: z.number().int(),
    inHouse: z.number().int(),
    vacant: z.number().int(),
    ownerStays: z.number().int(),
    blocks: z.number().int(),
    tasks: z.number().int(),
    openTasks: z.number().int(),
    unassignedOpenTasks: z.number().int(),
    waiting: z.number().int(),
  }),
  arrivals: z.array(Arrival),
  departures: z.array(Departure),
  turnovers: z
    .array(
      z.object({
        listingId: id,
        listing: name,
        date: z.string(),
        outReservationId: id,
        checkOutHour: hour,
        inReservationId: id,
        checkInHour: hour,
        hoursBetween: z.number().nullable().describe('from that check-out to the next check-in'),
      }),
    )
    .describe('a stay leaves and another arrives at one listing the same day'),
  inHouse: z
    .array(
      z.object({
        reservationId: id,
        listingId: id,
        listing: name,
        guest: name,
        guests: z.number().int().nullable(),
        arrival: z.string(),
        departure: z.string(),
        channel: z.string(),
        status: z.string(),
      }),
    )
    .describe('guests staying through: arrived before the range, leaving after it'),
  vacant: z
    .array(
      z.object({
        listingId: id,
        listing: name,
        nights: z.array(z.string()).describe('nights of the range no stay holds'),
        closed: z
          .number()
          .int()
          .nullable()
          .describe('of those, nights Hostaway does not offer (closed by the host)'),
      }),
    )
    .describe('listings with a night nobody holds'),
  ownerStays: z.array(
    z.object({
      reservationId: id,
      listingId: id,
      listing: name,
      owner: name,
      arrival: z.string(),
      departure: z.string(),
    }),
  ),
  blocks: z
    .array(
      z.object({
        listingId: id,
        listing: name,
        from: z.string(),
        to: z.string().describe('last closed night, included'),
        nights: z.number().int(),
      }),
    )
    .describe('vacant nights closed by the host, in runs'),
  tasks: z.array(
    z.object({
      id,
      title: z.string(),
      kind: z.string().nullable().describe('cleaning, maintenance, check-in, check-out, back office, other'),
      listingId: id.nullable(),
      listing: name,
      reservationId: id.nullable(),
      status: z.string().nullable(),
      open: z.boolean(),
      start: z.string().nullable().describe("YYYY-MM-DD HH:MM, the listing's local time"),
      due: z.string().nullable(),
      assigneeUserId: id.nullable(),
    }),
  ),
  waiting: z.array(
    z.object({
      conversationId: id,
      reservationId: id.nullable(),
      listingId: id.nullable(),
      listing: name,
      guest: name,
      stay: z.enum(STAY_PHASES),
      arrival: z.string(),
      departure: z.string(),
      waitingMinutes: z.number().int().nullable(),
      unread: z.boolean(),
    }),
  ),
  earlierStaysFrom: z
    .string()
    .nullable()
    .describe('earlier stays (for returning guests) were looked through from this arrival date'),
  cut: z.array(z.string()).describe('what was not looked at or not shown; empty when nothing'),
});
