import { describe, expect, it } from 'vitest';
import { useTestServer } from '../helpers/server.js';

const NOW = '2026-11-29T03:30:00Z';
const LIVE = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
  'inquiry',
  'inquiryPreapproved',
];

/** The local calendar date of NOW in a zone, by the platform's own formatting (not our date helpers). */
const localDate = (zone: string, plusDays = 0) =>
  new Date(Date.parse(NOW) + plusDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: zone });

describe('the manager’s day, at an hour where US zones and UTC disagree', () => {
  const server = useTestServer(NOW);
  const { store, zoneOf, call } = server;
  /** Every reservation id over all pages of a search. */
  const searchAll = async (args: Record<string, unknown>) => {
    const ids: number[] = [];
    let cursor: number | undefined;
    for (let i = 0; i < 50; i++) {
      const out = await call<{ reservations: Array<{ id: number }>; nextCursor: number | null }>(
        'hostaway_search_reservations',
        { ...args, limit: 100, ...(cursor ? { cursor } : {}) },
      );
      ids.push(...out.reservations.map((r) => r.id));
      if (!out.nextCursor) break;
      cursor = out.nextCursor;
    }
    return ids.sort((a, b) => a - b);
  };

  it('the clock is where the test says: the 28th in every listing zone, the 29th in UTC', () => {
    expect(localDate('UTC')).toBe('2026-11-29');
    for (const l of store().allListings()) expect(localDate(l.timeZoneName as string)).toBe('2026-11-28');
  });

  it('"arriving today" is each listing’s own today, not UTC’s', async () => {
    const ids = await searchAll({ arrivalFrom: 'today', arrivalTo: 'today', statuses: ['all'] });
    const expected = store()
      .allReservations()
      .filter((r) => r.arrivalDate === localDate(zoneOf(r.listingMapId)))
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
    const utcArrivals = store()
      .allReservations()
      .filter((r) => r.arrivalDate === '2026-11-29');
    expect(utcArrivals.every((r) => !ids.includes(r.id))).toBe(true);
  });

  it('departures tomorrow and a week ahead follow the listing day too', async () => {
    const ids = await searchAll({ departureFrom: 'tomorrow', departureTo: '+7', statuses: ['all'] });
    const expected = store()
      .allReservations()
      .filter((r) => {
        const zone = zoneOf(r.listingMapId);
        return r.departureDate >= localDate(zone, 1) && r.departureDate <= localDate(zone, 7);
      })
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(ids).toEqual(expected);
  });

  it('a search keeps live stays by default, and every status when asked', async () => {
    const range = { arrivalFrom: '2026-09-01', arrivalTo: '2026-12-31' };
    const inRange = store()
      .allReservations()
      .filter((r) => r.arrivalDate >= '2026-09-01' && r.arrivalDate <= '2026-12-31');
    const live = await searchAll(range);
    expect(live).toEqual(
      inRange
        .filter((r) => LIVE.includes(r.status))
        .map((r) => r.id)
        .sort((a, b) => a - b),
    );
    const all = await searchAll({ ...range, statuses: ['all'] });
    expect(all).toEqual(inRange.map((r) => r.id).sort((a, b) => a - b));
    expect(all.length).toBeGreaterThan(live.length);
    const two = await searchAll({ ...range, statuses: ['cancelled', 'ownerStay'] });
    expect(two).toEqual(
      inRange
        .filter((r) => r.status === 'cancelled' || r.status === 'ownerStay')
        .map((r) => r.id)
        .sort((a, b) => a - b),
    );
  });

  it('the availability of one listing starts on its own today', async () => {
    const listing = store().allListings()[0]!;
    const out = await call<{ today: string; startDate: string; endDate: string }>(
      'hostaway_get_availability',
      {
        listingId: listing.id,
        startDate: 'today',
        endDate: '+6',
      },
    );
    expect(out.today).toBe(localDate(listing.timeZoneName as string));
    expect([out.startDate, out.endDate]).toEqual([out.today, localDate(listing.timeZoneName as string, 6)]);
  });

  it('who is waiting: live stays only by default, each with its status, dates and phase, longest wait first', async () => {
    type Line = {
      conversationId: number;
      reservationId: number | null;
      status: string | null;
      arrival: string | null;
      departure: string | null;
      stay: string | null;
      arrivingSoon: boolean;
      waitingMinutes: number | null;
      listingId: number | null;
    };
    type Out = { conversations: Line[]; matched: number; hidden: number; nextOffset: number | null };
    const live = await call<Out>('hostaway_list_conversations', { waitingOnly: true, scan: 1000, limit: 50 });
    const all = await call<Out>('hostaway_list_conversations', {
      waitingOnly: true,
      scan: 1000,
      limit: 50,
      stays: 'all',
    });
    expect(live.matched).toBeGreaterThan(0);
    expect(all.matched).toBe(live.matched + live.hidden);
    expect(live.hidden).toBeGreaterThan(0);
    const closed = [
      'cancelled',
      'declined',
      'expired',
      'inquiryDenied',
      'inquiryTimedout',
      'inquiryNotPossible',
    ];
    for (const c of live.conversations) {
      const r = store()
        .allReservations()
        .find((x) => x.id === c.reservationId)!;
      const today = localDate(zoneOf(r.listingMapId));
      expect([c.status, c.arrival, c.departure]).toEqual([r.status, r.arrivalDate, r.departureDate]);
      expect(closed).not.toContain(r.status);
      // Not long past: gone at most three days before the listing's today.
      expect(
        r.departureDate >=
          new Date(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10),
      ).toBe(true);
      const expectedStay =
        r.status === 'inquiry' || r.status === 'inquiryPreapproved'
          ? 'inquiry'
          : r.arrivalDate > today
            ? 'upcoming'
            : r.departureDate >= today
              ? 'current'
              : 'recent';
      expect(c.stay).toBe(expectedStay);
    }
    const waits = live.conversations.map((c) => c.waitingMinutes ?? -1);
    expect(waits).toEqual([...waits].sort((a, b) => b - a));
    // Guests who arrive within two days of the listing's today are marked; stays far off are not.
    for (const c of live.conversations) {
      const far = c.arrival !== null && c.arrival > localDate(zoneOf(c.listingId as number), 3);
      const before = c.arrival !== null && c.arrival < localDate(zoneOf(c.listingId as number));
      if (far || before) expect(c.arrivingSoon).toBe(false);
    }
    expect(all.conversations.some((c) => closed.includes(c.status ?? ''))).toBe(true);
  });

  it('guests whose check-in is within 48 hours are marked, and only they', async () => {
    // Late November: every listing zone is on standard time.
    const OFFSET: Record<string, number> = {
      'America/New_York': -5,
      'America/Chicago': -6,
      'America/Denver': -7,
      'America/Phoenix': -7,
      'America/Los_Angeles': -8,
      'Pacific/Honolulu': -10,
    };
    const out = await call<{
      conversations: Array<{ reservationId: number | null; arrivingSoon: boolean; stay: string | null }>;
    }>('hostaway_list_conversations', { scan: 1000, limit: 50, stays: 'all' });
    let marked = 0;
    for (const c of out.conversations) {
      const r = store()
        .allReservations()
        .find((x) => x.id === c.reservationId);
      if (!r) continue;
      const listing = store().listing(r.listingMapId);
      const hour = r.checkInTime ?? listing.checkInTimeStart ?? 15;
      const offset = OFFSET[listing.timeZoneName as string] as number;
      const checkIn = Date.parse(`${r.arrivalDate}T00:00:00Z`) + (hour - offset) * 3_600_000;
      const hours = (checkIn - Date.parse(NOW)) / 3_600_000;
      const expected = hours >= 0 && hours <= 48 && c.stay !== 'closed';
      expect(c.arrivingSoon, `${r.id}: ${hours} h`).toBe(expected);
      if (expected) marked++;
    }
    expect(marked).toBeGreaterThan(0);
  });
});
