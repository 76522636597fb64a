/**
 * hostaway_update_task and hostaway_delete_task through the SDK client: previews send nothing and show
 * before -> after (or the task); a confirmation sends one PUT of only the changed fields (or one DELETE),
 * and the sandbox, read over HTTP, then holds exactly that; the snapshot keeps what was replaced (the
 * whole task for a deletion); a task changed behind our back since the preview is not overwritten; a
 * DELETE whose answer is lost is settled by the 404 that follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/hostaway/schemas.js';
import { startTaskHarness, type TaskHarness } from '../helpers/tasks.js';

type Line = { id: number; title: string; status: string | null; start: string | null; due: string | null };
type Outcome = {
  status: string;
  target: string;
  preview: {
    task: Line;
    changes?: Array<{ field: string; before: string | null; after: string | null }>;
    unchanged?: string[];
    body?: Record<string, unknown>;
    description?: string | null;
    warnings?: string[];
  };
  confirmationId?: string;
  changeId?: string;
  blockers?: string[];
  result?: {
    taskId: number;
    changed?: string[];
    verified?: boolean;
    mismatches?: string[];
    deleted?: boolean;
    removed?: Record<string, unknown> | null;
  };
  repeated?: boolean;
  note: string;
};

/** A wire time moved by whole hours (the listing's offset does not change within these late-November days). */
const shift = (wire: string, hours: number) =>
  new Date(Date.parse(`${wire.replace(' ', 'T')}Z`) + hours * 3_600_000)
    .toISOString()
    .replace('T', ' ')
    .slice(0, 19);

describe('hostaway_update_task and hostaway_delete_task', () => {
  let h: TaskHarness;
  let tasks: Task[];
  const call = (name: string, args: Record<string, unknown>) => h.call<Outcome>(name, args);
  const task = async (id: number) => h.raw<Task>(`/tasks/${id}`);
  const intent = async (changeId: string) => (await h.runtime.writeStore()).getIntent(changeId);
  /** Pending seeded tasks, unassigned, priority 1, one per test. */
  let spare: Task[];

  beforeAll(async () => {
    h = await startTaskHarness();
    tasks = await h.allTasks();
    spare = tasks.filter((t) => t.status === 'pending' && t.assigneeUserId === null && t.priority === 1);
    expect(spare.length).toBeGreaterThan(6);
  });
  afterAll(async () => h.close());

  it('update: the preview shows before -> after and sends nothing; the confirmation PUTs only the changed fields, verified', async () => {
    const t = spare[0]!;
    // Due an hour later, in the listing's local time.
    const newDueLocal = `${t.shouldEndByListingTime!.slice(0, 10)} ${String(Number(t.shouldEndByListingTime!.slice(11, 13)) + 1).padStart(2, '0')}:00`;
    const args = { taskId: t.id, assigneeUserId: 12, due: newDueLocal, priority: 1, status: 'confirmed' };
    const seq = h.seq();
    const preview = await call('hostaway_update_task', args);
    expect(preview.isError, preview.text).toBe(false);
    expect(preview.out.status).toBe('preview');
    expect(preview.out.preview.task).toMatchObject({ id: t.id, title: t.title, status: 'pending' });
    expect(preview.out.preview.changes).toEqual([
      { field: 'assigneeUserId', before: null, after: '12' },
      { field: 'shouldEndBy', before: t.shouldEndByListingTime!.slice(0, 16), after: newDueLocal },
      { field: 'status', before: 'pending', after: 'confirmed' },
    ]);
    expect(preview.out.preview.unchanged).toEqual(['priority']);
    const newDue = shift(t.shouldEndBy!, 1);
    expect(preview.out.preview.body).toEqual({
      assigneeUserId: 12,
      shouldEndBy: newDue,
      status: 'confirmed',
    });
    expect(preview.text).toContain(
      `shouldEndBy: ${t.shouldEndByListingTime!.slice(0, 16)} -> ${newDueLocal}`,
    );
    expect(h.writesSince(seq)).toEqual([]);
    expect((await task(t.id)).body.result).toEqual(t);

    const seq2 = h.seq();
    const done = await call('hostaway_update_task', { ...args, confirmationId: preview.out.confirmationId });
    expect(done.out.status).toBe('done');
    expect(done.out.result).toEqual({
      taskId: t.id,
      changed: ['assigneeUserId', 'shouldEndBy', 'status'],
      verified: true,
      mismatches: [],
    });
    expect(h.writesSince(seq2)).toEqual([{ method: 'PUT', path: `/v1/tasks/${t.id}`, status: 200 }]);
    const after = (await task(t.id)).body.result;
    expect(after).toEqual({
      ...t,
      assigneeUserId: 12,
      shouldEndBy: newDue,
      // The sandbox keeps the local copy of the due time, and stamps the status when first reached.
      shouldEndByListingTime: `${newDueLocal}:00`,
      status: 'confirmed',
      confirmedAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      isUpdatedManually: 1,
    });
    // What was committed (and so sent) is the previewed body; the snapshot keeps the replaced values.
    const recorded = await intent(done.out.changeId!);
    expect(recorded?.payload).toMatchObject({ taskId: t.id, fields: preview.out.preview.body });
    expect(recorded?.snapshot).toEqual({
      taskId: t.id,
      previous: { assigneeUserId: null, shouldEndBy: t.shouldEndBy, status: 'pending' },
    });
    expect(done.text).toContain(
      `Task ${t.id} updated (assigneeUserId, shouldEndBy, status); read back and verified.`,
    );

    const seq3 = h.seq();
    const again = await call('hostaway_update_task', { ...args, confirmationId: preview.out.confirmationId });
    expect(again.out).toMatchObject({ status: 'done', repeated: true });
    expect(h.writesSince(seq3)).toEqual([]);
  });

  it('update: unassign and complete; a value already held is blocked; contradictions are refused', async () => {
    const t = spare[1]!;
    const assigned = await call('hostaway_update_task', { taskId: t.id, assigneeUserId: 5 });
    await call('hostaway_update_task', {
      taskId: t.id,
      assigneeUserId: 5,
      confirmationId: assigned.out.confirmationId,
    });
    expect((await task(t.id)).body.result.assigneeUserId).toBe(5);

    const args = { taskId: t.id, unassign: true, status: 'completed', resolutionNote: 'Done early' };
    const preview = await call('hostaway_update_task', args);
    expect(preview.out.preview.changes).toEqual([
      { field: 'assigneeUserId', before: '5', after: null },
      { field: 'status', before: 'pending', after: 'completed' },
      { field: 'resolutionNote', before: null, after: 'Done early' },
    ]);
    const done = await call('hostaway_update_task', { ...args, confirmationId: preview.out.confirmationId });
    expect(done.out.result?.verified).toBe(true);
    expect((await task(t.id)).body.result).toMatchObject({
      assigneeUserId: null,
      status: 'completed',
      resolutionNote: 'Done early',
    });

    const seq = h.seq();
    const same = await call('hostaway_update_task', { taskId: t.id, status: 'completed' });
    expect(same.out.status).toBe('blocked');
    expect(same.out.blockers).toEqual([`task ${t.id} already has these values: nothing to change`]);
    expect(same.out.confirmationId).toBeUndefined();
    for (const [bad, message] of [
      [{ taskId: t.id }, /Nothing to change/],
      [{ taskId: t.id, unassign: true, assigneeUserId: 3 }, /Give assigneeUserId or unassign, not both/],
      [
        { taskId: t.id, due: '2000-01-01 10:00' },
        /The due time \(2000-01-01 10:00\) would be before the start/,
      ],
      [{ taskId: 99 }, /^Nothing to change/],
      [{ taskId: 99, status: 'completed' }, /^Task 99 was not found in this Hostaway account/],
    ] as const) {
      const r = await call('hostaway_update_task', bad);
      expect(r.isError, JSON.stringify(bad)).toBe(true);
      expect(r.text).toMatch(message);
    }
    expect(h.writesSince(seq)).toEqual([]);
  });

  it('update: a task changed behind our back since the preview is not overwritten', async () => {
    const t = spare[2]!;
    const args = { taskId: t.id, status: 'completed' };
    const preview = await call('hostaway_update_task', args);
    const put = await h.api(`/tasks/${t.id}`, {
      method: 'PUT',
      body: JSON.stringify({ status: 'cancelled' }),
    });
    expect(put.status).toBe(200);
    const seq = h.seq();
    const refused = await call('hostaway_update_task', {
      ...args,
      confirmationId: preview.out.confirmationId,
    });
    expect(refused.out.status).toBe('failed');
    expect(refused.out.note).toMatch(
      /changed since the preview \(status is now "cancelled"\): nothing was sent/,
    );
    expect(h.writesSince(seq)).toEqual([]);
    expect((await task(t.id)).body.result.status).toBe('cancelled');
    // Changed to the very value we wanted: nothing conflicts, and the PUT is harmless.
    const t2 = spare[3]!;
    const p2 = await call('hostaway_update_task', { taskId: t2.id, priority: 3 });
    await h.api(`/tasks/${t2.id}`, { method: 'PUT', body: JSON.stringify({ priority: 3 }) });
    const ok = await call('hostaway_update_task', {
      taskId: t2.id,
      priority: 3,
      confirmationId: p2.out.confirmationId,
    });
    expect(ok.out).toMatchObject({ status: 'done', result: { verified: true } });
  });

  it('delete: the preview shows the task and sends nothing; the confirmation deletes it, keeping the whole task', async () => {
    const t = spare[4]!;
    const seq = h.seq();
    const preview = await call('hostaway_delete_task', { taskId: t.id });
    expect(preview.out.status).toBe('preview');
    expect(preview.out.preview.task).toMatchObject({
      id: t.id,
      title: t.title,
      status: 'pending',
      start: t.canStartFromListingTime!.slice(0, 16),
      due: t.shouldEndByListingTime!.slice(0, 16),
    });
    expect(preview.out.preview.description).toBe(t.description);
    expect(preview.text).toContain(`Task ${t.id} "${t.title}"`);
    expect(h.writesSince(seq)).toEqual([]);
    expect((await task(t.id)).status).toBe(200);

    const done = await call('hostaway_delete_task', {
      taskId: t.id,
      confirmationId: preview.out.confirmationId,
    });
    expect(done.out.status).toBe('done');
    expect(h.writesSince(seq)).toEqual([{ method: 'DELETE', path: `/v1/tasks/${t.id}`, status: 200 }]);
    expect((await task(t.id)).status).toBe(404);
    expect((await intent(done.out.changeId!))?.snapshot).toEqual(t);
    expect(done.out.result).toMatchObject({ taskId: t.id, deleted: true });
    expect(done.out.result?.removed).toEqual({
      title: t.title,
      description: t.description,
      listingMapId: t.listingMapId,
      channelId: t.channelId,
      reservationId: t.reservationId,
      canStartFrom: t.canStartFrom,
      shouldEndBy: t.shouldEndBy,
      status: t.status,
      priority: t.priority,
      cost: t.cost,
      costCurrency: t.costCurrency,
      categoriesMap: t.categoriesMap,
    });

    const seq2 = h.seq();
    const again = await call('hostaway_delete_task', {
      taskId: t.id,
      confirmationId: preview.out.confirmationId,
    });
    expect(again.out).toMatchObject({ status: 'done', repeated: true });
    expect(h.writesSince(seq2)).toEqual([]);
    const gone = await call('hostaway_delete_task', { taskId: t.id });
    expect(gone.isError).toBe(true);
    expect(gone.text).toMatch(new RegExp(`^Task ${t.id} was not found in this Hostaway account`));
  });

  it('delete: a task gone between preview and confirmation fails, sending nothing', async () => {
    const t = spare[5]!;
    const preview = await call('hostaway_delete_task', { taskId: t.id });
    expect((await h.api(`/tasks/${t.id}`, { method: 'DELETE' })).status).toBe(200);
    const seq = h.seq();
    const late = await call('hostaway_delete_task', {
      taskId: t.id,
      confirmationId: preview.out.confirmationId,
    });
    expect(late.out.status).toBe('failed');
    expect(late.out.note).toMatch(new RegExp(`Task ${t.id} was not found`));
    expect(h.writesSince(seq)).toEqual([]);
  });

  it('delete: an answer lost after the DELETE took; the retry meets 404, which means done', async () => {
    const t = spare[6]!;
    const preview = await call('hostaway_delete_task', { taskId: t.id });
    h.runtime.sandbox!.faults.add({
      kind: 'truncated',
      method: 'DELETE',
      path: `/v1/tasks/${t.id}`,
      times: 1,
    });
    const seq = h.seq();
    const done = await call('hostaway_delete_task', {
      taskId: t.id,
      confirmationId: preview.out.confirmationId,
    });
    h.runtime.sandbox!.faults.clear();
    expect(done.out.status).toBe('done');
    expect(done.out.result).toMatchObject({ taskId: t.id, deleted: true, removed: { title: t.title } });
    expect(h.writesSince(seq).map((w) => w.method)).toEqual(['DELETE', 'DELETE']);
    expect(h.writesSince(seq).at(-1)?.status).toBe(404);
    expect((await task(t.id)).status).toBe(404);
  });
});
