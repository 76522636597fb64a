/**
 * Reservation writes over real sockets (_reservation_createReservation.md,
 * _reservation_updateReservation.md, _reservation_cancelReservation.md): a booking made through the API
 * is a stay like the seeded ones (documented object, calendar held, a conversation of its own), a change
 * moves what it changes, a cancellation frees the nights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarDay, Conversation, Reservation } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

const LISTING = 40160;

describe('reservation writes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const post = (body: unknown, query = '') =>
    h.api(`/reservations${query}`, { method: 'POST', ...json(body) });
  const put = (path: string, body: unknown) => h.api(path, { method: 'PUT', ...json(body) });
  const created = async (res: Response) => {
    const text = await res.text();
    expect(res.status, text).toBe(200);
    return parseItem(Reservation, JSON.parse(text)).result;
  };
  const days = async (start: string, end: string) =>
    parseList(
      CalendarDay,
      await h.get(`/listings/${LISTING}/calendar?startDate=${start}&endDate=${end}&includeResources=1`),
    ).result;
  const stay = (arrivalDate: string, departureDate: string, over: Record<string, unknown> = {}) => ({
    channelId: 2000,
    listingMapId: LISTING,
    arrivalDate,
    departureDate,
    guestFirstName: 'Ada',
    guestLastName: 'Lovelace',
    guestEmail: 'ada@example.org',
    numberOfGuests: 2,
    ...over,
  });

  it('creates a documented reservation: new, stamped by the sandbox clock, priced, its nights held', async () => {
    const r = await created(await post(stay('2028-02-01', '2028-02-04')));
    expect(r).toMatchObject({
      listingMapId: LISTING,
      channelId: 2000,
      channelName: 'direct',
      source: 'direct',
      status: 'new',
      guestName: 'Ada Lovelace',
      guestFirstName: 'Ada',
      nights: 3,
      numberOfGuests: 2,
      adults: 2,
      hostawayReservationId: r.id,
    });
    expect(r.insertedOn).toMatch(/^2026-11-25 12:/);
    expect(r.updatedOn).toBe(r.insertedOn);
    expect(r.latestActivityOn).toBe(r.insertedOn);
    expect(r.totalPrice).toBeGreaterThan(0);
    // The same object on a later read, and in the list.
    expect(parseItem(Reservation, await h.get(`/reservations/${r.id}`)).result).toEqual(r);
    const calendar = await days('2028-01-31', '2028-02-04');
    expect(calendar.map((d) => d.status)).toEqual([
      'available',
      'reserved',
      'reserved',
      'reserved',
      'available',
    ]);
    expect(calendar[1]!.reservations?.[0]).toMatchObject({ id: r.id });
    // A thread with the guest is open, empty.
    const [conv] = parseList(Conversation, await h.get(`/reservations/${r.id}/conversations`)).result;
    expect(conv).toMatchObject({ reservationId: r.id, listingMapId: LISTING, hasUnreadMessages: 0 });
  });

  it('takes the total and the source as given (provider=), splits a full name', async () => {
    const r = await created(
      await post(
        {
          channelId: 2000,
          listingMapId: LISTING,
          arrivalDate: '2028-03-01',
          departureDate: '2028-03-02',
          guestName: 'Grace Brewster Hopper',
          totalPrice: 267,
        },
        '?provider=testProvider',
      ),
    );
    expect(r).toMatchObject({
      source: 'testProvider',
      totalPrice: 267,
      guestFirstName: 'Grace',
      guestLastName: 'Brewster Hopper',
      nights: 1,
    });
  });

  it('refuses dates another stay holds, unless forceOverbooking=1', async () => {
    const first = await created(await post(stay('2028-04-10', '2028-04-15')));
    const said = await expectFail(await post(stay('2028-04-14', '2028-04-16')), 400, /forceOverbooking=1/);
    expect(said).toContain(String(first.id));
    // Back to back is no overlap: the departure day is not a night.
    await created(await post(stay('2028-04-15', '2028-04-16')));
    const forced = await created(await post(stay('2028-04-12', '2028-04-13'), '?forceOverbooking=1'));
    expect(forced.status).toBe('new');
  });

  it('answers 400 naming what is wrong with a body', async () => {
    await expectFail(await post(stay('2028-05-02', '2028-05-02')), 400, /departureDate .* after arrivalDate/);
    await expectFail(await post(stay('2028-05-02', '2028-02-30')), 400, /not a real date/);
    await expectFail(
      await post(stay('2028-05-01', '2028-05-03', { listingMapId: 99 })),
      400,
      /listingMapId 99/,
    );
    await expectFail(
      await post(stay('2028-05-01', '2028-05-03', { channelId: 1234 })),
      400,
      /channelId 1234/,
    );
    const { channelId: _c, ...noChannel } = stay('2028-05-01', '2028-05-03');
    await expectFail(await post(noChannel), 400, /channelId is required/);
    await expectFail(await h.api('/reservations', { method: 'POST', body: '{' }), 400, /not valid JSON/);
  });

  it('updates the fields given, moves the nights and bumps updatedOn', async () => {
    const r = await created(await post(stay('2028-06-01', '2028-06-03')));
    h.sandbox.advanceClock(60_000);
    const res = await put(`/reservations/${r.id}`, {
      listingMapId: LISTING,
      arrivalDate: '2028-06-02',
      departureDate: '2028-06-06',
      guestNote: 'Late arrival',
      numberOfGuests: 3,
    });
    const u = await created(res);
    expect(u).toMatchObject({
      id: r.id,
      nights: 4,
      guestNote: 'Late arrival',
      numberOfGuests: 3,
      status: 'new',
    });
    expect(u.updatedOn! > r.updatedOn!).toBe(true);
    expect(u.insertedOn).toBe(r.insertedOn);
    const calendar = await days('2028-06-01', '2028-06-06');
    expect(calendar.map((d) => d.status)).toEqual([
      'available',
      'reserved',
      'reserved',
      'reserved',
      'reserved',
      'available',
    ]);
    expect(calendar[1]!.reservations?.[0]).toMatchObject({ id: r.id, arrivalDate: '2028-06-02' });
  });

  it('refuses to move a stay to another listing, onto held nights, or a stay that does not exist', async () => {
    const a = await created(await post(stay('2028-07-01', '2028-07-05')));
    const b = await created(await post(stay('2028-07-05', '2028-07-08')));
    await expectFail(
      await put(`/reservations/${a.id}`, { listingMapId: 40161 }),
      400,
      /listingMapId cannot be changed/,
    );
    await expectFail(
      await put(`/reservations/${a.id}`, { departureDate: '2028-07-06' }),
      400,
      new RegExp(String(b.id)),
    );
    await expectFail(await put('/reservations/999', { guestNote: 'x' }), 404, /Reservation 999 not found/);
    await expectFail(await put(`/reservations/${a.id}`, { status: 'sleeping' }), 400, /status/);
  });

  it('cancels: status, who and when, and the nights are free again', async () => {
    const r = await created(await post(stay('2028-08-01', '2028-08-03')));
    await expectFail(
      await put(`/reservations/${r.id}/statuses/cancelled`, {}),
      400,
      /cancelledBy is required/,
    );
    h.sandbox.advanceClock(60_000);
    const c = await created(await put(`/reservations/${r.id}/statuses/cancelled`, { cancelledBy: 'guest' }));
    expect(c).toMatchObject({ id: r.id, status: 'cancelled', cancelledBy: 'guest' });
    expect(c.cancellationDate).toBe(c.updatedOn!.slice(0, 10));
    expect(c.updatedOn! > r.updatedOn!).toBe(true);
    expect((await days('2028-08-01', '2028-08-02')).map((d) => d.status)).toEqual(['available', 'available']);
    // Free for the next guest.
    await created(await post(stay('2028-08-01', '2028-08-03')));
    await expectFail(await put('/reservations/999/statuses/cancelled', { cancelledBy: 'host' }), 404);
  });
});
