/**
 * Faults around writes, over real sockets: which ones fail before the write (nothing committed) and
 * which commit it and then lose the answer, the case a "never send twice" client has to get right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarDay, Conversation, ConversationMessage, Task } from '../../src/hostaway/schemas.js';
import { parseFaultSpec } from '../../src/sandbox/faults.js';
import { startSandbox } from '../../src/sandbox/index.js';
import {
  expectFail,
  type Harness,
  json,
  mintToken,
  parseItem,
  parseList,
  startHarness,
  TEST_NOW,
} from '../helpers/sandbox.js';

const LISTING = 40160;

describe('faults around writes', () => {
  let h: Harness;
  let conversationId: number;
  beforeAll(async () => {
    h = await startHarness({ admin: true });
    conversationId = parseList(Conversation, await h.get('/conversations?limit=1')).result[0]!.id;
  });
  afterAll(() => h.close());

  let counter = 0;
  const unique = (what: string) => `${what} #${++counter} ${Date.now()}`;
  const arm = async (rule: Record<string, unknown>) => {
    await fetch(`${h.sandbox.origin}/_sandbox/faults`, { method: 'DELETE' });
    const res = await fetch(`${h.sandbox.origin}/_sandbox/faults`, { method: 'POST', ...json(rule) });
    expect(res.status).toBe(201);
  };
  const send = (body: string, init: RequestInit = {}) =>
    h.api(`/conversations/${conversationId}/messages`, { method: 'POST', ...json({ body }), ...init });
  const copies = async (body: string) =>
    parseList(ConversationMessage, await h.get(`/conversations/${conversationId}/messages`)).result.filter(
      (m) => m.body === body,
    ).length;
  const tasksTitled = async (title: string) =>
    parseList(Task, await h.get(`/tasks?match=${encodeURIComponent(title)}`)).result.filter(
      (t) => t.title === title,
    );
  const day = async (date: string) =>
    parseList(CalendarDay, await h.get(`/listings/${LISTING}/calendar?startDate=${date}&endDate=${date}`))
      .result[0]!;
  const info = async () =>
    (await (await fetch(`${h.sandbox.origin}/_sandbox/info`)).json()) as { heldAnswers: number };
  const lastLogged = () => h.sandbox.requests.list().at(-1);

  describe('reset and status fail before the handler: nothing is committed', () => {
    it('reset on a message: the connection drops and the thread does not gain it', async () => {
      await arm({ kind: 'reset', method: 'POST', path: '/v1/conversations/*/messages', times: 1 });
      const body = unique('never sent');
      await expect(send(body)).rejects.toThrow();
      expect(await copies(body)).toBe(0);
    });

    it('status on a task and on a calendar day: the error comes back and nothing changes', async () => {
      await arm({ kind: 'status', status: 503, method: 'POST', path: '/v1/tasks', times: 1 });
      const title = unique('no task');
      await expectFail(await h.api('/tasks', { method: 'POST', ...json({ title }) }), 503);
      expect(await tasksTitled(title)).toEqual([]);

      const before = await day('2027-07-01');
      await arm({ kind: 'reset', method: 'PUT', path: `/v1/listings/${LISTING}/calendar`, times: 1 });
      const put = h.api(`/listings/${LISTING}/calendar`, {
        method: 'PUT',
        ...json({ startDate: '2027-07-01', endDate: '2027-07-01', price: 4321 }),
      });
      await expect(put).rejects.toThrow();
      expect(await day('2027-07-01')).toEqual(before);
    });
  });

  describe('resetAfterCommit: the write is committed, then the connection drops unanswered', () => {
    it('a message: the client sees a connection error; the thread holds it exactly once', async () => {
      await arm({ kind: 'resetAfterCommit', method: 'POST', path: '/v1/conversations/*/messages', times: 1 });
      const body = unique('sent, answer lost');
      await expect(send(body)).rejects.toThrow();
      expect(lastLogged()).toMatchObject({ method: 'POST', status: 0, fault: 'resetAfterCommit' });
      expect(await copies(body)).toBe(1);
      const conv = parseItem(
        Conversation,
        await h.get(`/conversations/${conversationId}?includeResources=1`),
      );
      expect(conv.result.conversationMessages?.[0]?.body).toBe(body);
    });

    it('a task: created once, though the client never learnt its id', async () => {
      await arm({ kind: 'resetAfterCommit', method: 'POST', path: '/v1/tasks', times: 1 });
      const title = unique('task, answer lost');
      await expect(h.api('/tasks', { method: 'POST', ...json({ title }) })).rejects.toThrow();
      expect(await tasksTitled(title)).toHaveLength(1);
    });

    it('a calendar PUT: the day changed', async () => {
      await arm({ kind: 'resetAfterCommit', method: 'PUT', path: '/v1/listings/*/calendar', times: 1 });
      const put = h.api(`/listings/${LISTING}/calendar`, {
        method: 'PUT',
        ...json({ startDate: '2027-07-02', endDate: '2027-07-02', price: 777 }),
      });
      await expect(put).rejects.toThrow();
      expect((await day('2027-07-02')).price).toBe(777);
    });
  });

  describe('hangAfterCommit: the write is committed, then the answer is held back', () => {
    it("a client's timeout fires first; the message is in the thread once", async () => {
      await arm({
        kind: 'hangAfterCommit',
        ms: 10_000,
        method: 'POST',
        path: '/v1/conversations/*/messages',
      });
      const body = unique('sent, client timed out');
      const started = performance.now();
      await expect(send(body, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/timeout|abort/i);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await copies(body)).toBe(1);
    });

    it('a client that goes away frees the hold at once, and the sandbox serves on', async () => {
      await arm({ kind: 'hangAfterCommit', ms: 60_000, method: 'POST', path: '/v1/tasks', times: 1 });
      const since = h.sandbox.requests.lastSeq;
      const title = unique('task, client left');
      const gone = new AbortController();
      const pending = h.api('/tasks', { method: 'POST', ...json({ title }), signal: gone.signal });
      await until(async () => (await tasksTitled(title)).length === 1);
      expect((await info()).heldAnswers).toBe(1);
      gone.abort();
      await expect(pending).rejects.toThrow();
      const post = () => h.sandbox.requests.list(since).find((e) => e.method === 'POST');
      await until(async () => post() !== undefined);
      expect(post()).toMatchObject({
        path: '/v1/tasks',
        status: 0,
        fault: 'hangAfterCommit',
      });
      expect((await info()).heldAnswers).toBe(0);
      expect(await tasksTitled(title)).toHaveLength(1);
    });

    it('a client that waits longer than the hold gets the answer', async () => {
      await arm({
        kind: 'hangAfterCommit',
        ms: 300,
        method: 'PUT',
        path: '/v1/listings/*/calendar',
        times: 1,
      });
      const started = performance.now();
      const res = await h.api(`/listings/${LISTING}/calendar`, {
        method: 'PUT',
        ...json({ startDate: '2027-07-03', endDate: '2027-07-03', price: 555 }),
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: Array<{ price: number }> }).result[0]?.price).toBe(555);
      expect(lastLogged()).toMatchObject({ status: 200, fault: 'hangAfterCommit' });
    });
  });

  it('the command-line form takes both kinds', () => {
    expect(parseFaultSpec('kind=resetAfterCommit,method=POST,path=/v1/tasks,times=1')).toMatchObject({
      kind: 'resetAfterCommit',
      method: 'POST',
      path: '/v1/tasks',
      times: 1,
    });
    expect(parseFaultSpec('kind=hangAfterCommit,ms=5000')).toMatchObject({
      kind: 'hangAfterCommit',
      ms: 5000,
    });
  });
});

it('closing the sandbox does not wait for a held answer', async () => {
  const sandbox = await startSandbox({
    now: TEST_NOW,
    rateLimits: false,
    faults: [{ kind: 'hangAfterCommit', ms: 60_000, method: 'POST', path: '/v1/tasks' }],
  });
  const token = await mintToken(sandbox);
  const title = `held while closing ${Date.now()}`;
  const pending = fetch(`${sandbox.url}/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  pending.catch(() => undefined);
  await until(async () => sandbox.store().searchTasks({ match: title }).length === 1);
  const started = performance.now();
  await sandbox.close();
  expect(performance.now() - started).toBeLessThan(2_000);
  await expect(pending).rejects.toThrow();
});

async function until(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
