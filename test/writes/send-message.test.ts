/**
 * The write protocol end to end on the message tool, through the SDK client against the sandbox, on
 * every write store: a preview writes nothing, a confirmation sends once, wrong, reused and expired ids
 * are refused, concurrent confirmations send one message, and answers lost after (or before) Hostaway
 * acted are settled by reading the thread back, never by sending again.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, startTestRuntime } from '../helpers/server.js';
import { freshStoreSpec, STORE_KINDS } from '../helpers/stores.js';

const CONVERSATION = 200001;
const LEASE_MS = 30_000;

interface Answer {
  isError: boolean;
  text: string;
  out: Record<string, unknown> & {
    status?: string;
    confirmationId?: string;
    changeId?: string;
    repeated?: boolean;
    preview?: Record<string, unknown>;
    result?: Record<string, unknown>;
  };
}

describe.each(STORE_KINDS)('sending a guest message, two steps, on the %s store', (kind) => {
  let runtime: Runtime;
  let sandbox: Sandbox;
  let client: Client;
  let close: () => Promise<void>;
  let cleanup: () => Promise<void>;
  let clock = Date.parse('2026-11-29T09:00:00Z');

  beforeAll(async () => {
    const fresh = freshStoreSpec(kind);
    cleanup = fresh.cleanup;
    runtime = await startTestRuntime({
      writeStore: fresh.spec,
      clock: () => clock,
      env: { HOSTAWAY_WRITE_LEASE_MS: String(LEASE_MS) },
    });
    sandbox = runtime.sandbox as Sandbox;
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  }, 60_000);
  afterAll(async () => {
    await close();
    await runtime.close();
    await cleanup();
  });

  async function send(args: Record<string, unknown>): Promise<Answer> {
    const r = await client.callTool({ name: 'hostaway_send_message', arguments: args });
    return {
      isError: Boolean(r.isError),
      text: (r.content as Array<{ text: string }>).map((c) => c.text).join('\n'),
      out: (r.structuredContent ?? {}) as Answer['out'],
    };
  }
  /** The thread as the sandbox holds it: the oracle, independent of our client. */
  const copies = (text: string) =>
    sandbox
      .store()
      .conversationMessages(CONVERSATION, true)
      .filter((m) => m.body === text).length;
  const writesSince = (seq: number) =>
    sandbox.requests.list(seq).filter((e) => e.method !== 'GET' && e.path !== '/v1/accessTokens');

  it('previews without writing anything, showing exactly what would be sent and to whom', async () => {
    const seq = sandbox.requests.lastSeq;
    const text = `Preview only ${kind}`;
    const a = await send({ conversationId: CONVERSATION, text });
    expect(a.isError, a.text).toBe(false);
    expect(a.out.status).toBe('preview');
    expect(a.out.confirmationId).toMatch(/^cf_[A-Za-z0-9_-]{22}$/);
    expect(a.out.preview).toMatchObject({
      conversationId: CONVERSATION,
      text,
      communicationType: expect.any(String),
    });
    const conv = sandbox.store().conversation(CONVERSATION);
    expect(a.out.preview?.guest).toBe(conv.recipientName);
    expect(a.text).toContain(text);
    expect(writesSince(seq)).toEqual([]);
    expect(copies(text)).toBe(0);
  });

  it('commits exactly what was previewed, once, and a repeated confirmation sends nothing more', async () => {
    const text = `Your early check-in is confirmed (${kind}).`;
    const preview = await send({ conversationId: CONVERSATION, text, communicationType: 'email' });
    const id = preview.out.confirmationId as string;
    const done = await send({
      conversationId: CONVERSATION,
      text,
      communicationType: 'email',
      confirmationId: id,
    });
    expect(done.out.status, done.text).toBe('done');
    expect(done.out.changeId).toBe(id);
    const sent = sandbox
      .store()
      .conversationMessages(CONVERSATION, true)
      .find((m) => m.body === text);
    expect(sent).toMatchObject({ isIncoming: 0, communicationType: 'email' });
    expect(done.out.result?.messageId).toBe(sent?.id);
    expect(sandbox.store().conversation(CONVERSATION).hasUnreadMessages).toBe(0);

    const again = await send({
      conversationId: CONVERSATION,
      text,
      communicationType: 'email',
      confirmationId: id,
    });
    expect(again.out).toMatchObject({ status: 'done', repeated: true, result: { messageId: sent?.id } });
    expect(again.text).toMatch(/nothing was sent again/);
    expect(copies(text)).toBe(1);
  });

  it("refuses an unknown id, another tool's arguments, and changed arguments, changing nothing", async () => {
    const text = `Bound to its arguments ${kind}`;
    const preview = await send({ conversationId: CONVERSATION, text });
    const id = preview.out.confirmationId as string;
    const seq = sandbox.requests.lastSeq;
    const unknown = await send({
      conversationId: CONVERSATION,
      text,
      confirmationId: 'cf_AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/No hostaway_send_message preview has confirmation id/);
    const changed = await send({
      conversationId: CONVERSATION,
      text: `${text}, and the door code`,
      confirmationId: id,
    });
    expect(changed.isError).toBe(true);
    expect(changed.text).toMatch(/issued for different arguments/);
    const wrongStay = await send({ conversationId: CONVERSATION, reservationId: 1000001, text });
    expect(wrongStay.isError).toBe(true);
    expect(wrongStay.text).toMatch(/belongs to reservation 1000002, not 1000001/);
    const otherChannel = await send({
      conversationId: CONVERSATION,
      text,
      communicationType: 'sms',
      confirmationId: id,
    });
    expect(otherChannel.isError).toBe(true);
    expect(writesSince(seq)).toEqual([]);
    // The refusals did not use the id up: the previewed message can still be sent.
    expect((await send({ conversationId: CONVERSATION, text, confirmationId: id })).out.status).toBe('done');
    expect(copies(text)).toBe(1);
  });

  it('refuses an expired confirmation', async () => {
    const text = `Too late ${kind}`;
    const preview = await send({ conversationId: CONVERSATION, text });
    clock += runtime.config.writeSettings.confirmTtlMs;
    const late = await send({
      conversationId: CONVERSATION,
      text,
      confirmationId: preview.out.confirmationId,
    });
    expect(late.isError).toBe(true);
    expect(late.text).toMatch(/expired at .*preview again/);
    expect(copies(text)).toBe(0);
  });

  it('sends one message for 50 concurrent confirmations of one preview', async () => {
    const text = `Fifty hands, one message ${kind}`;
    const preview = await send({ conversationId: CONVERSATION, text });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        send({ conversationId: CONVERSATION, text, confirmationId: preview.out.confirmationId }),
      ),
    );
    expect(answers.filter((a) => a.out.status === 'done' && !a.out.repeated)).toHaveLength(1);
    for (const a of answers) expect(['done', 'in_progress']).toContain(a.out.status);
    expect(copies(text)).toBe(1);
  });

  it('settles 200 lost answers by reading the thread back: no duplicate, every outcome honest', async () => {
    const outcomes = { committedThenLost: 0, lostBeforeCommit: 0 };
    for (let i = 0; i < 200; i++) {
      const text = `Trial ${i} on ${kind}`;
      const afterCommit = i % 2 === 0;
      const preview = await send({ conversationId: CONVERSATION, text });
      sandbox.faults.add({
        method: 'POST',
        path: `/v1/conversations/${CONVERSATION}/messages`,
        kind: afterCommit ? 'resetAfterCommit' : 'reset',
        times: 1,
      });
      const confirm = { conversationId: CONVERSATION, text, confirmationId: preview.out.confirmationId };
      const first = await send(confirm);
      if (afterCommit) {
        // Hostaway took it and the answer was lost: the read-back finds it.
        expect(first.out.status, first.text).toBe('done');
        expect(first.text).toMatch(/reading back showed it took/);
        outcomes.committedThenLost++;
      } else {
        // Nothing reached the thread, but an answer lost after sending cannot prove that at once.
        expect(first.out.status, first.text).toBe('unknown');
        expect((await send(confirm)).out.status).toBe('unknown');
        clock += LEASE_MS;
        const settled = await send(confirm);
        expect(settled.out.status, settled.text).toBe('failed');
        expect(settled.text).toMatch(/checked by reading back/);
        outcomes.lostBeforeCommit++;
      }
      expect(copies(text)).toBe(afterCommit ? 1 : 0);
    }
    expect(outcomes).toEqual({ committedThenLost: 100, lostBeforeCommit: 100 });
    sandbox.faults.clear();
  }, 120_000);

  it('audits every step, with the caller and a digest, and lists it as recent changes', async () => {
    const text = `Audited ${kind}`;
    const preview = await send({ conversationId: CONVERSATION, text });
    const id = preview.out.confirmationId as string;
    await send({ conversationId: CONVERSATION, text, confirmationId: id });
    const r = await client.callTool({ name: 'hostaway_recent_changes', arguments: { changeId: id } });
    const entries = (r.structuredContent as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries.map((e) => [e.action, e.result])).toEqual([
      ['commit', 'done'],
      ['confirm', 'ok'],
      ['preview', 'ok'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ tool: 'hostaway_send_message', caller: 'local (in-process)', changeId: id });
      expect(e.digest).toMatch(/^[0-9a-f]{12}$/);
      expect(String(e.target)).toContain(`conversation ${CONVERSATION}`);
    }
    expect((r.structuredContent as { store: string }).store).toBe(kind);
  });
});
