import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Out = Record<string, unknown>;
type RawDay = { date: string; isAvailable: number; status: string; price: number; minimumStay: number };

/** Statuses that hold a unit's nights, written out here rather than taken from the code under test. */
const HOLDING = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
];
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('tool answers agree with the account they read', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let token: string;
  const call = async <T = Out>(name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as T;
  };
  /** The sandbox's own answer over HTTP, read without the server's client. */
  const raw = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${runtime.sandbox!.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return ((await res.json()) as { result: T }).result;
  };
  const rawCalendar = (listingId: number, start: string, end: string) =>
    raw<RawDay[]>(`/listings/${listingId}/calendar?startDate=${start}&endDate=${end}`);
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'modern (HTTP over a socket)'));
    token = await mintToken(runtime.sandbox!);
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => runtime.sandbox!.store();

  it("today's arrivals are exactly the stays arriving today", async () => {
    const today = '2026-11-25';
    const out = await call<{
      reservations: Array<{ id: number; listing: string | null }>;
      nextCursor: number | null;
    }>('hostaway_search_reservations', { arrivalFrom: today, arrivalTo: today, limit: 100 });
    const expected = store()
      .allReservations()
      .filter((r) => r.arrivalDate === today)
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(out.reservations.map((r) => r.id).sort()).toEqual([...expected].sort());
    expect(out.reservations.every((r) => r.listing)).toBe(true);
    expect(out.nextCursor).toBeNull();
  });

  it('several statuses: every page together holds exactly the stays in the range with one of them', async () => {
    const statuses = ['cancelled', 'pending', 'modified'];
    const args = { arrivalFrom: '2026-09-01', arrivalTo: '2026-11-30', statuses, limit: 40 };
    const seen: number[] = [];
    let pages = 0;
    let cursor: number | null = null;
    do {
      const page: { reservations: Array<{ id: number; status: string }>; nextCursor: number | null } =
        await call('hostaway_search_reservations', cursor ? { ...args, cursor } : args);
      seen.push(...page.reservations.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    const expected = store()
      .allReservations()
      .filter(
        (r) => r.arrivalDate >= '2026-09-01' && r.arrivalDate <= '2026-11-30' && statuses.includes(r.status),
      );
    // The oracle holds each asked status, and more rows than one page: a filter that keeps one status,
    // or stops at the first page, cannot match it.
    for (const s of statuses) expect(expected.filter((r) => r.status === s).length).toBeGreaterThan(1);
    expect(pages).toBeGreaterThan(3);
    expect(seen).toHaveLength(new Set(seen).size);
    expect([...seen].sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it('availability: each day as the calendar has it, in the listing time zone', async () => {
    const listingId = 40162;
    const out = await call<{
      today: string;
      listing: { id: number; name: string; timeZone: string };
      summary: Record<string, number | null>;
      days: Array<{
        date: string;
        available: boolean;
        reason: string | null;
        price: number | null;
        minStay: number | null;
        reservationId: number | null;
      }>;
    }>('hostaway_get_availability', { listingId, startDate: '2026-11-20', endDate: '2027-01-31' });
    const listing = store()
      .allListings()
      .find((l) => l.id === listingId)!;
    expect(out.listing).toEqual({ id: listingId, name: listing.name, timeZone: listing.timeZoneName });
    const localToday = new Intl.DateTimeFormat('en-CA', {
      timeZone: listing.timeZoneName!,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(runtime.now());
    expect(out.today).toBe(localToday);

    // The oracle: the sandbox's raw calendar for prices and host blocks, the stays for who holds a night.
    const calendar = await rawCalendar(listingId, '2026-11-20', '2027-01-31');
    expect(calendar).toHaveLength(73);
    const stays = store()
      .allReservations()
      .filter((r) => r.listingMapId === listingId && HOLDING.includes(r.status));
    const expected = calendar.map((d) => {
      const stay = stays.find((r) => r.arrivalDate <= d.date && d.date < r.departureDate);
      const confirmed = stay && ['new', 'modified', 'ownerStay'].includes(stay.status);
      const reason = stay ? (confirmed ? 'reserved' : 'pending') : d.status === 'blocked' ? 'blocked' : null;
      return {
        date: d.date,
        available: reason === null,
        reason,
        price: d.price,
        minStay: d.minimumStay,
        reservationId: stay?.id ?? null,
      };
    });
    expect(out.days).toEqual(expected);
    const count = (reason: string | null) => expected.filter((d) => d.reason === reason).length;
    expect(count('reserved')).toBeGreaterThan(0);
    expect(count(null)).toBeGreaterThan(0);
    const free = expected.filter((d) => d.available);
    const notBlocked = 73 - count('blocked');
    expect(out.summary).toEqual({
      days: 73,
      available: free.length,
      reserved: count('reserved'),
      pending: count('pending'),
      blocked: count('blocked'),
      occupancyPercent: Math.round((1000 * (count('reserved') + count('pending'))) / notBlocked) / 10,
      averageAvailablePrice: Math.round(free.reduce((s, d) => s + d.price, 0) / free.length),
    });

    const ranges = await call<{ ranges: Array<{ from: string; to: string; state: string }> }>(
      'hostaway_get_availability',
      { listingId, startDate: '2026-11-20', endDate: '2027-01-31', format: 'ranges' },
    );
    const runs: Array<{ from: string; to: string; state: string }> = [];
    for (const d of expected) {
      const state = d.reason ?? 'available';
      const last = runs.at(-1);
      if (last && last.state === state && nextDay(last.to) === d.date) last.to = d.date;
      else runs.push({ from: d.date, to: d.date, state });
    }
    expect(ranges.ranges).toEqual(runs);
  });

  it('listings found free for a stay are exactly those free every night of it, in id order', async () => {
    const [checkIn, checkOut] = ['2027-03-08', '2027-03-11'];
    const nights = ['2027-03-08', '2027-03-09', '2027-03-10'];
    const out = await call<{
      nights: number;
      listings: Array<{
        id: number;
        stayPrice: number | null;
        averageNightly: number | null;
        capacity: number;
      }>;
      moreAvailable: boolean;
    }>('hostaway_find_available_listings', { checkIn, checkOut, guests: 4, limit: 25 });
    expect(out.nights).toBe(3);
    const free: Array<{ id: number; stayPrice: number }> = [];
    for (const l of store().allListings()) {
      if ((l.personCapacity ?? 0) < 4) continue;
      const held = store()
        .allReservations()
        .some(
          (r) =>
            r.listingMapId === l.id &&
            HOLDING.includes(r.status) &&
            nights.some((n) => r.arrivalDate <= n && n < r.departureDate),
        );
      const calendar = await rawCalendar(l.id, nights[0]!, nights[2]!);
      const blocked = calendar.some((d) => d.status === 'blocked');
      if (!held && !blocked) free.push({ id: l.id, stayPrice: calendar.reduce((s, d) => s + d.price, 0) });
    }
    expect(free.length).toBeGreaterThan(2);
    expect(free.length).toBeLessThan(25);
    free.sort((a, b) => a.id - b.id);
    expect(out.listings.map((l) => [l.id, l.stayPrice, l.averageNightly])).toEqual(
      free.map((f) => [f.id, f.stayPrice, Math.round(f.stayPrice / 3)]),
    );
    expect(out.moreAvailable).toBe(false);

    const firstTwo = await call<{ listings: Array<{ id: number }>; moreAvailable: boolean }>(
      'hostaway_find_available_listings',
      { checkIn, checkOut, guests: 4, limit: 2 },
    );
    expect(firstTwo.listings.map((l) => l.id)).toEqual(free.slice(0, 2).map((f) => f.id));
    expect(firstTwo.moreAvailable).toBe(true);
  });

  it('who is waiting: guests who wrote last, longest wait first, with the right number of minutes', async () => {
    const out = await call<{
      conversations: Array<{
        conversationId: number;
        lastFrom: string;
        waitingMinutes: number;
        lastMessageAt: string;
        unread: boolean;
      }>;
    }>('hostaway_list_conversations', { waitingOnly: true, scan: 1000, limit: 50 });
    expect(out.conversations.length).toBeGreaterThan(3);
    const waits = out.conversations.map((c) => c.waitingMinutes);
    expect(waits).toEqual([...waits].sort((a, b) => b - a));
    for (const c of out.conversations) {
      expect(c.lastFrom).toBe('guest');
      const expected = Math.round(
        (runtime.now() - Date.parse(`${c.lastMessageAt.replace(' ', 'T')}Z`)) / 60_000,
      );
      expect(Math.abs(c.waitingMinutes - expected)).toBeLessThanOrEqual(1);
    }
    const thread = await call<{ messages: Array<{ from: string; at: string }> }>(
      'hostaway_get_conversation',
      {
        conversationId: out.conversations[0]!.conversationId,
      },
    );
    expect(thread.messages.at(-1)?.from).toBe('guest');
    const at = thread.messages.map((m) => m.at);
    expect(at).toEqual([...at].sort());
  });

  it("the finance report: every part is the sum of Hostaway's own columns, the parts add up, cancelled apart", async () => {
    type Parts = Record<string, number>;
    const out = await call<{
      reservations: number;
      currency: string;
      byStatus: Record<string, number>;
      stays: Parts;
      cancelled: Parts;
      groups: Array<{ key: string } & Parts>;
      complete: boolean;
    }>('hostaway_finance_report', { from: '2026-10-01', to: '2026-10-31', groupBy: 'channel' });
    const fd = new FormData();
    for (const [k, v] of Object.entries({ format: 'json', fromDate: '2026-10-01', toDate: '2026-10-31' }))
      fd.append(k, v);
    const report = await raw<{ columns: Array<{ name: string }>; rows: Array<Array<string | number>> }>(
      '/finance/report/consolidated',
      { method: 'POST', body: fd },
    );
    const col = (name: string) => report.columns.findIndex((c) => c.name === name);
    const cell = (row: Array<string | number>, name: string) => row[col(name)] as number;
    const sum = (rows: Array<Array<string | number>>, f: (row: Array<string | number>) => number) =>
      rows.reduce((s, row) => s + f(row), 0);
    const isCancelled = (row: Array<string | number>) => row[col('status')] === 'cancelled';
    // The oracle, from the raw rows: what each part means, summed here.
    const expectedStays = (rows: Array<Array<string | number>>) => {
      const kept = rows.filter((r) => !isCancelled(r));
      return {
        count: kept.length,
        rent: sum(kept, (r) => cell(r, 'accommodationFee') - cell(r, 'cleaningFeeValue')),
        cleaning: sum(kept, (r) => cell(r, 'cleaningFeeValue')),
        taxes: sum(kept, (r) => cell(r, 'totalTax')),
        guestTotal: sum(kept, (r) => cell(r, 'accommodationFee') + cell(r, 'totalTax')),
        channelFees: sum(kept, (r) => cell(r, 'hostChannelFee')),
        managementCommission: sum(kept, (r) => cell(r, 'pmCommission')),
        ownerPayout: sum(kept, (r) => cell(r, 'ownerPayout')),
      };
    };
    const expectedCancelled = (rows: Array<Array<string | number>>) => {
      const gone = rows.filter(isCancelled);
      return {
        count: gone.length,
        payout: sum(gone, (r) => cell(r, 'cancellationPayout')),
        managementCommission: sum(gone, (r) => cell(r, 'pmCommission')),
        ownerPayout: sum(gone, (r) => cell(r, 'ownerPayout')),
      };
    };
    const close2 = (actual: Parts, expected: Parts) => {
      for (const [k, v] of Object.entries(expected)) expect(actual[k], k).toBeCloseTo(v, 2);
    };
    expect(out.reservations).toBe(report.rows.length);
    expect(out.currency).toBe('USD');
    expect(out.complete).toBe(true);
    const stays = expectedStays(report.rows);
    // Every part carries money, and no two are equal: a swapped or merged column cannot pass.
    const money = Object.entries(stays)
      .filter(([k]) => k !== 'count')
      .map(([, v]) => v.toFixed(2));
    expect(new Set(money).size).toBe(money.length);
    close2(out.stays, stays);
    close2(out.cancelled, expectedCancelled(report.rows));
    expect(out.cancelled.count).toBeGreaterThan(0);
    expect(out.cancelled.payout).toBeGreaterThan(0);
    // The parts add up: what guests paid, and where the lodging money went.
    const s = out.stays as Record<
      | 'rent'
      | 'cleaning'
      | 'taxes'
      | 'guestTotal'
      | 'channelFees'
      | 'managementCommission'
      | 'ownerPayout'
      | 'other',
      number
    >;
    expect(s.rent + s.cleaning + s.taxes).toBeCloseTo(s.guestTotal, 2);
    expect(s.channelFees + s.managementCommission + s.ownerPayout + s.other).toBeCloseTo(
      s.rent + s.cleaning,
      2,
    );
    const statusCounts: Record<string, number> = {};
    for (const row of report.rows)
      statusCounts[row[col('status')] as string] = (statusCounts[row[col('status')] as string] ?? 0) + 1;
    expect(out.byStatus).toEqual(statusCounts);

    // The stays themselves say the same for the parts that are stored on them.
    const inRange = store()
      .allReservations()
      .filter((r) => r.arrivalDate >= '2026-10-01' && r.arrivalDate <= '2026-10-31');
    const earning = inRange.filter((r) => r.status === 'new' || r.status === 'modified');
    expect(out.reservations).toBe(
      inRange.filter((r) => ['new', 'modified', 'cancelled'].includes(r.status)).length,
    );
    expect(out.stays.taxes).toBeCloseTo(
      earning.reduce((a, r) => a + (r.taxAmount ?? 0), 0),
      2,
    );
    expect(out.stays.cleaning).toBeCloseTo(
      earning.reduce((a, r) => a + (r.cleaningFee ?? 0), 0),
      2,
    );
    expect(out.stays.channelFees).toBeCloseTo(
      earning.reduce((a, r) => a + (r.channelCommissionAmount ?? 0), 0),
      2,
    );
    expect(out.stays.guestTotal).toBeCloseTo(
      earning.reduce((a, r) => a + (r.totalPrice ?? 0), 0),
      2,
    );

    const LABELS: Record<string, string> = {
      airbnbOfficial: 'Airbnb',
      bookingcom: 'Booking.com',
      homeaway: 'Vrbo',
      direct: 'Direct',
      bookingengine: 'Booking engine',
      expedia: 'Expedia',
      google: 'Google',
      marriott: 'Marriott',
      partner: 'Partner',
      customIcal: 'Custom iCal',
      homeawayical: 'HomeAway iCal',
      vrboical: 'Vrbo iCal',
      tripadvisorical: 'TripAdvisor iCal',
      wordpress: 'WordPress',
      gds: 'GDS',
    };
    const byChannel = new Map<string, Array<Array<string | number>>>();
    for (const row of report.rows) {
      const key = LABELS[row[col('channelName')] as string] ?? String(row[col('channelName')]);
      byChannel.set(key, [...(byChannel.get(key) ?? []), row]);
    }
    expect(byChannel.size).toBeGreaterThan(2);
    expect(out.groups.map((g) => g.key).sort()).toEqual([...byChannel.keys()].sort());
    for (const g of out.groups) {
      const rows = byChannel.get(g.key)!;
      const { count, ...staysOfGroup } = expectedStays(rows);
      const gone = expectedCancelled(rows);
      expect([g.stays, g.cancelled], g.key).toEqual([count, gone.count]);
      close2(g, { ...staysOfGroup, cancellationPayout: gone.payout });
    }
    const rent = out.groups.map((g) => g.rent as number);
    expect(rent).toEqual([...rent].sort((a, b) => b - a));
  });

  it('reservation detail carries the guest contact from the reservation itself', async () => {
    const sample = store()
      .allReservations()
      .find((r) => r.channelId === 2005)!;
    const out = await call<{
      reservation: {
        guest: { name: string; email: string; phone: string };
        channel: string;
        stay: { listing: string };
      };
    }>('hostaway_get_reservation', { reservationId: sample.id });
    expect(out.reservation.guest).toMatchObject({
      name: sample.guestName,
      email: sample.guestEmail,
      phone: sample.phone,
    });
    expect(out.reservation.channel).toBe('Booking.com');
    expect(out.reservation.stay.listing).toBe(store().listing(sample.listingMapId).name);
    const full = await call<{ full: Record<string, unknown> }>('hostaway_get_reservation', {
      reservationId: sample.id,
      detail: 'full',
    });
    expect(full.full.guestEmail).toBe(sample.guestEmail);
  });
});
