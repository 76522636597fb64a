import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInZone } from '../../src/hostaway/dates.js';
import { BLOCKING_STATUSES, type ReservationStatus } from '../../src/hostaway/schemas.js';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Out = Record<string, unknown>;

describe('tool answers agree with the account they read', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  const call = async <T = Out>(name: string, args: Record<string, unknown>) => {
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return r.structuredContent as T;
  };
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'modern (HTTP over a socket)'));
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
    expect(out.reservations.map((r) => r.id).sort()).toEqual([...expected].sort());
    expect(out.reservations.every((r) => r.listing)).toBe(true);
    expect(out.nextCursor).toBeNull();
  });

  it('the status filter keeps only the asked statuses and says it was applied here', async () => {
    const out = await call<{ reservations: Array<{ status: string }>; note: string }>(
      'hostaway_search_reservations',
      {
        arrivalFrom: '2026-09-01',
        arrivalTo: '2026-11-30',
        statuses: ['cancelled'],
        limit: 100,
      },
    );
    expect(out.reservations.length).toBeGreaterThan(0);
    expect(out.reservations.every((r) => r.status === 'cancelled')).toBe(true);
    expect(out.note).toMatch(/filtered by this server: \d+ of \d+ on this page had other statuses/);
  });

  it('availability counts match the days, in the listing time zone', async () => {
    const out = await call<{
      today: string;
      listing: { timeZone: string };
      summary: { days: number; available: number; reserved: number; pending: number; blocked: number };
      days: Array<{ date: string; available: boolean; reason: string | null; reservationId: number | null }>;
    }>('hostaway_get_availability', { listingId: 40162, startDate: '2026-11-20', endDate: '2027-01-31' });
    expect(out.days).toHaveLength(73);
    expect(out.summary.days).toBe(73);
    expect(out.summary.available + out.summary.reserved + out.summary.pending + out.summary.blocked).toBe(73);
    expect(out.today).toBe(dateInZone(runtime.now(), out.listing.timeZone));
    for (const d of out.days.filter((x) => x.reason === 'reserved')) {
      const r = store()
        .allReservations()
        .find((x) => x.id === d.reservationId)!;
      expect(r.arrivalDate <= d.date && d.date < r.departureDate).toBe(true);
    }
    const ranges = await call<{ ranges: Array<{ from: string; to: string; state: string }> }>(
      'hostaway_get_availability',
      {
        listingId: 40162,
        startDate: '2026-11-20',
        endDate: '2027-01-31',
        format: 'ranges',
      },
    );
    expect(ranges.ranges[0]?.from).toBe('2026-11-20');
    expect(ranges.ranges.at(-1)?.to).toBe('2027-01-31');
  });

  it('listings found free for a stay are free on every night of it', async () => {
    const out = await call<{
      nights: number;
      listings: Array<{ id: number; stayPrice: number | null; capacity: number }>;
    }>('hostaway_find_available_listings', {
      checkIn: '2027-03-08',
      checkOut: '2027-03-11',
      guests: 4,
      limit: 25,
    });
    expect(out.nights).toBe(3);
    expect(out.listings.length).toBeGreaterThan(0);
    for (const l of out.listings) {
      expect(l.capacity).toBeGreaterThanOrEqual(4);
      const listing = store().listing(l.id);
      expect(store().isFree(listing, '2027-03-08', '2027-03-11')).toBe(true);
      expect(l.stayPrice).toBeGreaterThan(0);
    }
    const all = store()
      .allListings()
      .filter((l) => (l.personCapacity ?? 0) >= 4 && store().isFree(l, '2027-03-08', '2027-03-11'));
    expect(out.listings.length).toBe(Math.min(25, all.length));
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

  it('the finance report adds up: disjoint parts, cancelled apart, counts by status', async () => {
    type Money = {
      count: number;
      rent: number;
      cleaning: number;
      taxes: number;
      guestTotal: number;
      channelFees: number;
      managementCommission: number;
      ownerPayout: number;
      other: number;
      payout: number;
    };
    const out = await call<{
      reservations: number;
      byStatus: Record<string, number>;
      stays: Money;
      cancelled: Money;
      groups: Array<{ key: string; stays: number; cancelled: number; ownerPayout: number }>;
      complete: boolean;
    }>('hostaway_finance_report', { from: '2026-10-01', to: '2026-10-31', groupBy: 'channel' });
    // The oracle: the sandbox's own stays in the default statuses, summed here.
    const stays = store()
      .allReservations()
      .filter(
        (r) =>
          r.arrivalDate >= '2026-10-01' &&
          r.arrivalDate <= '2026-10-31' &&
          ['new', 'modified', 'cancelled'].includes(r.status),
      );
    const kept = stays.filter((r) => r.status !== 'cancelled');
    const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;
    expect(out.reservations).toBe(stays.length);
    expect(out.stays.count).toBe(kept.length);
    expect(out.cancelled.count).toBe(stays.length - kept.length);
    expect(out.byStatus).toEqual(
      Object.fromEntries(
        ['new', 'modified', 'cancelled']
          .map((st) => [st, stays.filter((r) => r.status === st).length])
          .filter(([, n]) => n),
      ),
    );
    expect(out.stays.taxes).toBeCloseTo(sum(kept.map((r) => r.taxAmount ?? 0)), 2);
    expect(out.stays.cleaning).toBeCloseTo(sum(kept.map((r) => r.cleaningFee ?? 0)), 2);
    expect(out.stays.guestTotal).toBeCloseTo(sum(kept.map((r) => r.totalPrice ?? 0)), 2);
    expect(out.stays.channelFees).toBeCloseTo(sum(kept.map((r) => r.channelCommissionAmount ?? 0)), 2);
    // The parts add up.
    const s = out.stays;
    expect(s.rent + s.cleaning + s.taxes).toBeCloseTo(s.guestTotal, 2);
    expect(s.channelFees + s.managementCommission + s.ownerPayout + s.other).toBeCloseTo(
      s.rent + s.cleaning,
      2,
    );
    expect(out.groups.reduce((a, g) => a + g.stays + g.cancelled, 0)).toBe(out.reservations);
    expect(out.groups.reduce((a, g) => a + g.ownerPayout, 0)).toBeCloseTo(s.ownerPayout, 2);
    expect(out.complete).toBe(true);
    expect(out.groups.map((g) => g.key)).toEqual(expect.arrayContaining(['Airbnb', 'Booking.com']));
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
