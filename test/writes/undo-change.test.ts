/**
 * hostaway_undo_change through the SDK client on every write store: a calendar change is undone day by
 * day back to exactly what was read before it (and the undo can be undone); days changed since are named;
 * a task creation is undone by deleting the task; a sent message, an unknown change and one never
 * confirmed are refused with the reason, and nothing is written.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, startTestRuntime } from '../helpers/server.js';
import { freshStoreSpec, STORE_KINDS } from '../helpers/stores.js';
import { call, LISTING, lastSeq, previewAndConfirm, sandboxDays, writesSince } from './calendar-helpers.js';

const UNDO = 'hostaway_undo_change';
const UPDATE = 'hostaway_update_calendar';
const FROM = '2026-12-02';
const TO = '2026-12-12';

describe.each(STORE_KINDS)(`${UNDO}, write store %s`, (kind) => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = freshStoreSpec(kind);
    cleanup = fresh.cleanup;
    runtime = await startTestRuntime({ writeStore: fresh.spec });
    // Opened here, with time to spare: embedded PostgreSQL takes seconds to start.
    await runtime.writeStore();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  }, 60_000);
  afterAll(async () => {
    await close();
    await runtime.close();
    await cleanup();
  });

  // Closes free nights and sets every other field too; 4 December is closed by the host already (with a
  // note of its own), and 7 to 9 December, held by a stay, lie between the ranges untouched.
  const change = {
    listingId: LISTING,
    ranges: [
      { startDate: '2026-12-03', endDate: '2026-12-06' },
      { startDate: '2026-12-10', endDate: '2026-12-11' },
    ],
    set: { available: false, price: 333, minimumStay: 2, maximumStay: 20, note: 'Renovation' },
  };

  it('restores every day exactly as it was read before the change, and verifies it', async () => {
    const before = sandboxDays(runtime, FROM, TO);
    const { done } = await previewAndConfirm(client, UPDATE, change);
    expect(done.s.result).toMatchObject({ daysChanged: 6, verified: true });
    const changed = sandboxDays(runtime, FROM, TO);
    expect(
      changed.filter((d, i) => JSON.stringify(d) !== JSON.stringify(before[i])).map((d) => d.date),
    ).toEqual(['2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-10', '2026-12-11']);
    // The store kept each day's values from just before the write.
    const intent = await (await runtime.writeStore()).getIntent(done.s.changeId);
    expect(intent?.snapshot).toMatchObject({
      days: expect.arrayContaining([
        {
          date: '2026-12-04',
          status: 'blocked',
          available: false,
          price: before[2]!.price,
          minimumStay: 3,
          maximumStay: 60,
          note: 'Owner block',
        },
      ]),
    });

    const seq = lastSeq(runtime);
    const preview = await call(client, UNDO, { changeId: done.s.changeId });
    expect(preview.isError, preview.text).toBe(false);
    expect(preview.s.status).toBe('preview');
    expect(preview.s.preview).toMatchObject({
      change: { id: done.s.changeId, tool: UPDATE, state: 'done' },
      kind: 'calendar',
      listing: { id: LISTING, name: 'The Beach House' },
      daysRestored: 6,
      daysAlready: 0,
      warnings: [],
    });
    const dec4 = preview.s.preview.days.find((d: { from: string }) => d.from === '2026-12-04');
    // 4 December was closed before: only what the change altered there is put back.
    expect(dec4).toEqual({
      from: '2026-12-04',
      to: '2026-12-04',
      days: 1,
      current: { price: 333, minimumStay: 2, maximumStay: 20, note: 'Renovation' },
      restored: { price: before[2]!.price, minimumStay: 3, maximumStay: 60, note: 'Owner block' },
    });
    expect(writesSince(runtime, seq)).toEqual([]);

    const undone = await call(client, UNDO, {
      changeId: done.s.changeId,
      confirmationId: preview.s.confirmationId,
    });
    expect(undone.s).toMatchObject({
      status: 'done',
      result: { daysChanged: 6, verified: true, notApplied: [] },
    });
    expect(writesSince(runtime, seq)).toEqual([`PUT /v1/listings/${LISTING}/calendarIntervals`]);
    const after = sandboxDays(runtime, FROM, TO);
    for (const [i, day] of after.entries()) expect(day, day.date).toEqual(before[i]);

    // Undoing the undo puts the change back; the change itself then has nothing left... until undone again.
    const redo = await previewAndConfirm(client, UNDO, { changeId: undone.s.changeId });
    expect(redo.preview.s.preview.warnings).toEqual([
      'this change was itself an undo: undoing it puts back the values that undo had replaced',
    ]);
    expect(redo.done.s.result).toMatchObject({ daysChanged: 6, verified: true });
    expect(sandboxDays(runtime, FROM, TO)).toEqual(changed);
    const again = await previewAndConfirm(client, UNDO, { changeId: done.s.changeId });
    expect(again.done.s.status).toBe('done');
    expect(sandboxDays(runtime, FROM, TO)).toEqual(before);
    const nothing = await call(client, UNDO, { changeId: done.s.changeId });
    expect(nothing.s.status).toBe('blocked');
    expect(nothing.s.blockers).toEqual([
      'every day this change altered already holds its earlier values: there is nothing to restore',
    ]);
  });

  it('names the days someone changed since, then restores them too', async () => {
    const range = { startDate: '2026-12-23', endDate: '2026-12-23' };
    const before = sandboxDays(runtime, '2026-12-23', '2026-12-23');
    const { done } = await previewAndConfirm(client, UPDATE, {
      listingId: LISTING,
      ranges: [range],
      set: { price: 410, minimumStay: 5 },
    });
    // Someone else, straight in Hostaway.
    runtime.sandbox!.store().updateCalendar(LISTING, { ...range, price: 999 });
    const { preview, done: undone } = await previewAndConfirm(client, UNDO, { changeId: done.s.changeId });
    expect(preview.s.preview.warnings).toEqual([
      'changed since this change (by someone else or another write) to values the undo overwrites: 2026-12-23 (price); the undo puts back the values from before the change all the same',
    ]);
    expect(preview.s.preview.days).toEqual([
      {
        from: '2026-12-23',
        to: '2026-12-23',
        days: 1,
        current: { price: 999, minimumStay: 5 },
        restored: { price: before[0]!.price, minimumStay: before[0]!.minimumStay },
      },
    ]);
    expect(undone.s.result).toMatchObject({ verified: true, daysChanged: 1 });
    expect(sandboxDays(runtime, '2026-12-23', '2026-12-23')).toEqual(before);
  });

  it('refuses to undo a sent message, saying it cannot be unsent', async () => {
    const sent = await previewAndConfirm(client, 'hostaway_send_message', {
      conversationId: 200001,
      text: 'Your check-in code follows shortly.',
    });
    expect(sent.done.s.status).toBe('done');
    const seq = lastSeq(runtime);
    const undo = await call(client, UNDO, { changeId: sent.done.s.changeId });
    expect(undo.isError).toBe(false);
    expect(undo.s.status).toBe('blocked');
    expect(undo.s.confirmationId).toBeUndefined();
    expect(undo.s.blockers).toEqual([expect.stringMatching(/^a sent message cannot be unsent/)]);
    expect(undo.s.preview.change).toMatchObject({ id: sent.done.s.changeId, tool: 'hostaway_send_message' });
    expect(writesSince(runtime, seq)).toEqual([]);
  });

  it('undoes a task creation by deleting the task, and refuses to undo that deletion', async () => {
    const task = await runtime.client.tasks.create({ title: 'Fix the balcony door', listingMapId: LISTING });
    // The record hostaway_create_task leaves: a done intent whose result names the task.
    const store = await runtime.writeStore();
    const id = 'cf_taskCreatedByATest0001';
    const now = Date.now();
    await store.createIntent({
      id,
      tool: 'hostaway_create_task',
      target: `task (${task.title})`,
      argsDigest: 'a'.repeat(64),
      contentDigest: 'b'.repeat(64),
      payload: { title: task.title },
      preview: {},
      caller: 'test',
      createdAt: now,
      expiresAt: now + 60_000,
    });
    await store.claim(id, now, now + 60_000);
    await store.finish(id, 'done', { result: { taskId: task.id } }, now, null);

    const seq = lastSeq(runtime);
    const { preview, done } = await previewAndConfirm(client, UNDO, { changeId: id });
    expect(preview.s.preview).toMatchObject({
      kind: 'task',
      task: { id: task.id, title: 'Fix the balcony door' },
    });
    expect(done.s).toMatchObject({ status: 'done', result: { deletedTaskId: task.id, verified: true } });
    expect(writesSince(runtime, seq)).toEqual([`DELETE /v1/tasks/${task.id}`]);
    expect(() => runtime.sandbox!.store().task(task.id)).toThrow(/not found/);
    const back = await call(client, UNDO, { changeId: done.s.changeId });
    expect(back.s.status).toBe('blocked');
    expect(back.s.blockers).toEqual([expect.stringMatching(/a deleted task cannot be brought back/)]);
    const twice = await call(client, UNDO, { changeId: id });
    expect(twice.s.blockers).toEqual([`task ${task.id} no longer exists: it was deleted already`]);
  });

  it('refuses an unknown change and one that was never confirmed, saying why', async () => {
    const unknown = await call(client, UNDO, { changeId: 'cf_AAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.s.status).toBe('blocked');
    expect(unknown.s.blockers).toEqual([
      expect.stringMatching(/^no change has id cf_AAAAAAAAAAAAAAAAAAAAAA/),
    ]);
    const previewed = await call(client, UPDATE, {
      listingId: LISTING,
      ranges: [{ startDate: '2026-12-23', endDate: '2026-12-23' }],
      set: { note: 'only previewed' },
    });
    const pending = await call(client, UNDO, { changeId: previewed.s.confirmationId });
    expect(pending.s.status).toBe('blocked');
    expect(pending.s.blockers).toEqual([
      'that change was previewed but never confirmed: nothing was changed, so there is nothing to undo',
    ]);
    const malformed = await call(client, UNDO, { changeId: '42' });
    expect(malformed.isError).toBe(true);
    expect(malformed.text).toMatch(/changeId is the cf_\.\.\. id a done write returned/);
  });
});
