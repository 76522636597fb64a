/**
 * hostaway_list_tasks against the sandbox's own answers: every filter returns exactly the tasks the
 * sandbox holds for it (read over HTTP with a token of the test's own), in its order, each line built
 * here from the raw task: the listing's name and zone from the sandbox's store, and the local times the
 * sandbox itself wrote (`canStartFromListingTime`, `shouldEndByListingTime`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/hostaway/schemas.js';
import { startTaskHarness, type TaskHarness } from '../helpers/tasks.js';

type Line = {
  id: number;
  title: string;
  listingId: number | null;
  listing: string | null;
  reservationId: number | null;
  status: string | null;
  start: string | null;
  due: string | null;
  timeZone: string;
  assigneeUserId: number | null;
  priority: number | null;
};
type Listed = { tasks: Line[]; total: number | null; nextOffset: number | null; note: string | null };

describe('hostaway_list_tasks', () => {
  let h: TaskHarness;
  let all: Task[];
  const expected = (t: Task): Line => {
    const listing = h.runtime
      .sandbox!.store()
      .allListings()
      .find((l) => l.id === t.listingMapId);
    return {
      id: t.id,
      title: t.title,
      listingId: t.listingMapId ?? null,
      listing: listing?.name ?? null,
      reservationId: t.reservationId ?? null,
      status: t.status ?? null,
      start: t.canStartFromListingTime?.slice(0, 16) ?? null,
      due: t.shouldEndByListingTime?.slice(0, 16) ?? null,
      timeZone: listing!.timeZoneName!,
      assigneeUserId: t.assigneeUserId ?? null,
      priority: t.priority ?? null,
    };
  };
  const list = async (args: Record<string, unknown>) => {
    const r = await h.call<Listed>('hostaway_list_tasks', args);
    expect(r.isError, r.text).toBe(false);
    return r;
  };
  /** The tool's answer holds exactly these raw tasks, in this order, as lines. */
  const expectTasks = (out: Listed, tasks: Task[]) => {
    expect(out.tasks.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
    expect(out.tasks).toEqual(tasks.map(expected));
  };

  beforeAll(async () => {
    h = await startTaskHarness();
    all = await h.allTasks();
    expect(all.length).toBeGreaterThan(100);
  });
  afterAll(async () => h.close());

  it('without filters: the first page in the sandbox order, the total and the next offset', async () => {
    const { out, text } = await list({});
    expectTasks(out, all.slice(0, 20));
    expect(out.total).toBe(all.length);
    expect(out.nextOffset).toBe(20);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`20 task(s) of ${all.length}; next page: offset=20`);
    expect(lines[1]).toBe(
      'id\ttitle\tlistingId\tlisting\treservationId\tstatus\tstart\tdue\ttimeZone\tassigneeUserId\tpriority',
    );
    const first = expected(all[0]!);
    expect(lines[2]).toBe(
      [
        first.id,
        first.title,
        first.listingId,
        first.listing,
        first.reservationId,
        first.status,
        first.start,
        first.due,
        first.timeZone,
        '',
        first.priority,
      ].join('\t'),
    );
    expect(lines).toHaveLength(22);
    const last = await list({ offset: all.length - 5, limit: 20 });
    expectTasks(last.out, all.slice(-5));
    expect(last.out.nextOffset).toBeNull();
  });

  it('status, reservation and match: Hostaway filters, passed through', async () => {
    const inProgress = all.filter((t) => t.status === 'inProgress');
    expect(inProgress.length).toBeGreaterThan(0);
    expect(inProgress.length).toBeLessThan(all.length);
    expectTasks((await list({ status: 'inProgress', limit: 100 })).out, inProgress);

    const one = all[37]!;
    const ofStay = await list({ reservationId: one.reservationId });
    expectTasks(
      ofStay.out,
      all.filter((t) => t.reservationId === one.reservationId),
    );
    expect(ofStay.out.tasks.map((t) => t.id)).toContain(one.id);

    const beach = (await h.allTasks('match=beach')).filter((t) => t.status === 'pending');
    expect(beach.length).toBeGreaterThan(0);
    expect(beach.every((t) => /beach/i.test(`${t.title} ${t.description}`))).toBe(true);
    expectTasks((await list({ match: 'beach', status: 'pending', limit: 100 })).out, beach);
  });

  it("date ranges on start and due, as the sandbox reads them; relative dates in the main listings' zone", async () => {
    const starting = await h.allTasks('canStartFromStart=2026-11-26&canStartFromEnd=2026-11-30');
    expect(starting.length).toBeGreaterThan(0);
    expect(starting.length).toBeLessThan(all.length);
    expectTasks(
      (await list({ canStartFromStart: '2026-11-26', canStartFromEnd: '2026-11-30', limit: 100 })).out,
      starting,
    );
    // 12:00 UTC on 25 November: the 25th in every listing's zone, so today..+3 is 25..28.
    const due = await h.allTasks('shouldEndByStart=2026-11-25&shouldEndByEnd=2026-11-28');
    expect(due.length).toBeGreaterThan(0);
    expect(due.map((t) => t.id)).not.toEqual(starting.map((t) => t.id));
    expectTasks((await list({ shouldEndByStart: 'today', shouldEndByEnd: '+3', limit: 100 })).out, due);

    const reversed = await h.call('hostaway_list_tasks', {
      canStartFromStart: '2026-12-05',
      canStartFromEnd: '2026-12-01',
    });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toMatch(/canStartFromStart \(2026-12-05\) is after canStartFromEnd \(2026-12-01\)/);
  });

  it('a listing, filtered by this server over every matching task, with its own paging', async () => {
    const counts = new Map<number, number>();
    for (const t of all)
      if (t.status === 'pending') counts.set(t.listingMapId!, (counts.get(t.listingMapId!) ?? 0) + 1);
    const listingId = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const pending = all.filter((t) => t.status === 'pending' && t.listingMapId === listingId);
    expect(pending.length).toBeGreaterThan(3);
    // Other listings' pending tasks exist, and this listing has tasks of other statuses: both filters act.
    expect(all.filter((t) => t.status === 'pending').length).toBeGreaterThan(pending.length);
    expect(all.filter((t) => t.listingMapId === listingId).length).toBeGreaterThan(pending.length);
    const whole = await list({ listingId, status: 'pending', limit: 100 });
    expectTasks(whole.out, pending);
    expect(whole.out.total).toBe(pending.length);
    expect(whole.out.nextOffset).toBeNull();
    expect(whole.out.note).toMatch(/listing filtered by this server over \d+ task/);
    const page = await list({ listingId, status: 'pending', limit: 2, offset: 1 });
    expectTasks(page.out, pending.slice(1, 3));
    expect(page.out.nextOffset).toBe(3);
    expect(page.out.total).toBe(pending.length);
  });
});
