/**
 * hostaway_create_task through the SDK client, on every write store: a preview sends nothing; a
 * confirmation creates exactly one task, as previewed; a repeated confirmation returns the recorded
 * outcome and sends nothing; 20 concurrent confirmations of one preview create one task; an old
 * confirmation id with changed arguments is refused. What Hostaway holds is read from the sandbox over
 * HTTP, and what was sent from the sandbox's request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/hostaway/schemas.js';
import { freshStoreSpec, STORE_KINDS } from '../helpers/stores.js';
import { startTaskHarness, type TaskHarness } from '../helpers/tasks.js';

type Outcome = {
  status: string;
  target: string;
  preview: Record<string, unknown> & { body: Record<string, unknown>; warnings: string[] };
  confirmationId?: string;
  changeId?: string;
  result?: { taskId: number };
  repeated?: boolean;
  note: string;
};

/** Bright Mountain Condo, America/New_York: 10:30 and 18:00 there on 2 December are 15:30 and 23:00 UTC. */
const ARGS = {
  title: 'Fix the porch light',
  description: 'Bulb and fitting',
  listingId: 40161,
  start: '2026-12-02 10:30',
  due: '2026-12-02 18:00',
  assigneeUserId: 7,
  priority: 2,
};

describe.each(STORE_KINDS)('hostaway_create_task on the %s store', (kind) => {
  let h: TaskHarness;
  let cleanup: () => Promise<void>;
  const create = (args: Record<string, unknown>) => h.call<Outcome>('hostaway_create_task', args);
  const count = async () => (await h.raw<Task[]>('/tasks?limit=1')).body.count!;
  const titled = async (title: string) =>
    (await h.allTasks(`match=${encodeURIComponent(title)}`)).filter((t) => t.title === title);

  beforeAll(async () => {
    const fresh = freshStoreSpec(kind);
    cleanup = fresh.cleanup;
    h = await startTaskHarness({ writeStore: fresh.spec });
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await cleanup();
  });

  it("previews without writing: the listing's local times, and the UTC body it would send", async () => {
    const before = await count();
    const seq = h.seq();
    const { out, text, isError } = await create(ARGS);
    expect(isError, text).toBe(false);
    expect(out.status).toBe('preview');
    expect(out.confirmationId).toMatch(/^cf_[A-Za-z0-9_-]{22}$/);
    expect(out.preview).toMatchObject({
      title: 'Fix the porch light',
      listingId: 40161,
      listing: 'Bright Mountain Condo',
      reservationId: null,
      start: '2026-12-02 10:30',
      due: '2026-12-02 18:00',
      timeZone: 'America/New_York',
      assigneeUserId: 7,
      priority: 2,
      warnings: [],
    });
    expect(out.preview.body).toEqual({
      title: 'Fix the porch light',
      description: 'Bulb and fitting',
      listingMapId: 40161,
      assigneeUserId: 7,
      canStartFrom: '2026-12-02 15:30:00',
      shouldEndBy: '2026-12-02 23:00:00',
      priority: 2,
    });
    expect(text).toContain('start 2026-12-02 10:30, due 2026-12-02 18:00 (America/New_York)');
    expect(text).toContain(`confirmationId: ${out.confirmationId}`);
    expect(h.writesSince(seq)).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('a confirmation creates exactly one task, as previewed; confirming again sends nothing', async () => {
    const before = await count();
    const args = { ...ARGS, title: 'Fix the porch light (confirmed)' };
    const preview = (await create(args)).out;
    const seq = h.seq();
    const done = await create({ ...args, confirmationId: preview.confirmationId });
    expect(done.isError, done.text).toBe(false);
    expect(done.out.status).toBe('done');
    expect(done.out.repeated).toBeUndefined();
    const taskId = done.out.result!.taskId;
    expect(h.writesSince(seq)).toEqual([{ method: 'POST', path: '/v1/tasks', status: 200 }]);
    expect(await count()).toBe(before + 1);
    const stored = (await h.raw<Task>(`/tasks/${taskId}`)).body.result;
    expect(stored).toMatchObject({ ...preview.preview.body, id: taskId, status: 'pending' });
    expect(done.text).toContain(`Task ${taskId} created.`);

    const seq2 = h.seq();
    const again = await create({ ...args, confirmationId: preview.confirmationId });
    expect(again.out).toMatchObject({ status: 'done', repeated: true, result: { taskId } });
    expect(again.out.changeId).toBe(done.out.changeId);
    expect(again.out.note).toMatch(/used before: nothing was sent again/);
    expect(h.writesSince(seq2)).toEqual([]);
    expect(await count()).toBe(before + 1);
    expect((await titled(args.title)).map((t) => t.id)).toEqual([taskId]);
  });

  it('20 concurrent confirmations of one preview create one task', async () => {
    const args = { ...ARGS, title: 'Replace the smoke alarm battery' };
    const preview = (await create(args)).out;
    const seq = h.seq();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => create({ ...args, confirmationId: preview.confirmationId })),
    );
    expect(answers.filter((a) => a.isError)).toEqual([]);
    const first = answers.filter((a) => a.out.status === 'done' && !a.out.repeated);
    expect(first).toHaveLength(1);
    for (const a of answers) expect(['done', 'in_progress']).toContain(a.out.status);
    const taskId = first[0]!.out.result!.taskId;
    for (const a of answers.filter((x) => x.out.status === 'done')) expect(a.out.result?.taskId).toBe(taskId);
    expect(h.writesSince(seq).filter((w) => w.method === 'POST')).toHaveLength(1);
    expect((await titled(args.title)).map((t) => t.id)).toEqual([taskId]);
  });

  it('an old confirmation id with changed arguments is refused, and nothing is created', async () => {
    const args = { ...ARGS, title: 'Check the hot tub' };
    const preview = (await create(args)).out;
    const seq = h.seq();
    for (const changed of [
      { ...args, title: 'Drain the hot tub' },
      { ...args, due: '2026-12-03 18:00' },
      { ...args, assigneeUserId: undefined },
    ]) {
      const refused = await create({ ...changed, confirmationId: preview.confirmationId });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/was issued for different arguments\. Nothing was changed/);
    }
    expect(h.writesSince(seq)).toEqual([]);
    expect(await titled('Drain the hot tub')).toEqual([]);
    // The refusals did not use the id up: the previewed arguments still commit, once.
    const done = await create({ ...args, confirmationId: preview.confirmationId });
    expect(done.out.status).toBe('done');
    expect((await titled(args.title)).map((t) => t.id)).toEqual([done.out.result!.taskId]);
  });
});
