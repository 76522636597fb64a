import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { addDays } from '../../src/hostaway/dates.js';
import {
  BLOCKING_STATUSES,
  CalendarDay,
  Listing,
  Reservation,
  type ReservationStatus,
} from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

const Days = z.object({ status: z.literal('success'), result: z.array(z.strictObject(CalendarDay.shape)) });

describe('calendar (_calendar_retrieveCalendar.md, _calendar_updateCalendar.md, _calendar_batchCalendarUpdate.md)', () => {
  let h: Harness;
  let listingId: number;
  beforeAll(async () => {
    h = await startHarness();
    listingId = parseList(Listing, await h.get('/listings?limit=1')).result[0]?.id as number;
  });
  afterAll(() => h.close());

  const calendar = async (start: string, end: string, extra = '') =>
    Days.parse(await h.get(`/listings/${listingId}/calendar?startDate=${start}&endDate=${end}${extra}`))
      .result;

  it('returns one documented day object per date, start and end included', async () => {
    const days = await calendar('2026-12-01', '2026-12-31');
    expect(days).toHaveLength(31);
    expect(days[0]?.date).toBe('2026-12-01');
    expect(days[30]?.date).toBe('2026-12-31');
    for (const d of days) {
      expect(['available', 'reserved', 'pending', 'blocked']).toContain(d.status);
      expect(d.isAvailable).toBe(d.status === 'available' ? 1 : 0);
      expect(d.price).toBeGreaterThan(0);
    }
  });

  it('agrees with the reservations: a night is held exactly when a blocking stay covers it', async () => {
    const start = '2026-06-01';
    const end = '2026-12-31';
    const days = await calendar(start, end, '&includeResources=1');
    const stays = parseList(
      Reservation,
      await h.get(`/reservations?listingId=${listingId}&departureStartDate=${start}&limit=1000`),
    ).result.filter((r) => BLOCKING_STATUSES.has(r.status as ReservationStatus));
    for (const d of days) {
      const holder = stays.find((r) => r.arrivalDate <= d.date && d.date < r.departureDate);
      if (holder) {
        expect(d.status === 'reserved' || d.status === 'pending').toBe(true);
        expect(d.reservations?.[0]?.id).toBe(holder.id);
      } else {
        expect(d.reservations).toEqual([]);
        expect(['available', 'blocked']).toContain(d.status);
      }
    }
  });

  it('PUT /calendar changes the days a later GET returns', async () => {
    const free = (await calendar('2027-03-01', '2027-04-30')).filter((d) => d.status === 'available');
    const target = free[0]?.date as string;
    const res = await h.api(`/listings/${listingId}/calendar`, {
      method: 'PUT',
      ...json({
        startDate: target,
        endDate: target,
        isAvailable: 0,
        price: 999,
        minimumStay: 3,
        note: 'maintenance',
      }),
    });
    expect(res.status).toBe(200);
    const changed = Days.parse(await res.json()).result;
    expect(changed).toHaveLength(1);
    const [after] = await calendar(target, target);
    expect(after).toMatchObject({
      status: 'blocked',
      isAvailable: 0,
      price: 999,
      minimumStay: 3,
      note: 'maintenance',
    });
    await h.api(`/listings/${listingId}/calendar`, {
      method: 'PUT',
      ...json({ startDate: target, endDate: target, isAvailable: 1 }),
    });
    expect((await calendar(target, target))[0]).toMatchObject({
      status: 'available',
      isAvailable: 1,
      price: 999,
    });
  });

  it('a block cannot unseat a guest: reserved days stay reserved', async () => {
    const reserved = (await calendar('2026-12-01', '2027-02-28')).find((d) => d.status === 'reserved');
    const date = reserved?.date as string;
    await h.api(`/listings/${listingId}/calendar`, {
      method: 'PUT',
      ...json({ startDate: date, endDate: date, isAvailable: 1 }),
    });
    expect((await calendar(date, date))[0]?.status).toBe('reserved');
  });

  it('PUT /calendarIntervals applies every interval and answers an empty success', async () => {
    const res = await h.api(`/listings/${listingId}/calendarIntervals`, {
      method: 'PUT',
      ...json([
        { startDate: '2027-05-01', endDate: '2027-05-02', price: 321 },
        { startDate: '2027-05-10', endDate: '2027-05-10', price: 123, minimumStay: 2 },
      ]),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', result: [] });
    const days = await calendar('2027-05-01', '2027-05-10');
    expect(days.map((d) => d.price)).toEqual([321, 321, ...days.slice(2, 9).map((d) => d.price), 123]);
    expect(days[9]?.minimumStay).toBe(2);
  });

  it('a PUT changes exactly the days in its range and the fields in its body', async () => {
    const put = async (body: unknown) => {
      const res = await h.api(`/listings/${listingId}/calendar`, { method: 'PUT', ...json(body) });
      expect(res.status).toBe(200);
      return Days.parse(await res.json()).result;
    };
    const original = await calendar('2027-08-09', '2027-08-13');
    await put({
      startDate: '2027-08-09',
      endDate: '2027-08-13',
      minimumStay: 4,
      note: 'base',
      closedOnArrival: 1,
    });
    const based = await calendar('2027-08-09', '2027-08-13');
    expect(based.map((d) => d.price)).toEqual(original.map((d) => d.price));

    const affected = await put({ startDate: '2027-08-10', endDate: '2027-08-12', price: 250 });
    expect(affected.map((d) => [d.date, d.price])).toEqual([
      ['2027-08-10', 250],
      ['2027-08-11', 250],
      ['2027-08-12', 250],
    ]);
    const after = await calendar('2027-08-09', '2027-08-13');
    expect(after[0]).toEqual(based[0]);
    expect(after[4]).toEqual(based[4]);
    for (const [i, d] of after.entries())
      if (i >= 1 && i <= 3) expect(d).toEqual({ ...based[i], price: 250 });

    // null clears a field that can be empty; the others stay.
    await put({ startDate: '2027-08-11', endDate: '2027-08-11', note: null });
    expect((await calendar('2027-08-11', '2027-08-11'))[0]).toEqual({ ...based[2], price: 250, note: null });
  });

  it('a batch changes its intervals only, and a batch with a bad interval changes nothing', async () => {
    const before = await calendar('2027-09-01', '2027-09-10');
    const res = await h.api(`/listings/${listingId}/calendarIntervals`, {
      method: 'PUT',
      ...json([
        { startDate: '2027-09-02', endDate: '2027-09-03', maximumStay: 9 },
        { startDate: '2027-09-08', endDate: '2027-09-08', isAvailable: 0 },
      ]),
    });
    expect(res.status).toBe(200);
    const after = await calendar('2027-09-01', '2027-09-10');
    for (const [i, d] of after.entries()) {
      const was = before[i];
      if (d.date === '2027-09-02' || d.date === '2027-09-03') expect(d).toEqual({ ...was, maximumStay: 9 });
      else if (d.date === '2027-09-08')
        expect(d).toEqual({
          ...was,
          isAvailable: 0,
          status: was?.status === 'available' ? 'blocked' : was?.status,
        });
      else expect(d).toEqual(was);
    }
    const tooLong = await h.api(`/listings/${listingId}/calendarIntervals`, {
      method: 'PUT',
      ...json([
        { startDate: '2027-09-01', endDate: '2027-09-01', price: 1 },
        { startDate: '2027-09-01', endDate: '2031-09-01', price: 2 },
      ]),
    });
    await expectFail(tooLong, 400, /\[1\].*at most/);
    expect(await calendar('2027-09-01', '2027-09-10')).toEqual(after);
  });

  it('rejects bad writes with a 400 that says what to fix, and changes nothing', async () => {
    const before = await calendar('2027-06-01', '2027-06-03');
    const put = (body: unknown, path = 'calendar') =>
      h.api(`/listings/${listingId}/${path}`, { method: 'PUT', ...json(body) });
    await expectFail(
      await put({ startDate: '2027-06-03', endDate: '2027-06-01', price: 1 }),
      400,
      /must not be after/,
    );
    await expectFail(await put({ startDate: '2027-06-01', endDate: '2027-06-03', price: -5 }), 400, /price/);
    await expectFail(await put({ endDate: '2027-06-03', price: 5 }), 400, /startDate/);
    await expectFail(await put({ startDate: '2027-13-01', endDate: '2027-06-03' }), 400);
    await expectFail(
      await h.api(`/listings/${listingId}/calendar`, { method: 'PUT', body: 'not json' }),
      400,
      /not valid JSON/,
    );
    const many = Array.from({ length: 201 }, (_, i) => ({
      startDate: addDays('2027-06-01', i),
      endDate: addDays('2027-06-01', i),
      price: 1,
    }));
    await expectFail(await put(many, 'calendarIntervals'), 400, /200/);
    await expectFail(
      await put(
        [
          { startDate: '2027-06-01', endDate: '2027-06-01', price: 7 },
          { startDate: '2027-06-03', endDate: '2027-06-02' },
        ],
        'calendarIntervals',
      ),
      400,
      /\[1\]/,
    );
    expect(await calendar('2027-06-01', '2027-06-03')).toEqual(before);
  });

  it('validates the range and the listing', async () => {
    await expectFail(
      await h.api(`/listings/${listingId}/calendar?startDate=2026-12-10&endDate=2026-12-01`),
      400,
      /must not be after/,
    );
    await expectFail(await h.api(`/listings/${listingId}/calendar?startDate=2026-02-30`), 400, /YYYY-MM-DD/);
    await expectFail(await h.api('/listings/77/calendar'), 404, /Listing 77/);
    const defaults = Days.parse(await h.get(`/listings/${listingId}/calendar`)).result;
    expect(defaults[0]?.date).toBe('2026-11-25');
    expect(defaults).toHaveLength(365);
    parseItem(Listing, await h.get(`/listings/${listingId}`));
  });
});
