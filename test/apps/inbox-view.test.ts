/**
 * The inbox view in headless Chromium, behind the Apps SDK's own host bridge, against the demo server
 * over HTTP: the waiting guests as the tool ranks them, a guest's markup shown as text (and never run),
 * and a reply previewed, then sent exactly once through hostaway_send_message's two steps, the thread
 * read back to prove it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WaitingGuest as Waiting } from '../../src/tools/inbox-triage-schema.js';
import { startTestRuntime } from '../helpers/server.js';
import { openAppHost, withAppHost } from './host.js';

const MARKUP =
  '<img src=x onerror="window.__pwned=1"><b>Bold</b> & <script>window.__pwned=2</script> can we check in early?';
const REPLY = 'Hello! Early check-in at 1 pm is fine. See you soon.';

describe('the inbox view', () => {
  const suite = withAppHost();
  let conversationId: number;

  beforeAll(async () => {
    // A guest of a stay arriving soon writes markup, before the server has read the inbox.
    const store = suite.runtime.sandbox!.store();
    const soon = store
      .searchConversations(undefined)
      .find(
        (c) =>
          c.reservationId &&
          store.reservation(c.reservationId).status === 'new' &&
          store.reservation(c.reservationId).arrivalDate === '2026-11-30',
      )!;
    conversationId = soon.id;
    store.receiveMessage(conversationId, MARKUP);
  }, 60_000);

  it('lists the waiting guests in the tool’s order, the markup a guest wrote shown as text', async () => {
    const { view, result } = await suite.host.show('hostaway_inbox_triage', { limit: 10 });
    const waiting = (result.structuredContent as { waiting: Waiting[] }).waiting;
    expect(waiting.length).toBeGreaterThan(1);
    const cards = view.locator('article.card');
    await expect.poll(() => cards.count()).toBe(waiting.length);
    expect(
      await cards.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-conversation')))),
    ).toEqual(waiting.map((w) => w.conversationId));

    const card = view.locator(`article[data-conversation="${conversationId}"]`);
    const quote = card.getByTestId('guest-text');
    expect(await quote.textContent()).toBe(MARKUP);
    // As text: no element was made from it, and nothing in it ran.
    expect(await quote.evaluate((q) => q.children.length)).toBe(0);
    expect(await card.locator('img, b, script').count()).toBe(0);
    expect(await quote.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await suite.host.screenshot('inbox');
  });

  it('previews a reply, then sends it once: the thread holds it exactly once', async () => {
    const { view } = await suite.host.show('hostaway_inbox_triage', { limit: 10 });
    const card = view.locator(`article[data-conversation="${conversationId}"]`);
    const thread = () =>
      suite.runtime
        .sandbox!.store()
        .conversationMessages(conversationId, false)
        .filter((m) => m.body === REPLY);
    suite.host.calls.length = 0;

    await card.locator('textarea').fill(REPLY);
    await card.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('preview');
    expect(await card.getByTestId('preview-text').textContent()).toBe(REPLY);
    expect(suite.host.calls).toHaveLength(1);
    expect(suite.host.calls[0]!.arguments).toEqual({ conversationId, text: REPLY });
    expect(thread()).toHaveLength(0);
    await suite.host.screenshot('inbox-preview', card);

    const send = card.getByRole('button', { name: 'Send' });
    await send.click();
    await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('done');
    expect(await card.locator('.outcome').textContent()).toBe('Sent');
    await expect.poll(() => send.isHidden()).toBe(true);
    expect(suite.host.calls.map((c) => c.arguments.confirmationId === undefined)).toEqual([true, false]);
    expect(thread()).toHaveLength(1);

    // A host that sends the same commit again (a retry after a lost answer) sends nothing more.
    const again = await suite.host.client.callTool({
      name: 'hostaway_send_message',
      arguments: suite.host.calls[1]!.arguments,
    });
    expect((again.structuredContent as { status: string; repeated?: boolean }).repeated).toBe(true);
    // Read back through the server, as a manager would: the reply is there once.
    suite.runtime.client.clearCache();
    const read = await suite.host.client.callTool({
      name: 'hostaway_get_conversation',
      arguments: { conversationId },
    });
    const bodies = (read.structuredContent as { messages: Array<{ body: string | null }> }).messages.map(
      (m) => m.body,
    );
    expect(bodies.filter((b) => b?.includes(REPLY))).toHaveLength(1);
    expect(thread()).toHaveLength(1);
    // The model hears of the reply it did not send itself.
    expect(JSON.stringify(suite.host.modelContext)).toMatch(
      new RegExp(`sent a reply to .*conversation ${conversationId}.*outcome: done`),
    );
    expect(suite.host.modelContext).toHaveLength(1);
    await suite.host.screenshot('inbox-sent', card);
    // Asked again, the inbox no longer counts the guest as waiting: the host wrote last.
    await view.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => suite.host.calls.at(-1)?.name).toBe('hostaway_inbox_triage');
    await expect.poll(() => view.locator(`article[data-conversation="${conversationId}"]`).count()).toBe(0);
    expect(await view.locator('article.card').count()).toBeGreaterThan(0);
  });

  it('shows a reply Hostaway refused as not sent, and one whose answer was lost as unknown', async () => {
    const { view, result } = await suite.host.show('hostaway_inbox_triage', { limit: 10 });
    const [first, second] = (result.structuredContent as { waiting: Waiting[] }).waiting.filter(
      (w) => w.conversationId !== conversationId,
    );
    const attempt = async (id: number, text: string, fault: 'status' | 'reset') => {
      const card = view.locator(`article[data-conversation="${id}"]`);
      await card.locator('textarea').fill(text);
      await card.getByRole('button', { name: 'Preview' }).click();
      await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('preview');
      suite.runtime.sandbox!.faults.add({
        method: 'POST',
        path: `/v1/conversations/${id}/messages`,
        kind: fault,
        ...(fault === 'status' ? { status: 400 } : {}),
        times: 1,
      });
      await card.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).not.toBe('preview');
      return {
        status: await card.locator('[data-status]').getAttribute('data-status'),
        said: await card.locator('.outcome').textContent(),
        sendHidden: await card.getByRole('button', { name: 'Send' }).isHidden(),
        copies: suite.runtime
          .sandbox!.store()
          .conversationMessages(id, false)
          .filter((m) => m.body === text).length,
      };
    };
    const refused = await attempt(first!.conversationId, 'Refused by Hostaway', 'status');
    expect(refused).toEqual({ status: 'failed', said: 'Not sent', sendHidden: true, copies: 0 });
    const lost = await attempt(second!.conversationId, 'Answer lost on the way', 'reset');
    expect(lost.status).toBe('unknown');
    expect(lost.said).toMatch(/^Unknown/);
    expect(lost.sendHidden).toBe(true);
    expect(lost.copies).toBe(0);
  });

  it('says that sending is off on a read-only server, and sends nothing', async () => {
    const readOnly = await startTestRuntime({ readOnly: true });
    const other = await openAppHost(readOnly, suite.browser);
    try {
      const { view } = await other.show('hostaway_inbox_triage', { limit: 3 });
      const card = view.locator('article.card').first();
      await card.locator('textarea').fill('Hello');
      await card.getByRole('button', { name: 'Preview' }).click();
      await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('error');
      expect(await card.locator('.outcome').textContent()).toMatch(/^Sending is off on this server/);
      expect(other.calls).toHaveLength(0);
      expect(
        readOnly.sandbox!.requests.list(0).filter((r) => r.method === 'POST' && r.path.endsWith('/messages')),
      ).toEqual([]);
    } finally {
      await other.close();
      await readOnly.close();
    }
  });

  it('asks for nothing beyond the host: no network request left the frame', () => {
    expect(suite.host.network).toEqual([]);
  });
});
