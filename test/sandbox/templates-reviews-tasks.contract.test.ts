import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInZone, parseDateTime, timeInZone } from '../../src/hostaway/dates.js';
import { Listing, MessageTemplate, Reservation, Review, Task } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

describe('message templates (_messageTemplate_*.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists templates with placeholders, and fills them when reservationId is given', async () => {
    const raw = parseList(MessageTemplate, await h.get('/messageTemplates')).result;
    expect(raw.length).toBeGreaterThanOrEqual(5);
    expect(raw.some((t) => t.message?.includes('{{guest_name}}'))).toBe(true);
    const r = parseList(Reservation, await h.get('/reservations?limit=1&sortOrder=arrivalDateDesc'))
      .result[0]!;
    const filled = parseList(MessageTemplate, await h.get(`/messageTemplates?reservationId=${r.id}`)).result;
    expect(filled.every((t) => !/\{\{\w+\}\}/.test(t.message ?? ''))).toBe(true);
    expect(filled.some((t) => t.message?.includes(r.guestFirstName as string))).toBe(true);
    const one = parseItem(MessageTemplate, await h.get(`/messageTemplates/${raw[0]!.id}`));
    expect(one.result).toEqual(raw[0]);
    await expectFail(await h.api('/messageTemplates/1'), 404);
    await expectFail(await h.api('/messageTemplates?reservationId=3'), 404);
  });

  it('GET /reservations/{id}/messageTemplates[/{id}] fill the placeholders from the stay and its listing', async () => {
    const raw = parseList(MessageTemplate, await h.get('/messageTemplates')).result;
    const r = parseList(Reservation, await h.get('/reservations?limit=1&sortOrder=arrivalDate')).result[0]!;
    const listing = parseItem(Listing, await h.get(`/listings/${r.listingMapId}`)).result;
    const hour = (h: number | null | undefined) => `${String(h).padStart(2, '0')}:00`;
    const values: Record<string, string> = {
      guest_name: r.guestName!,
      guest_first_name: r.guestFirstName!,
      listing_name: listing.name,
      listing_address: listing.address!,
      arrival_date: r.arrivalDate,
      departure_date: r.departureDate,
      check_in_time: hour(listing.checkInTimeStart),
      check_out_time: hour(listing.checkOutTime),
      door_code: r.doorCode ?? '',
      wifi_username: listing.wifiUsername ?? '',
      wifi_password: listing.wifiPassword ?? '',
    };
    const expected = raw.map((t) => ({
      ...t,
      message: t.message!.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] as string),
    }));
    expect(expected.find((t) => t.name === 'Booking confirmation')?.message).toBe(
      `Hello ${r.guestName}, thank you for booking ${listing.name}! We look forward to welcoming you on ${r.arrivalDate}.`,
    );
    const list = parseList(MessageTemplate, await h.get(`/reservations/${r.id}/messageTemplates`)).result;
    expect(list).toEqual(expected);
    expect(parseList(MessageTemplate, await h.get(`/messageTemplates?reservationId=${r.id}`)).result).toEqual(
      expected,
    );
    const one = parseItem(
      MessageTemplate,
      await h.get(`/reservations/${r.id}/messageTemplates/${raw[1]!.id}`),
    );
    expect(one.result).toEqual(expected[1]);
    await expectFail(await h.api('/reservations/3/messageTemplates'), 404, /Reservation 3/);
    await expectFail(await h.api(`/reservations/3/messageTemplates/${raw[0]!.id}`), 404, /Reservation 3/);
    await expectFail(await h.api(`/reservations/${r.id}/messageTemplates/1`), 404, /template 1/);
    await expectFail(await h.api(`/reservations/${r.id}/messageTemplates/x`), 400, /messageTemplateId/);
  });
});

describe('reviews (_review_*.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists reviews of past stays, with the documented filters', async () => {
    const all = parseList(Review, await h.get('/reviews')).result;
    expect(all.length).toBeGreaterThan(100);
    expect(all.every((r) => (r.departureDate ?? '') <= '2026-11-25 23:59:59')).toBe(true);
    const published = all.filter((r) => r.type === 'guest-to-host');
    expect(published.every((r) => (r.rating ?? 0) >= 1 && (r.rating ?? 0) <= 10)).toBe(true);
    const listingId = published[0]!.listingMapId;
    const mine = parseList(
      Review,
      await h.get(`/reviews?listingMapIds[]=${listingId}&type=guest-to-host`),
    ).result;
    expect(mine.every((r) => r.listingMapId === listingId && r.type === 'guest-to-host')).toBe(true);
    const listing = parseItem(Listing, await h.get(`/listings/${listingId}`)).result;
    const mean = mine.reduce((s, r) => s + (r.rating ?? 0), 0) / mine.length;
    expect(listing.averageReviewRating).toBeCloseTo(mean, 1);
    const awaiting = parseList(Review, await h.get('/reviews?statuses[]=awaiting')).result;
    expect(awaiting.every((r) => r.status === 'awaiting')).toBe(true);
    const window = parseList(
      Review,
      await h.get('/reviews?departureDateStart=2026-10-01&departureDateEnd=2026-10-31'),
    ).result;
    expect(
      window.every(
        (r) => r.departureDate!.slice(0, 10) >= '2026-10-01' && r.departureDate!.slice(0, 10) <= '2026-10-31',
      ),
    ).toBe(true);
    const sorted = parseList(
      Review,
      await h.get('/reviews?sortBy=departureDate&sortOrder=desc&limit=30'),
    ).result;
    const dates = sorted.map((r) => r.departureDate ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    parseItem(Review, await h.get(`/reviews/${all[0]!.id}`));
    await expectFail(await h.api('/reviews?statuses[]=happy'), 400, /statuses/);
    await expectFail(await h.api('/reviews?type=owner'), 400, /type must be one of/);
  });
});

describe('tasks (_task_*.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists turnover cleanings around today with the documented filters', async () => {
    const all = parseList(Task, await h.get('/tasks')).result;
    expect(all.length).toBeGreaterThan(20);
    expect(all.every((t) => t.categoriesMap?.includes(1))).toBe(true);
    const pending = parseList(Task, await h.get('/tasks?status=pending')).result;
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((t) => t.status === 'pending' && (t.canStartFrom ?? '') > '2026-11-25')).toBe(true);
    const window = parseList(
      Task,
      await h.get('/tasks?canStartFromStart=2026-11-26&canStartFromEnd=2026-11-30'),
    ).result;
    expect(
      window.every(
        (t) => t.canStartFrom!.slice(0, 10) >= '2026-11-26' && t.canStartFrom!.slice(0, 10) <= '2026-11-30',
      ),
    ).toBe(true);
    const byReservation = parseList(
      Task,
      await h.get(`/tasks?reservationId=${all[0]!.reservationId}`),
    ).result;
    expect(byReservation.map((t) => t.id)).toContain(all[0]!.id);
    await expectFail(await h.api('/tasks?status=done'), 400, /status must be one of/);
  });

  it('creates, reads, updates and deletes a task', async () => {
    const listing = parseList(Listing, await h.get('/listings?limit=1')).result[0]!;
    const created = await h.api('/tasks', {
      method: 'POST',
      ...json({
        title: 'Fix the porch light',
        listingMapId: listing.id,
        categoriesMap: [2],
        canStartFrom: '2026-11-26 09:00:00',
      }),
    });
    expect(created.status).toBe(200);
    const task = parseItem(Task, await created.json()).result;
    expect(task).toMatchObject({
      title: 'Fix the porch light',
      listingMapId: listing.id,
      status: 'pending',
      categoriesMap: [2],
    });
    expect(parseItem(Task, await h.get(`/tasks/${task.id}`)).result).toEqual(task);
    const updated = await h.api(`/tasks/${task.id}`, {
      method: 'PUT',
      ...json({ status: 'completed', resolutionNote: 'New bulb' }),
    });
    expect(parseItem(Task, await updated.json()).result).toMatchObject({
      status: 'completed',
      resolutionNote: 'New bulb',
      title: task.title,
    });
    expect((await h.api(`/tasks/${task.id}`, { method: 'DELETE' })).status).toBe(200);
    await expectFail(await h.api(`/tasks/${task.id}`), 404);
  });

  it('POST makes a new task of the fields given, every time it is sent', async () => {
    const listing = parseItem(Listing, await h.get('/listings/40160')).result;
    const fields = {
      title: 'Replace the smoke detector battery',
      description: 'Hallway, 9V',
      listingMapId: listing.id,
      assigneeUserId: 7,
      canStartFrom: '2026-12-01 15:30:00',
      shouldEndBy: '2026-12-02 18:00:00',
      status: 'confirmed',
      priority: 2,
      cost: 12.5,
      costCurrency: 'USD',
      color: '#ff8800',
      categoriesMap: [2],
    };
    const ids = new Set(parseList(Task, await h.get('/tasks')).result.map((t) => t.id));
    const post = async () =>
      parseItem(Task, await (await h.api('/tasks', { method: 'POST', ...json(fields) })).json()).result;
    const first = await post();
    const second = await post();
    expect(first).toMatchObject(fields);
    expect(ids.has(first.id)).toBe(false);
    expect(second.id).toBeGreaterThan(first.id);
    expect({ ...second, id: first.id }).toEqual(first);
    const zone = listing.timeZoneName!;
    const local = (utc: string) => {
      const at = parseDateTime(utc);
      return `${dateInZone(at, zone)} ${timeInZone(at, zone)}:00`;
    };
    expect(first).toMatchObject({
      canStartFromListingTime: local(fields.canStartFrom),
      shouldEndByListingTime: local(fields.shouldEndBy),
      confirmedAt: expect.stringMatching(/^2026-11-25 /),
      startedAt: null,
      completedAt: null,
      isUpdatedManually: 0,
    });
    expect(parseItem(Task, await h.get(`/tasks/${first.id}`)).result).toEqual(first);
    const listed = parseList(Task, await h.get(`/tasks?match=${encodeURIComponent(fields.title)}`)).result;
    expect(listed.map((t) => t.id)).toEqual([first.id, second.id]);
  });

  it('PUT changes only the fields given; DELETE removes the task for good', async () => {
    const [task] = parseList(Task, await h.get('/tasks?status=pending')).result;
    const put = async (body: unknown) => {
      const res = await h.api(`/tasks/${task!.id}`, { method: 'PUT', ...json(body) });
      expect(res.status).toBe(200);
      return parseItem(Task, await res.json()).result;
    };
    const cheaper = await put({ cost: 10 });
    expect(cheaper).toEqual({ ...task, cost: 10, isUpdatedManually: 1 });
    expect(parseItem(Task, await h.get(`/tasks/${task!.id}`)).result).toEqual(cheaper);
    const started = await put({ status: 'inProgress' });
    expect(started).toEqual({
      ...cheaper,
      status: 'inProgress',
      startedAt: expect.stringMatching(/^2026-11-25 /),
    });
    const done = await put({ status: 'completed', resolutionNote: 'Spotless' });
    expect(done).toMatchObject({ startedAt: started.startedAt, resolutionNote: 'Spotless', cost: 10 });
    expect(done.completedAt).toMatch(/^2026-11-25 /);

    expect((await h.api(`/tasks/${task!.id}`, { method: 'DELETE' })).status).toBe(200);
    await expectFail(await h.api(`/tasks/${task!.id}`), 404);
    await expectFail(await h.api(`/tasks/${task!.id}`, { method: 'PUT', ...json({ cost: 1 }) }), 404);
    await expectFail(await h.api(`/tasks/${task!.id}`, { method: 'DELETE' }), 404);
    expect(parseList(Task, await h.get('/tasks')).result.map((t) => t.id)).not.toContain(task!.id);
  });

  it('rejects invalid tasks with a 400 that names the field', async () => {
    const post = (body: unknown) => h.api('/tasks', { method: 'POST', ...json(body) });
    await expectFail(await post({}), 400, /title/);
    await expectFail(await post({ title: 'x', listingMapId: 5 }), 400, /listingMapId 5/);
    await expectFail(await post({ title: 'x', categoriesMap: [9] }), 400, /categoriesMap/);
    await expectFail(await post({ title: 'x', canStartFrom: 'tomorrow' }), 400, /canStartFrom/);
    await expectFail(await h.api('/tasks/1', { method: 'PUT', ...json({ title: 'y' }) }), 404);
  });
});
