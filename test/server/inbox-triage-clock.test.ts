/**
 * hostaway_inbox_triage at the 48-hour line, moving the sandbox's clock across one guest's check-in
 * minus 48 hours; and the thread read it falls back on when the list attaches no guest message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { silentLogger } from '../../src/logging.js';
import type { Runtime } from '../../src/server/runtime.js';
import type { ToolContext } from '../../src/tools/define.js';
import { triageInbox } from '../../src/tools/inbox-triage.js';
import { lastGuestBody, waitingFromStore } from '../helpers/inbox-oracle.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const HOUR = 3_600_000;
type Guest = {
  conversationId: number;
  score: number;
  arrivingSoon: boolean;
  checkInInHours: number | null;
  lastGuestMessage: { text: string } | null;
};
type Triage = { waiting: Guest[]; threadsRead: number };

describe('hostaway_inbox_triage across the 48-hour line', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(async () => runtime.close());

  it('a guest is marked arriving soon, and jumps ahead, from 48 hours before check-in on', async () => {
    const store = runtime.sandbox!.store();
    const stays = new Map(store.allReservations().map((r) => [r.id, r]));
    // A confirmed stay that starts in three to eight days, whose guest now asks something.
    const conv = store.searchConversations(undefined).find((c) => {
      const r = stays.get(c.reservationId as number);
      return r?.status === 'new' && r.arrivalDate >= '2026-11-28' && r.arrivalDate <= '2026-12-03';
    })!;
    store.receiveMessage(conv.id, 'Hi, is early check-in possible? Our flight lands at 9am.');
    const target = waitingFromStore(runtime, 200, runtime.now()).find((e) => e.conversationId === conv.id)!;
    expect(target.hoursToCheckIn).toBeGreaterThan(60);
    const { client, close } = await connect(runtime, 'legacy (in-memory)');
    const triage = async () => {
      runtime.client.clearCache();
      const r = await client.callTool({
        name: 'hostaway_inbox_triage',
        arguments: { listingId: target.listingId },
      });
      expect(r.isError).toBeFalsy();
      const out = r.structuredContent as Triage;
      return { out, guest: out.waiting.find((g) => g.conversationId === conv.id)! };
    };
    const expectOracleOrder = (out: Triage) => {
      const expected = waitingFromStore(runtime, 200, runtime.now()).filter(
        (e) => e.listingId === target.listingId && ['current', 'upcoming', 'inquiry'].includes(e.stay),
      );
      expect(out.waiting.map((g) => g.conversationId)).toEqual(
        expected.slice(0, 10).map((e) => e.conversationId),
      );
    };

    // Half a minute before the line: not yet.
    runtime.sandbox!.advanceClock(target.checkInAt - 48 * HOUR - 30_000 - runtime.now());
    const before = await triage();
    expect(before.guest.arrivingSoon).toBe(false);
    expect(before.guest.score).toBeLessThan(100);
    expect(before.guest.checkInInHours).toBeGreaterThanOrEqual(48);
    expectOracleOrder(before.out);

    // Half a minute after: marked, a hundred points more, ahead of every guest of that listing not arriving.
    runtime.sandbox!.advanceClock(60_000);
    const after = await triage();
    expect(after.guest.arrivingSoon).toBe(true);
    expect(after.guest.score).toBeGreaterThanOrEqual(100);
    expect(after.guest.score - before.guest.score).toBeCloseTo(100, 0);
    expect(after.guest.checkInInHours).toBeLessThanOrEqual(48);
    expectOracleOrder(after.out);
    const at = after.out.waiting.findIndex((g) => g.conversationId === conv.id);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(after.out.waiting.slice(0, at).every((g) => g.arrivingSoon)).toBe(true);
    await close();
  });
});

describe('hostaway_inbox_triage when the list attaches no guest message', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(async () => runtime.close());

  it("reads the thread of each prepared guest, and only theirs, for the guest's latest message", async () => {
    // The same client, but its conversations list comes back without the attached latest message.
    const base = runtime.client;
    const bare = Object.create(base) as HostawayClient;
    Object.defineProperty(bare, 'conversations', {
      value: {
        ...base.conversations,
        list: async (...args: Parameters<HostawayClient['conversations']['list']>) => {
          const page = await base.conversations.list(...args);
          return { ...page, items: page.items.map((c) => ({ ...c, conversationMessages: [] })) };
        },
      },
    });
    const ctx = {
      client: bare,
      mode: 'sandbox',
      readOnly: false,
      logger: silentLogger,
      signal: new AbortController().signal,
      now: runtime.now,
      writes: undefined as never,
    } satisfies ToolContext;
    const since = runtime.sandbox!.requests.lastSeq;
    const out = await triageInbox.handler(triageInbox.input.parse({ limit: 4 }), ctx);
    const reads = runtime
      .sandbox!.requests.list(since)
      .filter((e) => /^\/v1\/conversations\/\d+\/messages$/.test(e.path))
      .map((e) => Number(e.path.split('/')[3]));
    expect(out.waiting).toHaveLength(4);
    expect(out.threadsRead).toBe(4);
    expect(reads.sort()).toEqual(out.waiting.map((g) => g.conversationId).sort());
    for (const g of out.waiting)
      expect(g.lastGuestMessage?.text).toBe(
        lastGuestBody(runtime, g.conversationId)!.replace(/\s+/g, ' ').trim(),
      );
  });
});
