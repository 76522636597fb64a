/**
 * hostaway_create_task beyond the plain case: afterCheckoutOf works out the listing and the times from
 * the stay (checked against the sandbox's own turnover tasks and its store's reservations), the
 * duplicate guard, the refusals before anything is recorded, and a POST whose answer is lost, after it
 * took (read back: done) or before it reached the sandbox (unknown, then not done after the lease).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKING_STATUSES, type ReservationStatus, type Task } from '../../src/hostaway/schemas.js';
import { startTaskHarness, type TaskHarness } from '../helpers/tasks.js';

type Outcome = {
  status: string;
  preview: {
    listingId: number | null;
    listing: string | null;
    reservationId: number | null;
    start: string | null;
    due: string | null;
    timeZone: string;
    derivedFrom: string | null;
    warnings: string[];
    body: Record<string, unknown>;
  };
  confirmationId?: string;
  blockers?: string[];
  result?: { taskId: number };
  repeated?: boolean;
  note: string;
};

/** A UTC wire time as the zone's wall clock, by Intl alone. */
const wall = (utc: string, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(`${utc.replace(' ', 'T')}Z`));
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

describe('hostaway_create_task: afterCheckoutOf, duplicates, refusals, lost answers', () => {
  let h: TaskHarness;
  let now = Date.now();
  let tasks: Task[];
  const create = (args: Record<string, unknown>) => h.call<Outcome>('hostaway_create_task', args);
  const store = () => h.runtime.sandbox!.store();
  const zoneOf = (listingId: number) =>
    store()
      .allListings()
      .find((l) => l.id === listingId)!.timeZoneName!;
  const titled = async (title: string) =>
    (await h.allTasks(`match=${encodeURIComponent(title)}`)).filter((t) => t.title === title);
  /** The listing's next booked arrival after a stay, from the sandbox's store. */
  const nextArrival = (reservationId: number) => {
    const stays = store().allReservations();
    const stay = stays.find((r) => r.id === reservationId)!;
    return stays
      .filter(
        (r) =>
          r.listingMapId === stay.listingMapId &&
          r.id !== stay.id &&
          r.arrivalDate >= stay.departureDate &&
          BLOCKING_STATUSES.has(r.status as ReservationStatus),
      )
      .sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate))[0];
  };

  beforeAll(async () => {
    h = await startTaskHarness({ clock: () => now });
    tasks = await h.allTasks();
  });
  afterAll(async () => h.close());

  it("a same-day turnover: the stay's listing, from its check-out to the next check-in, as the sandbox's own task", async () => {
    // The sandbox's seeded turnover tasks run from a stay's check-out to the next arrival's check-in
    // when that arrival is within a day (shouldEndByEvent "arrival"); pick one outside New York's zone.
    const seeded = tasks.find(
      (t) =>
        t.status === 'pending' &&
        t.shouldEndByEvent === 'arrival' &&
        zoneOf(t.listingMapId!) !== 'America/New_York',
    )!;
    const zone = zoneOf(seeded.listingMapId!);
    const next = nextArrival(seeded.reservationId!)!;
    const stay = store()
      .allReservations()
      .find((r) => r.id === seeded.reservationId)!;
    const { out, text, isError } = await create({
      title: 'Send the cleaner',
      afterCheckoutOf: seeded.reservationId,
    });
    expect(isError, text).toBe(false);
    expect(out.preview).toMatchObject({
      listingId: seeded.listingMapId,
      reservationId: seeded.reservationId,
      start: seeded.canStartFromListingTime!.slice(0, 16),
      due: seeded.shouldEndByListingTime!.slice(0, 16),
      timeZone: zone,
      warnings: [],
    });
    expect(out.preview.body).toEqual({
      title: 'Send the cleaner',
      listingMapId: seeded.listingMapId,
      reservationId: seeded.reservationId,
      canStartFrom: seeded.canStartFrom,
      shouldEndBy: seeded.shouldEndBy,
    });
    expect(out.preview.derivedFrom).toBe(
      `start: check-out of reservation ${stay.id} (${stay.guestName}) on ${stay.departureDate} at ${hh(stay.checkOutTime!)}; due: next arrival, reservation ${next.id} (${next.guestName}) on ${next.arrivalDate} at ${hh(next.checkInTime!)}`,
    );
    expect(text).toContain(`worked out: ${out.preview.derivedFrom}`);

    const done = await create({
      title: 'Send the cleaner',
      afterCheckoutOf: seeded.reservationId,
      confirmationId: out.confirmationId,
    });
    expect(done.out.status).toBe('done');
    const stored = (await h.raw<Task>(`/tasks/${done.out.result!.taskId}`)).body.result;
    expect(stored).toMatchObject(out.preview.body);
  });

  it('the next arrival days later is the due time; with none booked there is no due time', async () => {
    const seeded = tasks.find((t) => t.status === 'pending' && t.shouldEndByEvent === null)!;
    const next = nextArrival(seeded.reservationId!)!;
    expect(next.arrivalDate > seeded.shouldEndByListingTime!.slice(0, 10)).toBe(true);
    const zone = zoneOf(seeded.listingMapId!);
    const { out } = await create({ title: 'Send the cleaner', afterCheckoutOf: seeded.reservationId });
    expect(out.preview.start).toBe(seeded.canStartFromListingTime!.slice(0, 16));
    expect(out.preview.body.canStartFrom).toBe(seeded.canStartFrom);
    expect(out.preview.due).toBe(`${next.arrivalDate} ${hh(next.checkInTime!)}`);
    expect(wall(out.preview.body.shouldEndBy as string, zone)).toBe(out.preview.due);

    // The last booked stay at a listing: nothing after it.
    const blocking = store()
      .allReservations()
      .filter((r) => BLOCKING_STATUSES.has(r.status as ReservationStatus));
    const last = blocking
      .filter((r) => r.listingMapId === 40162)
      .sort((a, b) => b.arrivalDate.localeCompare(a.arrivalDate))[0]!;
    expect(nextArrival(last.id)).toBeUndefined();
    const alone = await create({ title: 'Send the cleaner', afterCheckoutOf: last.id });
    expect(alone.out.preview.due).toBeNull();
    expect(alone.out.preview.body).not.toHaveProperty('shouldEndBy');
    expect(wall(alone.out.preview.body.canStartFrom as string, zoneOf(40162))).toBe(
      `${last.departureDate} ${hh(last.checkOutTime!)}`,
    );
    expect(alone.out.preview.derivedFrom).toMatch(/no later arrival is booked at this listing: no due time$/);
    // A due time given explicitly wins over the worked-out one.
    const given = await create({
      title: 'Send the cleaner',
      afterCheckoutOf: last.id,
      due: `${last.departureDate} 21:15`,
    });
    expect(given.out.preview.due).toBe(`${last.departureDate} 21:15`);
  });

  it('warns of an open task with the same title for the same stay, and only then', async () => {
    const seeded = tasks.find((t) => t.status === 'pending' && t.reservationId)!;
    const same = await create({ title: seeded.title.toUpperCase(), afterCheckoutOf: seeded.reservationId });
    expect(same.out.status).toBe('preview');
    expect(same.out.preview.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^an open task with the same title already exists for this reservation: #${seeded.id} \\(pending, starts ${seeded.canStartFromListingTime!.slice(0, 16)}\\)$`,
        ),
      ),
    ]);
    const otherTitle = await create({ title: 'Restock coffee', afterCheckoutOf: seeded.reservationId });
    expect(otherTitle.out.preview.warnings).toEqual([]);
    // Another stay at the same listing has its own turnover task of that title: that one is named.
    const otherStay = tasks.find(
      (t) => t.status === 'pending' && t.title === seeded.title && t.reservationId !== seeded.reservationId,
    )!;
    const elsewhere = await create({ title: seeded.title, afterCheckoutOf: otherStay.reservationId });
    expect(elsewhere.out.preview.warnings).toEqual([expect.stringContaining(`#${otherStay.id} (`)]);
    const completed = tasks.find((t) => t.status === 'completed' && t.reservationId)!;
    const again = await create({ title: completed.title, afterCheckoutOf: completed.reservationId });
    expect(again.out.preview.warnings).toEqual([]);
  });

  it("takes relative days and a date alone in the listing's zone: start at 00:00, due at 23:59", async () => {
    // 12:00 UTC on 25 November is 07:00 in New York and 02:00 in Honolulu: "tomorrow" is the 26th in both.
    const ny = await create({
      title: 'Check the boiler',
      listingId: 40160,
      start: 'tomorrow 09:00',
      due: '+3',
    });
    expect(ny.out.preview).toMatchObject({
      start: '2026-11-26 09:00',
      due: '2026-11-28 23:59',
      timeZone: 'America/New_York',
    });
    expect(ny.out.preview.body).toMatchObject({
      canStartFrom: '2026-11-26 14:00:00',
      shouldEndBy: '2026-11-29 04:59:00',
    });
    const honolulu = store()
      .allListings()
      .find((l) => l.timeZoneName === 'Pacific/Honolulu')!;
    const hi = await create({ title: 'Check the boiler', listingId: honolulu.id, start: '2026-12-01' });
    expect(hi.out.preview).toMatchObject({
      start: '2026-12-01 00:00',
      due: null,
      timeZone: 'Pacific/Honolulu',
    });
    expect(hi.out.preview.body.canStartFrom).toBe('2026-12-01 10:00:00');
  });

  it('refuses unknown ids and contradictions, recording nothing', async () => {
    const previews = async () =>
      (
        await h.call<{ entries: unknown[] }>('hostaway_recent_changes', {
          tool: 'hostaway_create_task',
          limit: 200,
        })
      ).out.entries.length;
    const before = await previews();
    expect(before).toBeGreaterThan(0);
    const seq = h.seq();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ title: 'x', listingId: 99 }, /^Listing 99 was not found in this Hostaway account/],
      [{ title: 'x', afterCheckoutOf: 42 }, /^Reservation 42 was not found in this Hostaway account/],
      [{ title: 'x', reservationId: 1000001, afterCheckoutOf: 1000002 }, /name different reservations/],
      [
        { title: 'x', listingId: 40160, start: '2026-12-02 10:00', due: '2026-12-02 09:59' },
        /The due time \(2026-12-02 09:59\) is before the start \(2026-12-02 10:00\)/,
      ],
      [{ title: 'x', listingId: 40160, start: '2026-12-02 24:00' }, /start has no such time of day "24:00"/],
      [{ title: 'x', listingId: 40160, due: '2026-02-30' }, /due must be a real date written YYYY-MM-DD/],
    ];
    for (const [args, message] of cases) {
      const r = await create(args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(r.text).toMatch(message);
    }
    expect(h.writesSince(seq)).toEqual([]);
    expect(await previews()).toBe(before);
    // A reservation at another listing than the one named: a preview that shows why, and no id.
    const elsewhere = await create({ title: 'x', listingId: 40161, reservationId: 1000001 });
    expect(elsewhere.isError).toBe(false);
    expect(elsewhere.out).toMatchObject({
      status: 'blocked',
      blockers: [
        'reservation 1000001 is at The Beach House (listing 40160), not at listing 40161: leave listingId out, or pick the right reservation',
      ],
    });
    expect(elsewhere.out.confirmationId).toBeUndefined();
    expect(h.writesSince(seq)).toEqual([]);
  });

  it('a POST that took but whose answer was lost: read back, done, one task', async () => {
    const args = { title: 'Fix the gate latch', listingId: 40160, start: '2026-12-04 09:00' };
    const preview = (await create(args)).out;
    h.runtime.sandbox!.faults.add({ kind: 'truncated', method: 'POST', path: '/v1/tasks', times: 1 });
    const seq = h.seq();
    const done = await create({ ...args, confirmationId: preview.confirmationId });
    h.runtime.sandbox!.faults.clear();
    expect(done.isError, done.text).toBe(false);
    expect(done.out.status).toBe('done');
    expect(done.out.note).toMatch(/the answer was lost; reading back showed it took/);
    const created = await titled(args.title);
    expect(created).toHaveLength(1);
    expect(done.out.result!.taskId).toBe(created[0]!.id);
    expect(h.writesSince(seq).filter((w) => w.method === 'POST')).toHaveLength(1);
  });

  it('a lost answer that cannot be read back at once: unknown; after the lease, the saved snapshot settles it as done', async () => {
    const args = { title: 'Repaint the fence', listingId: 40160 };
    const preview = (await create(args)).out;
    const faults = h.runtime.sandbox!.faults;
    faults.add({ kind: 'truncated', method: 'POST', path: '/v1/tasks', times: 1 });
    // The snapshot's list read goes through; every list read after it (the read-back) fails, as if
    // Hostaway stopped answering right after taking the POST. The sandbox's faults cannot tell the two
    // reads apart (same path), so the client's list is wrapped for this one confirmation.
    const tasksApi = h.runtime.client.tasks;
    const list = tasksApi.list;
    let reads = 0;
    tasksApi.list = async (...a: Parameters<typeof list>) => {
      if (++reads > 1) throw new Error('no answer from Hostaway');
      return list(...a);
    };
    const seq = h.seq();
    const confirm = () => create({ ...args, confirmationId: preview.confirmationId });
    let first: Awaited<ReturnType<typeof confirm>>;
    try {
      first = await confirm();
    } finally {
      tasksApi.list = list;
      faults.clear();
    }
    expect(reads).toBeGreaterThan(1);
    expect(first.out.status).toBe('unknown');
    const created = await titled(args.title);
    expect(created).toHaveLength(1);
    expect((await confirm()).out).toMatchObject({ status: 'unknown', repeated: true });
    now += 3 * 60_000;
    const settled = await confirm();
    expect(settled.out).toMatchObject({ status: 'done', repeated: true, result: { taskId: created[0]!.id } });
    expect(h.writesSince(seq).filter((w) => w.method === 'POST')).toHaveLength(1);
  });

  it('a POST reset before it reached the sandbox: unknown, then not done once the lease has run out; never sent twice', async () => {
    const args = { title: 'Service the boiler', listingId: 40160 };
    const preview = (await create(args)).out;
    h.runtime.sandbox!.faults.add({ kind: 'reset', method: 'POST', path: '/v1/tasks', times: 1 });
    const seq = h.seq();
    const confirm = () => create({ ...args, confirmationId: preview.confirmationId });
    const first = await confirm();
    h.runtime.sandbox!.faults.clear();
    expect(first.out.status).toBe('unknown');
    expect(first.out.note).toMatch(/Unknown whether it took/);
    const soon = await confirm();
    expect(soon.out).toMatchObject({ status: 'unknown', repeated: true });
    now += 3 * 60_000;
    const later = await confirm();
    expect(later.out).toMatchObject({ status: 'failed', repeated: true });
    expect(later.out.note).toMatch(/checked by reading back/);
    expect(h.writesSince(seq).filter((w) => w.method === 'POST')).toHaveLength(1);
    expect(await titled(args.title)).toEqual([]);
  });
});
