import * as z from 'zod';
import { CHANNEL_NAME_LIST, CHANNEL_NAMES, channelLabel } from '../domain/channels.js';
import { checkRange } from '../domain/dates.js';
import { fields, table } from '../domain/render.js';
import { RESERVATION_STATUSES, type Reservation } from '../hostaway/schemas.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, type ListingIndex, listingIndex, mainZone, zonesOf } from './listing-index.js';

/** Hostaway's documented sort orders, under plain names; `newest` is its documented default order. */
const SORTS = {
  arrival: 'arrivalDate',
  arrival_desc: 'arrivalDateDesc',
  latest_activity_desc: 'latestActivityDesc',
  last_message_received_desc: 'lastConversationMessageReceivedDesc',
  updated: 'updatedOn',
  newest: undefined,
} as const;

/**
 * The statuses a search keeps unless told otherwise: stays that are on (or may still be), with open
 * inquiries; not cancelled, declined, expired or refused ones.
 */
export const LIVE_STATUSES = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
  'inquiry',
  'inquiryPreapproved',
] as const satisfies readonly (typeof RESERVATION_STATUSES)[number][];

const ReservationLine = z.object({
  id: z.number().int(),
  listingId: z.number().int(),
  listing: z.string().nullable(),
  guest: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  arrival: z.string(),
  departure: z.string(),
  nights: z.number().int().nullable(),
  guests: z.number().int().nullable(),
  total: z.number().nullable(),
  currency: z.string().nullable(),
});

function line(r: Reservation, index: ListingIndex): z.infer<typeof ReservationLine> {
  return {
    id: r.id,
    listingId: r.listingMapId,
    listing: index.get(r.listingMapId)?.name ?? null,
    guest: r.guestName ?? null,
    channel: channelLabel(r.channelId, r.channelName),
    status: r.status,
    arrival: r.arrivalDate,
    departure: r.departureDate,
    nights: r.nights ?? null,
    guests: r.numberOfGuests ?? null,
    total: r.totalPrice ?? null,
    currency: r.currency ?? null,
  };
}

export const searchReservations = defineTool({
  name: 'hostaway_search_reservations',
  title: 'Search reservations',
  description:
    'Finds reservations by arrival or departure dates, listing, channel, guest name or e-mail, unread guest messages or recent activity. Dates are the stay\'s local dates (YYYY-MM-DD or today, tomorrow, yesterday, +N/-N; ranges inclusive), and a relative date means each listing\'s own day, so "arriving today" follows each listing\'s time zone. By default only live stays are kept (new, modified, owner stays, pending, awaiting payment or verification, unconfirmed, open inquiries); statuses: ["all"] keeps every status, or list the ones wanted. Statuses and relative dates are applied by this server (Hostaway\'s API has no status filter), so a page may hold fewer than `limit`; keep paging with `cursor` while nextCursor is not null. Returns one compact line per reservation; use hostaway_get_reservation for guest contact and money details.',
  toolset: 'reservations',
  input: z
    .object({
      arrivalFrom: DateArg.optional(),
      arrivalTo: DateArg.optional(),
      departureFrom: DateArg.optional(),
      departureTo: DateArg.optional(),
      listingId: z.number().int().min(1).optional(),
      channel: z.enum(CHANNEL_NAME_LIST).optional(),
      guest: z.string().trim().min(1).max(100).optional().describe('part of the guest name'),
      guestEmail: z.string().trim().email().optional(),
      hasUnreadMessages: z
        .boolean()
        .optional()
        .describe('only reservations whose conversation has unread guest messages'),
      activityFrom: DateArg.optional().describe('latest activity on or after this date'),
      activityTo: DateArg.optional(),
      statuses: z
        .array(z.enum([...RESERVATION_STATUSES, 'all']))
        .min(1)
        .max(RESERVATION_STATUSES.length)
        .optional()
        .describe(
          'keep only these statuses, e.g. ["cancelled"]; ["all"] for every status; omitted: live stays only',
        ),
      sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('arrival'),
      limit: z.number().int().min(1).max(100).default(20),
      cursor: z.number().int().min(1).optional().describe('nextCursor from the previous page'),
    })
    .strict(),
  output: z.object({
    reservations: z.array(ReservationLine),
    matched: z
      .number()
      .int()
      .nullable()
      .describe('reservations matching the Hostaway filters, before the status filter'),
    statuses: z.array(z.string()).describe('the statuses kept; every status when "all"'),
    nextCursor: z.number().int().nullable(),
    note: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const index = await listingIndex(ctx.client, ctx.signal);
    const now = ctx.now();
    const zones = [mainZone(index), ...zonesOf(index)];
    // Each bound as each zone reads it; Hostaway is asked for the span that covers them all, and each
    // reservation is then held to its own listing's dates.
    const bound = (name: string, value: string | undefined) =>
      value === undefined
        ? undefined
        : new Map(zones.map((zone) => [zone, dateIn(name, value, zone, now)] as const));
    const ranges = (
      [
        ['arrivalFrom', 'arrivalTo', args.arrivalFrom, args.arrivalTo, (r: Reservation) => r.arrivalDate],
        [
          'departureFrom',
          'departureTo',
          args.departureFrom,
          args.departureTo,
          (r: Reservation) => r.departureDate,
        ],
      ] as const
    ).map(([fromName, toName, fromArg, toArg, date]) => {
      const from = bound(fromName, fromArg);
      const to = bound(toName, toArg);
      for (const zone of zones) {
        const a = from?.get(zone);
        const b = to?.get(zone);
        if (a && b) checkRange(fromName, a, toName, b, 3 * 366);
      }
      return { from, to, date };
    });
    const activityZone = mainZone(index);
    const activityFrom = args.activityFrom && dateIn('activityFrom', args.activityFrom, activityZone, now);
    const activityTo = args.activityTo && dateIn('activityTo', args.activityTo, activityZone, now);
    if (activityFrom && activityTo)
      checkRange('activityFrom', activityFrom, 'activityTo', activityTo, 3 * 366);
    const span = (m: Map<string, string> | undefined, pick: 'min' | 'max') =>
      m ? [...m.values()].sort()[pick === 'min' ? 0 : m.size - 1] : undefined;
    const [arrival, departure] = ranges as [(typeof ranges)[number], (typeof ranges)[number]];
    const page = await ctx.client.reservations.list(
      {
        arrivalStartDate: span(arrival.from, 'min'),
        arrivalEndDate: span(arrival.to, 'max'),
        departureStartDate: span(departure.from, 'min'),
        departureEndDate: span(departure.to, 'max'),
        listingId: args.listingId,
        channelId: args.channel ? CHANNEL_NAMES[args.channel] : undefined,
        match: args.guest,
        guestEmail: args.guestEmail,
        hasUnreadConversationMessages: args.hasUnreadMessages,
        latestActivityStart: activityFrom,
        latestActivityEnd: activityTo,
        sortOrder: SORTS[args.sort],
        limit: args.limit,
        afterId: args.cursor,
      },
      ctx.signal,
    );
    const all = args.statuses?.includes('all');
    const wanted = new Set<string>(all ? RESERVATION_STATUSES : (args.statuses ?? LIVE_STATUSES));
    const inOwnDays = (r: Reservation) => {
      const zone = index.get(r.listingMapId)?.timeZone ?? activityZone;
      return ranges.every(({ from, to, date }) => {
        const d = date(r);
        const a = from?.get(zone) ?? from?.get(activityZone);
        const b = to?.get(zone) ?? to?.get(activityZone);
        return (!a || d >= a) && (!b || d <= b);
      });
    };
    const inDays = page.items.filter(inOwnDays);
    const kept = inDays.filter((r) => wanted.has(r.status));
    const dropped = page.items.length - kept.length;
    const otherStatuses = inDays.length - kept.length;
    const notes = [
      otherStatuses && !all
        ? `${otherStatuses} of ${page.items.length} on this page had other statuses${args.statuses ? '' : ' (not live: cancelled, declined, expired...; statuses: ["all"] shows them)'}`
        : null,
      inDays.length < page.items.length
        ? `${page.items.length - inDays.length} fell outside their own listing's dates (relative dates follow each listing's time zone)`
        : null,
      dropped && page.nextCursor ? 'more pages may hold matches' : null,
    ].filter(Boolean);
    return {
      reservations: kept.map((r) => line(r, index)),
      matched: page.count,
      statuses: all ? ['all'] : [...wanted],
      nextCursor: page.nextCursor,
      note: notes.length ? `filtered by this server: ${notes.join('; ')}` : null,
    };
  },
  render: (o) =>
    `${o.reservations.length} reservation(s)${o.matched !== null ? ` (${o.matched} match the Hostaway filters)` : ''}${o.nextCursor ? `; next page: cursor=${o.nextCursor}` : ''}${o.note ? `\nnote: ${o.note}` : ''}\n${table(o.reservations)}`,
});

export const getReservation = defineTool({
  name: 'hostaway_get_reservation',
  title: 'Get reservation',
  description:
    'One reservation by id: the guest\'s contact (name, e-mail, phone, country), the stay (listing, dates, check-in and check-out hours, party), the money (total, taxes, cleaning fee, channel commission, paid or not) and the booking (channel, status, confirmation code, dates of booking, change and cancellation, notes, door code). Guest details come from the reservation itself. detail="full" adds every field Hostaway holds.',
  toolset: 'reservations',
  input: z
    .object({
      reservationId: z.number().int().min(1),
      detail: z.enum(['compact', 'full']).default('compact'),
    })
    .strict(),
  output: z.object({
    reservation: z.object({
      id: z.number().int(),
      status: z.string(),
      channel: z.string(),
      confirmationCode: z.string().nullable(),
      channelReservationId: z.string(),
      guest: z.object({
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        country: z.string().nullable(),
        city: z.string().nullable(),
      }),
      stay: z.object({
        listingId: z.number().int(),
        listing: z.string().nullable(),
        arrival: z.string(),
        departure: z.string(),
        nights: z.number().int().nullable(),
        checkInHour: z.number().int().nullable(),
        checkOutHour: z.number().int().nullable(),
        guests: z.number().int().nullable(),
        adults: z.number().int().nullable(),
        children: z.number().int().nullable(),
      }),
      money: z.object({
        total: z.number().nullable(),
        taxes: z.number().nullable(),
        cleaningFee: z.number().nullable(),
        channelCommission: z.number().nullable(),
        currency: z.string().nullable(),
        paid: z.boolean().nullable(),
        paymentMethod: z.string().nullable(),
      }),
      bookedAt: z.string().nullable(),
      updatedAt: z.string().nullable(),
      cancelledOn: z.string().nullable(),
      cancelledBy: z.string().nullable(),
      guestNote: z.string().nullable(),
      hostNote: z.string().nullable(),
      doorCode: z.string().nullable(),
    }),
    full: z.record(z.string(), z.unknown()).optional(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const r = await ctx.client.reservations.get(args.reservationId, ctx.signal);
    const listing = await ctx.client.listings.get(r.listingMapId, ctx.signal).catch(() => undefined);
    return {
      reservation: {
        id: r.id,
        status: r.status,
        channel: channelLabel(r.channelId, r.channelName),
        confirmationCode: r.confirmationCode ?? null,
        channelReservationId: r.reservationId,
        guest: {
          name: r.guestName ?? null,
          email: r.guestEmail ?? null,
          phone: r.phone ?? null,
          country: r.guestCountry ?? null,
          city: r.guestCity ?? null,
        },
        stay: {
          listingId: r.listingMapId,
          listing: listing?.name ?? null,
          arrival: r.arrivalDate,
          departure: r.departureDate,
          nights: r.nights ?? null,
          checkInHour: r.checkInTime ?? listing?.checkInTimeStart ?? null,
          checkOutHour: r.checkOutTime ?? listing?.checkOutTime ?? null,
          guests: r.numberOfGuests ?? null,
          adults: r.adults ?? null,
          children: r.children ?? null,
        },
        money: {
          total: r.totalPrice ?? null,
          taxes: r.taxAmount ?? null,
          cleaningFee: r.cleaningFee ?? null,
          channelCommission: r.channelCommissionAmount ?? null,
          currency: r.currency ?? null,
          paid: r.isPaid == null ? null : Boolean(r.isPaid),
          paymentMethod: r.paymentMethod ?? null,
        },
        bookedAt: r.reservationDate ?? null,
        updatedAt: r.updatedOn ?? null,
        cancelledOn: r.cancellationDate ?? null,
        cancelledBy: r.cancelledBy ?? null,
        guestNote: r.guestNote ?? null,
        hostNote: r.hostNote ?? null,
        doorCode: r.doorCode ?? null,
      },
      ...(args.detail === 'full' ? { full: r as Record<string, unknown> } : {}),
    };
  },
  render: (o) => {
    const r = o.reservation;
    return `${fields({
      reservation: `#${r.id} ${r.status} via ${r.channel}${r.confirmationCode ? ` (${r.confirmationCode})` : ''}`,
      guest: [r.guest.name, r.guest.email, r.guest.phone, r.guest.country].filter(Boolean).join(', '),
      stay: `${r.stay.listing ?? `listing ${r.stay.listingId}`} (#${r.stay.listingId}) ${r.stay.arrival} to ${r.stay.departure}, ${r.stay.nights} nights, ${r.stay.guests} guests`,
      hours: `check-in from ${r.stay.checkInHour ?? '?'}:00, check-out by ${r.stay.checkOutHour ?? '?'}:00`,
      money: `total ${r.money.total} ${r.money.currency ?? ''} (taxes ${r.money.taxes}, cleaning ${r.money.cleaningFee}, channel commission ${r.money.channelCommission}); ${r.money.paid ? 'paid' : 'not paid'}`,
      booked: r.bookedAt,
      updated: r.updatedAt,
      cancelled: r.cancelledOn ? `${r.cancelledOn} by ${r.cancelledBy}` : null,
      guestNote: r.guestNote,
      hostNote: r.hostNote,
      doorCode: r.doorCode,
    })}${o.full ? `\nfull: ${JSON.stringify(o.full)}` : ''}`;
  },
});
