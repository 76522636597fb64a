import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Line = {
  id: number;
  listingId: number;
  listing: string | null;
  guest: string | null;
  channel: string;
  status: string;
  arrival: string;
  departure: string;
  nights: number | null;
  guests: number | null;
  total: number | null;
  currency: string | null;
};
type Search = {
  reservations: Line[];
  matched: number | null;
  nextCursor: number | null;
  note: string | null;
};
type RawReservation = { id: number; [k: string]: unknown };

/** Brands as a manager reads them, for the channels the seeded account uses. */
const LABELS: Record<number, string> = {
  2018: 'Airbnb',
  2005: 'Booking.com',
  2002: 'Vrbo',
  2000: 'Direct',
  2013: 'Booking engine',
  2007: 'Expedia',
  2022: 'Google',
  2019: 'Marriott',
  2020: 'Partner',
  2015: 'Custom iCal',
  2009: 'HomeAway iCal',
  2010: 'Vrbo iCal',
  2016: 'TripAdvisor iCal',
  2017: 'WordPress',
  2021: 'GDS',
};
const RANGE = { arrivalFrom: '2026-09-01', arrivalTo: '2026-11-30' };

describe('hostaway_search_reservations and hostaway_get_reservation', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let token: string;
  const callRaw = async (name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    return {
      isError: Boolean(r.isError),
      text: (r.content as Array<{ text: string }>)[0]!.text,
      out: r.structuredContent as Record<string, unknown>,
    };
  };
  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const r = await callRaw(name, args);
    if (r.isError) throw new Error(r.text);
    return r.out as T;
  };
  /** A search over every status, unless the test asks for some: these tests check filters and order. */
  const search = (args: Record<string, unknown>) =>
    call<Search>('hostaway_search_reservations', { statuses: ['all'], ...args });
  /** The sandbox's own list answer over HTTP, read without the server's client. */
  const rawList = async (query: string) => {
    const res = await fetch(`${runtime.sandbox!.url}/reservations?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { result: RawReservation[]; count: number };
  };
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    token = await mintToken(runtime.sandbox!);
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => runtime.sandbox!.store();
  const listingName = (id: number) =>
    store()
      .allListings()
      .find((l) => l.id === id)?.name ?? null;
  const inRange = () =>
    store()
      .allReservations()
      .filter((r) => r.arrivalDate >= RANGE.arrivalFrom && r.arrivalDate <= RANGE.arrivalTo);
  /** Every id over all pages, following nextCursor. */
  const allIds = async (args: Record<string, unknown>) => {
    const ids: number[] = [];
    let cursor: number | null = null;
    do {
      const page: Search = await search(cursor ? { ...args, cursor } : args);
      ids.push(...page.reservations.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids.sort();
  };

  it('each line is the stay as the account holds it, with the listing name and the channel brand', async () => {
    const out = await search({ ...RANGE, limit: 60 });
    expect(out.reservations).toHaveLength(60);
    const byId = new Map(
      store()
        .allReservations()
        .map((r) => [r.id, r]),
    );
    for (const line of out.reservations) {
      const r = byId.get(line.id)!;
      expect(line).toEqual({
        id: r.id,
        listingId: r.listingMapId,
        listing: listingName(r.listingMapId),
        guest: r.guestName ?? null,
        channel: LABELS[r.channelId],
        status: r.status,
        arrival: r.arrivalDate,
        departure: r.departureDate,
        nights: r.nights,
        guests: r.numberOfGuests,
        total: r.totalPrice,
        currency: r.currency,
      });
    }
    expect(new Set(out.reservations.map((l) => l.channel)).size).toBeGreaterThan(2);
    expect(out.matched).toBe(inRange().length);
    expect(out.note).toBeNull();
  });

  it('each sort gives the order Hostaway gives for it; arrival is the default', async () => {
    const sorts = {
      arrival: 'sortOrder=arrivalDate',
      arrival_desc: 'sortOrder=arrivalDateDesc',
      latest_activity_desc: 'sortOrder=latestActivityDesc',
      last_message_received_desc: 'sortOrder=lastConversationMessageReceivedDesc',
      updated: 'sortOrder=updatedOn',
      newest: '',
    };
    const orders = new Set<string>();
    for (const [sort, param] of Object.entries(sorts)) {
      const out = await search({ ...RANGE, sort, limit: 30 });
      const expected = await rawList(
        `arrivalStartDate=${RANGE.arrivalFrom}&arrivalEndDate=${RANGE.arrivalTo}&limit=30&${param}`,
      );
      const ids = out.reservations.map((r) => r.id);
      expect(ids, sort).toEqual(expected.result.map((r) => r.id));
      orders.add(ids.join());
    }
    // Six different orders: a sort mapped to another one's order cannot pass.
    expect(orders.size).toBe(6);
    const byDefault = await search({ ...RANGE, limit: 30 });
    const byArrival = await search({ ...RANGE, sort: 'arrival', limit: 30 });
    expect(byDefault.reservations).toEqual(byArrival.reservations);
  });

  it('each filter is passed on: listing, channel, guest name and e-mail, departures, activity, unread', async () => {
    const all = store().allReservations();
    const sample = inRange().find((r) => r.channelId === 2005 && r.guestEmail)!;
    const unread = new Set(
      store()
        .searchConversations(undefined)
        .filter((c) => c.hasUnreadMessages)
        .map((c) => c.reservationId),
    );
    const cases: Array<[Record<string, unknown>, (r: (typeof all)[number]) => boolean]> = [
      [{ ...RANGE, listingId: 40163 }, (r) => r.listingMapId === 40163],
      [{ ...RANGE, channel: 'booking.com' }, (r) => r.channelId === 2005],
      [
        { guest: sample.guestLastName! },
        (r) => Boolean(r.guestName?.toLowerCase().includes(sample.guestLastName!.toLowerCase())),
      ],
      [
        { guestEmail: sample.guestEmail! },
        (r) => r.guestEmail?.toLowerCase() === sample.guestEmail!.toLowerCase(),
      ],
      [
        { departureFrom: '2026-12-01', departureTo: '2026-12-10' },
        (r) => r.departureDate >= '2026-12-01' && r.departureDate <= '2026-12-10',
      ],
      [
        { activityFrom: '2026-11-20', activityTo: '2026-11-24' },
        (r) =>
          (r.latestActivityOn ?? '').slice(0, 10) >= '2026-11-20' &&
          (r.latestActivityOn ?? '').slice(0, 10) <= '2026-11-24',
      ],
      [{ hasUnreadMessages: true }, (r) => unread.has(r.id)],
    ];
    for (const [args, keep] of cases) {
      const base = 'arrivalFrom' in args ? inRange() : all;
      const expected = base.filter(keep).map((r) => r.id);
      expect(expected.length, JSON.stringify(args)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(args)).toBeLessThan(base.length);
      expect(await allIds({ ...args, limit: 100 }), JSON.stringify(args)).toEqual(expected.sort());
    }
  });

  it('the status note counts what this page dropped, says when more pages follow, and the text says it all', async () => {
    const statuses = ['cancelled', 'modified'];
    const first = await callRaw('hostaway_search_reservations', { ...RANGE, statuses, limit: 50 });
    const out = first.out as Search;
    const rawPage = await rawList(
      `arrivalStartDate=${RANGE.arrivalFrom}&arrivalEndDate=${RANGE.arrivalTo}&limit=50&sortOrder=arrivalDate`,
    );
    const kept = rawPage.result.filter((r) => statuses.includes(r.status as string));
    expect(out.reservations.map((r) => r.id)).toEqual(kept.map((r) => r.id));
    expect(out.matched).toBe(inRange().length);
    expect(out.nextCursor).toBe(rawPage.result.at(-1)!.id);
    expect(out.note).toBe(
      `filtered by this server: ${50 - kept.length} of 50 on this page had other statuses; more pages may hold matches`,
    );
    const lines = first.text.split('\n');
    expect(lines[0]).toBe(
      `${kept.length} reservation(s) (${inRange().length} match the Hostaway filters); next page: cursor=${out.nextCursor}`,
    );
    expect(lines[1]).toBe(`note: ${out.note}`);
    expect(lines[2]).toBe(
      'id\tlistingId\tlisting\tguest\tchannel\tstatus\tarrival\tdeparture\tnights\tguests\ttotal\tcurrency',
    );
    expect(lines.slice(3).map((l) => Number(l.split('\t')[0]))).toEqual(kept.map((r) => r.id));

    // The last page: no cursor, and the note does not promise more.
    // A day whose arrivals mix new stays with others.
    const all = store().allReservations();
    const day = all
      .map((r) => r.arrivalDate)
      .sort()
      .find((d) => {
        const rs = all.filter((r) => r.arrivalDate === d);
        return rs.some((r) => r.status === 'new') && rs.some((r) => r.status !== 'new');
      })!;
    const stays = all.filter((r) => r.arrivalDate === day);
    const last = await callRaw('hostaway_search_reservations', {
      arrivalFrom: day,
      arrivalTo: day,
      statuses: ['new'],
      limit: 100,
    });
    const lastOut = last.out as Search;
    const others = stays.filter((r) => r.status !== 'new').length;
    expect(lastOut.nextCursor).toBeNull();
    expect(lastOut.note).toBe(
      `filtered by this server: ${others} of ${stays.length} on this page had other statuses`,
    );
    expect(last.text.split('\n')[0]).toBe(
      `${stays.length - others} reservation(s) (${stays.length} match the Hostaway filters)`,
    );
  });

  it('no match reads as none', async () => {
    const r = await callRaw('hostaway_search_reservations', { guestEmail: 'nobody@example.invalid' });
    expect(r.out).toEqual({
      reservations: [],
      matched: 0,
      statuses: [
        'new',
        'modified',
        'ownerStay',
        'pending',
        'awaitingPayment',
        'awaitingGuestVerification',
        'unconfirmed',
        'inquiry',
        'inquiryPreapproved',
      ],
      nextCursor: null,
      note: null,
    });
    expect(r.text).toBe('0 reservation(s) (0 match the Hostaway filters)\n(none)');
  });

  it('date arguments are checked pair by pair, each by its own name', async () => {
    const bad = async (args: Record<string, unknown>) => {
      const r = await callRaw('hostaway_search_reservations', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      return r.text;
    };
    for (const [from, to] of [
      ['arrivalFrom', 'arrivalTo'],
      ['departureFrom', 'departureTo'],
      ['activityFrom', 'activityTo'],
    ]) {
      expect(await bad({ [from!]: '2026-02-30' })).toMatch(new RegExp(`^${from} must be a real date`));
      expect(await bad({ [to!]: '2026-02-30' })).toMatch(new RegExp(`^${to} must be a real date`));
      expect(await bad({ [from!]: '2026-12-02', [to!]: '2026-12-01' })).toBe(
        `${from} (2026-12-02) is after ${to} (2026-12-01): swap them.`,
      );
      expect(await bad({ [from!]: '2026-01-01', [to!]: '2029-01-04' })).toMatch(
        new RegExp(`^${from} to ${to} covers 1100 days, both included; at most 1099 are allowed`),
      );
    }
    const longest = await callRaw('hostaway_search_reservations', {
      arrivalFrom: '2026-01-01',
      arrivalTo: '2029-01-03',
      limit: 1,
    });
    expect(longest.isError).toBe(false);
  });

  it('reservation detail: every part from the reservation and its listing, and text that says it', async () => {
    const listings = new Map(
      store()
        .allListings()
        .map((l) => [l.id, l]),
    );
    const wires = store()
      .allReservations()
      .map((x) => store().reservation(x.id));
    const r = wires.find((x) => x.status === 'cancelled' && x.confirmationCode)!;
    const rich = wires.find(
      (x) => x.children && x.paymentMethod && x.doorCode && x.guestNote && x.status === 'new',
    )!;
    const unpaid = wires.find((x) => x.status === 'new' && x.isPaid === 0 && !x.confirmationCode)!;
    const expectedDetail = (w: typeof r) => ({
      id: w.id,
      status: w.status,
      channel: LABELS[w.channelId],
      confirmationCode: w.confirmationCode ?? null,
      channelReservationId: w.reservationId,
      guest: {
        name: w.guestName,
        email: w.guestEmail,
        phone: w.phone,
        country: w.guestCountry,
        city: w.guestCity,
      },
      stay: {
        listingId: w.listingMapId,
        listing: listings.get(w.listingMapId)!.name,
        arrival: w.arrivalDate,
        departure: w.departureDate,
        nights: w.nights,
        checkInHour: w.checkInTime,
        checkOutHour: w.checkOutTime,
        guests: w.numberOfGuests,
        adults: w.adults,
        children: w.children ?? null,
      },
      money: {
        total: w.totalPrice,
        taxes: w.taxAmount,
        cleaningFee: w.cleaningFee,
        channelCommission: w.channelCommissionAmount,
        currency: w.currency,
        paid: w.isPaid === 1,
        paymentMethod: w.paymentMethod ?? null,
      },
      bookedAt: w.reservationDate,
      updatedAt: w.updatedOn,
      cancelledOn: w.cancellationDate ?? null,
      cancelledBy: w.cancelledBy ?? null,
      guestNote: w.guestNote ?? null,
      hostNote: w.hostNote ?? null,
      doorCode: w.doorCode ?? null,
    });
    for (const w of [r, rich, unpaid]) {
      const answer = await call<{ reservation: unknown }>('hostaway_get_reservation', {
        reservationId: w.id,
      });
      expect(answer.reservation).toEqual(expectedDetail(w));
    }
    const richText = (await callRaw('hostaway_get_reservation', { reservationId: rich.id })).text.split('\n');
    expect(richText).toContain(`guestNote: ${rich.guestNote}`);
    expect(richText).toContain(`doorCode: ${rich.doorCode}`);
    const sample = r;
    const got = await callRaw('hostaway_get_reservation', { reservationId: sample.id });
    const listing = listings.get(r.listingMapId)!;
    const text = got.text.split('\n');
    expect(text).toContain(
      `reservation: #${r.id} cancelled via ${LABELS[r.channelId]} (${r.confirmationCode})`,
    );
    expect(text).toContain(
      `guest: ${[r.guestName, r.guestEmail, r.phone, r.guestCountry].filter(Boolean).join(', ')}`,
    );
    expect(text).toContain(
      `stay: ${listing.name} (#${r.listingMapId}) ${r.arrivalDate} to ${r.departureDate}, ${r.nights} nights, ${r.numberOfGuests} guests`,
    );
    expect(text).toContain(`hours: check-in from ${r.checkInTime}:00, check-out by ${r.checkOutTime}:00`);
    expect(text).toContain(
      `money: total ${r.totalPrice} ${r.currency} (taxes ${r.taxAmount}, cleaning ${r.cleaningFee}, channel commission ${r.channelCommissionAmount}); ${r.isPaid ? 'paid' : 'not paid'}`,
    );
    expect(text).toContain(`booked: ${r.reservationDate}`);
    expect(text).toContain(`updated: ${r.updatedOn}`);
    expect(text).toContain(`cancelled: ${r.cancellationDate} by ${r.cancelledBy}`);
    expect(text.some((l) => l.startsWith('full:'))).toBe(false);

    const full = await callRaw('hostaway_get_reservation', { reservationId: unpaid.id, detail: 'full' });
    const detail = full.out as { full: unknown };
    const single = await fetch(`${runtime.sandbox!.url}/reservations/${unpaid.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(detail.full).toEqual(((await single.json()) as { result: unknown }).result);
    expect(full.text).toMatch(/; not paid\n/);
    expect(full.text).not.toMatch(/\ncancelled: /);
    expect(full.text.split('\n')[0]).toBe(`reservation: #${unpaid.id} new via ${LABELS[unpaid.channelId]}`);
    expect(full.text.split('\n').at(-1)).toBe(`full: ${JSON.stringify(detail.full)}`);
  });
});
