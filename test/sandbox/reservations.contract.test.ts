import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCKING_STATUSES,
  CHANNELS,
  Conversation,
  RESERVATION_STATUSES,
  Reservation,
  type ReservationStatus,
} from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

type R = ReturnType<typeof Reservation.parse>;

describe('reservations (_reservation_retrieveReservationsList.md, _reservation_retrieveReservation.md)', () => {
  let h: Harness;
  let all: R[];
  beforeAll(async () => {
    h = await startHarness();
    all = parseList(Reservation, await h.get('/reservations?limit=10000')).result;
  });
  afterAll(() => h.close());

  const list = async (query: string) => parseList(Reservation, await h.get(`/reservations?${query}`));

  it('returns documented reservation objects; 100 by default, newest update first', async () => {
    const page = await list('');
    expect(page.limit).toBe(100);
    expect(page.result).toHaveLength(100);
    expect(page.count).toBe(all.length);
    const keys = page.result.map((r) => `${r.updatedOn}|${String(r.id).padStart(9, '0')}`);
    expect(keys).toEqual([...keys].sort().reverse());
    for (const r of page.result) {
      expect(r.hostawayReservationId).toBe(r.id);
      expect(CHANNELS[r.channelId as keyof typeof CHANNELS]).toBe(r.channelName);
      expect(RESERVATION_STATUSES).toContain(r.status);
    }
  });

  it('spans 12 months back and 6 ahead, across real channels and statuses', () => {
    const arrivals = all.map((r) => r.arrivalDate).sort();
    expect(arrivals[0]! < '2025-12-01').toBe(true);
    expect(arrivals.at(-1)! > '2027-04-30').toBe(true);
    const channels = new Set(all.map((r) => r.channelName));
    for (const c of ['airbnbOfficial', 'bookingcom', 'homeaway', 'direct']) expect(channels).toContain(c);
    const statuses = new Set(all.map((r) => r.status));
    // Every documented status and every documented channel (seed 42).
    expect([...statuses].sort()).toEqual([...RESERVATION_STATUSES].sort());
    expect([...channels].sort()).toEqual(Object.values(CHANNELS).sort());
  });

  it('never lets two stays that hold dates overlap on one listing', () => {
    const byListing = new Map<number, R[]>();
    for (const r of all)
      if (BLOCKING_STATUSES.has(r.status as ReservationStatus))
        byListing.set(r.listingMapId, [...(byListing.get(r.listingMapId) ?? []), r]);
    for (const stays of byListing.values()) {
      stays.sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate));
      for (let i = 1; i < stays.length; i++)
        expect(
          stays[i]!.arrivalDate >= stays[i - 1]!.departureDate,
          `${stays[i - 1]!.id} / ${stays[i]!.id}`,
        ).toBe(true);
    }
  });

  it('keeps money consistent: total = nightly base + cleaning + tax', () => {
    for (const r of all.filter((x) => x.status !== 'ownerStay').slice(0, 300)) {
      const base = r.financeField?.find((f) => f.name === 'baseRate')?.value ?? 0;
      expect(r.totalPrice).toBeCloseTo(base + (r.cleaningFee ?? 0) + (r.taxAmount ?? 0), 2);
      expect(r.nights).toBeGreaterThan(0);
    }
  });

  it.each([
    [
      'arrivalStartDate/arrivalEndDate',
      'arrivalStartDate=2026-11-25&arrivalEndDate=2026-11-30',
      (r: R) => r.arrivalDate >= '2026-11-25' && r.arrivalDate <= '2026-11-30',
    ],
    [
      'departureStartDate/departureEndDate',
      'departureStartDate=2026-11-25&departureEndDate=2026-11-25',
      (r: R) => r.departureDate === '2026-11-25',
    ],
    ['channelId', 'channelId=2005', (r: R) => r.channelId === 2005],
    [
      'latestActivityStart/End',
      'latestActivityStart=2026-11-20&latestActivityEnd=2026-11-25',
      (r: R) =>
        (r.latestActivityOn ?? '').slice(0, 10) >= '2026-11-20' &&
        (r.latestActivityOn ?? '').slice(0, 10) <= '2026-11-25',
    ],
  ])('filters by %s exactly', async (_name, query, predicate) => {
    const page = await list(`${query}&limit=10000`);
    const expected = all.filter(predicate);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.count).toBe(expected.length);
    expect(new Set(page.result.map((r) => r.id))).toEqual(new Set(expected.map((r) => r.id)));
  });

  it('filters by listingId, match (guest name) and guestEmail', async () => {
    const sample = all[17]!;
    const byListing = await list(`listingId=${sample.listingMapId}&limit=10000`);
    expect(byListing.result.every((r) => r.listingMapId === sample.listingMapId)).toBe(true);
    expect(byListing.count).toBe(all.filter((r) => r.listingMapId === sample.listingMapId).length);
    const last = sample.guestLastName as string;
    const byName = await list(`match=${encodeURIComponent(last.toLowerCase())}&limit=10000`);
    expect(byName.result.every((r) => r.guestName?.toLowerCase().includes(last.toLowerCase()))).toBe(true);
    const byEmail = await list(
      `guestEmail=${encodeURIComponent((sample.guestEmail as string).toUpperCase())}`,
    );
    expect(byEmail.result.map((r) => r.id)).toContain(sample.id);
    expect(byEmail.result.every((r) => r.guestEmail === sample.guestEmail)).toBe(true);
  });

  it('hasUnreadConversationMessages matches the conversations flagged unread', async () => {
    const unread = await list('hasUnreadConversationMessages=1&limit=10000');
    expect(unread.count).toBeGreaterThan(0);
    expect(unread.count).toBeLessThan(all.length / 10);
    for (const r of unread.result.slice(0, 10)) {
      const convs = parseList(Conversation, await h.get(`/conversations?reservationId=${r.id}`)).result;
      expect(convs[0]?.hasUnreadMessages).toBe(1);
    }
    const read = await list('hasUnreadConversationMessages=0&limit=1');
    expect((read.count ?? 0) + (unread.count ?? 0)).toBe(all.length);
  });

  it('sorts by every documented sortOrder', async () => {
    const check = async (order: string, key: (r: R) => string, desc: boolean) => {
      const page = (await list(`sortOrder=${order}&limit=10000`)).result.map(key);
      const sorted = [...page].sort();
      expect(page).toEqual(desc ? sorted.reverse() : sorted);
    };
    await check('arrivalDate', (r) => r.arrivalDate, false);
    await check('arrivalDateDesc', (r) => r.arrivalDate, true);
    await check('latestActivity', (r) => r.latestActivityOn ?? '', false);
    await check('latestActivityDesc', (r) => r.latestActivityOn ?? '', true);
    await check('updatedOn', (r) => r.updatedOn ?? '', false);
    for (const order of ['lastConversationMessageSent', 'lastConversationMessageReceivedDesc'])
      expect((await list(`sortOrder=${order}&limit=5`)).result).toHaveLength(5);
    await expectFail(await h.api('/reservations?sortOrder=price'), 400, /sortOrder must be one of/);
  });

  it('afterId walks every page in order, without gaps or repeats (default order and arrivalDate)', async () => {
    for (const order of ['', 'arrivalDate']) {
      const seen: number[] = [];
      let afterId: number | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await list(
          `limit=250${order ? `&sortOrder=${order}` : ''}${afterId ? `&afterId=${afterId}` : ''}`,
        );
        if (page.result.length === 0) break;
        seen.push(...page.result.map((r) => r.id));
        afterId = page.result.at(-1)!.id;
      }
      expect(seen).toHaveLength(all.length);
      expect(new Set(seen).size).toBe(all.length);
    }
    await expectFail(await h.api('/reservations?afterId=5'), 400, /afterId 5/);
  });

  it('offset paging (deprecated) still works', async () => {
    const a = await list('limit=50&offset=0&sortOrder=arrivalDate');
    const b = await list('limit=50&offset=50&sortOrder=arrivalDate');
    expect(b.page).toBe(2);
    expect(a.result.at(-1)!.arrivalDate <= b.result[0]!.arrivalDate).toBe(true);
  });

  it('includeResources=1 fills the attached objects; without it they are empty', async () => {
    const withFees = (await list('includeResources=1&limit=20')).result.find(
      (r) => (r.cleaningFee ?? 0) > 0,
    )!;
    expect(withFees.reservationFees?.length).toBeGreaterThan(0);
    expect(withFees.hostProxyEmail).toBeTruthy();
    const plain = (await list('limit=20')).result;
    expect(plain.every((r) => r.reservationFees?.length === 0 && r.hostProxyEmail === null)).toBe(true);
  });

  it('GET /v1/reservations/{id} returns one; 404 for unknown; the /guest path does not exist', async () => {
    const one = parseItem(Reservation, await h.get(`/reservations/${all[0]!.id}`));
    // The single reservation adds the proxy e-mail and the cancellation policy fields to the listed one.
    const {
      hostProxyEmail,
      bookingCancellationPolicy,
      vrboCancellationPolicy,
      marriottCancellationPolicy,
      cancellationPolicyDetails,
      ...rest
    } = one.result;
    expect({ ...rest, hostProxyEmail: null }).toEqual(all.find((r) => r.id === all[0]!.id));
    expect(hostProxyEmail).toMatch(/@/);
    expect([bookingCancellationPolicy, vrboCancellationPolicy, marriottCancellationPolicy]).toHaveLength(3);
    expect(cancellationPolicyDetails === null || typeof cancellationPolicyDetails === 'object').toBe(true);
    await expectFail(await h.api('/reservations/42'), 404, /Reservation 42 not found/);
    await expectFail(await h.api(`/reservations/${all[0]!.id}/guest`), 404);
  });

  it('filters by customerUserId and reservationAgreement', async () => {
    const agreement = all[0]!.reservationAgreement!;
    const same = await list(`limit=10000&reservationAgreement=${agreement}`);
    expect(same.count).toBe(all.filter((r) => r.reservationAgreement === agreement).length);
    expect((await list('reservationAgreement=signed-nowhere')).count).toBe(0);
    expect((await list('customerUserId=nobody')).count).toBe(0);
  });

  it('rejects malformed filters with a 400 naming the parameter', async () => {
    await expectFail(await h.api('/reservations?listingId=abc'), 400, /listingId must be an integer/);
    await expectFail(await h.api('/reservations?hasUnreadConversationMessages=yes'), 400, /0 or 1/);
    await expectFail(
      await h.api('/reservations?arrivalStartDate=2026-12-01&arrivalEndDate=2026-11-01'),
      400,
      /must not be after/,
    );
    await expectFail(await h.api('/reservations?departureEndDate=2026-11-31'), 400, /YYYY-MM-DD/);
  });
});
