/**
 * hostaway_list_conversations and hostaway_get_conversation where the seeded account does not lead:
 * answers Hostaway may give that the sandbox never does (a conversation without a stay or a listing, a
 * listing the account no longer holds, a guest name only on the reservation, a check-in hour of the
 * reservation's own, no `count`, a message without a date), the arriving-soon mark at its exact
 * boundaries, and how a list pages, stops looking and says so.
 *
 * The server talks to the sandbox through a small proxy that can rewrite an answer; the tools' clock is
 * pinned where a test needs an exact instant. Expected values come from the sandbox's own data and the
 * rewrites, with dates, zones and stay phases worked out here (the platform's Intl, not our helpers).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/hostaway/schemas.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Obj = Record<string, unknown>;
type Body = { result: Obj | Obj[]; count?: number | null };
type Rewrite = (path: string, body: Body) => void;

type Line = {
  conversationId: number;
  reservationId: number | null;
  listingId: number | null;
  listing: string | null;
  guest: string | null;
  status: string | null;
  arrival: string | null;
  departure: string | null;
  stay: string | null;
  arrivingSoon: boolean;
  lastFrom: 'guest' | 'host' | null;
  lastMessageAt: string | null;
  unread: boolean;
  waitingMinutes: number | null;
};
type Listed = {
  conversations: Line[];
  matched: number;
  hidden: number;
  nextOffset: number | null;
  scanned: number;
  total: number | null;
};
type Message = {
  id: number;
  at: string | null;
  from: string;
  status: string | null;
  via: string | null;
  body: string;
};
type Thread = { conversation: Line; messages: Message[]; olderOffset: number | null };

const HOUR = 3_600_000;

/**
 * A pass-through proxy in front of the sandbox: every request is recorded, and JSON answers go through
 * the rewrites the test has set.
 */
async function startProxy() {
  let origin = '';
  const rewrites: Rewrite[] = [];
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', origin);
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = await fetch(url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      let text = await upstream.text();
      const type = upstream.headers.get('content-type') ?? 'application/json';
      if (upstream.ok && type.includes('json') && rewrites.length) {
        const body = JSON.parse(text) as Body;
        for (const rewrite of rewrites) rewrite(url.pathname, body);
        text = JSON.stringify(body);
      }
      res.writeHead(upstream.status, { 'content-type': type });
      res.end(text);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    rewrites,
    requests,
    forwardTo(target: string) {
      origin = new URL(target).origin;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Proxy = Awaited<ReturnType<typeof startProxy>>;

/** A runtime whose client goes through a proxy (its cache off, so that each rewrite is seen at once). */
async function proxiedRuntime(env: Record<string, string> = {}) {
  const proxy = await startProxy();
  const runtime = await startTestRuntime({ env, client: { baseUrl: proxy.url, cache: { enabled: false } } });
  proxy.forwardTo(runtime.sandbox!.url);
  /** The tools' clock: pinned when a test says, the sandbox's otherwise. */
  const clock: { pinned: number | undefined } = { pinned: undefined };
  const { client, close } = await connect(
    { ...runtime, now: () => clock.pinned ?? runtime.now() },
    'legacy (in-memory)',
  );
  return {
    proxy,
    runtime,
    client,
    clock,
    async close() {
      await close();
      await runtime.close();
      await proxy.close();
    },
  };
}

async function call<T>(client: Client, name: string, args: Obj) {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(JSON.stringify(r.content));
  return { out: r.structuredContent as T, text: (r.content as Array<{ text: string }>)[0]!.text };
}

// --- The oracle's own date arithmetic --------------------------------------------------------------

const localDate = (at: number, zone: string) => new Date(at).toLocaleDateString('en-CA', { timeZone: zone });
const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const stampMs = (stamp: string) => Date.parse(`${stamp.replace(' ', 'T')}Z`);

/** The instant a zone's wall clock shows `hour`:00 on `date`, from the platform's zone data. */
function wallClock(date: string, hour: number, zone: string): number {
  const naive = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(format.formatToParts(t).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
  };
  return naive - offsetAt(naive - offsetAt(naive));
}

const CLOSED = ['cancelled', 'declined', 'expired', 'inquiryDenied', 'inquiryTimedout', 'inquiryNotPossible'];
const LIVE = ['current', 'upcoming', 'inquiry', 'recent'];

/** The stay phase as the tool documents it, on the listing's own today. */
function phaseOf(r: { status: string; arrivalDate: string; departureDate: string }, today: string): string {
  if (CLOSED.includes(r.status)) return 'closed';
  if (r.status === 'inquiry' || r.status === 'inquiryPreapproved')
    return r.departureDate < today ? 'past' : 'inquiry';
  if (r.arrivalDate > today) return 'upcoming';
  if (r.departureDate >= today) return 'current';
  return r.departureDate >= shiftDate(today, -3) ? 'recent' : 'past';
}

/** Who wrote last and how long the guest has waited, from a conversation's two timestamps. */
function stateOf(
  c: Pick<Conversation, 'messageReceivedOn' | 'messageSentOn' | 'hasUnreadMessages'>,
  now: number,
) {
  const received = c.messageReceivedOn ?? null;
  const sent = c.messageSentOn ?? null;
  const guestLast = received !== null && (sent === null || received > sent);
  return {
    lastFrom: guestLast ? ('guest' as const) : received === null && sent === null ? null : ('host' as const),
    lastMessageAt: guestLast ? received : sent,
    unread: Boolean(c.hasUnreadMessages),
    waitingMinutes: guestLast ? Math.max(0, Math.round((now - stampMs(received!)) / 60_000)) : null,
  };
}

/** Rewrites one conversation wherever it appears: in a list page or as the single answer. */
const rewriteConversation =
  (id: number, change: (c: Obj) => Obj): Rewrite =>
  (path, body) => {
    if (!/^\/v1\/conversations(\/\d+)?$/.test(path)) return;
    for (const c of Array.isArray(body.result) ? body.result : [body.result])
      if (c.id === id) Object.assign(c, change(c));
  };

describe('conversations as Hostaway may send them, and the arriving-soon mark to the second', () => {
  let env: Awaited<ReturnType<typeof proxiedRuntime>>;
  let proxy: Proxy;
  let client: Client;
  const store = () => env.runtime.sandbox!.store();
  const reservation = (id: number) =>
    store()
      .allReservations()
      .find((r) => r.id === id)!;
  const listing = (id: number) => store().listing(id);
  /** The sandbox's conversations, most recent first, as the list endpoint pages them. */
  const recent = () => store().searchConversations(undefined);
  const conversationOf = (reservationId: number) => store().searchConversations(reservationId)[0]!;

  beforeAll(async () => {
    env = await proxiedRuntime();
    ({ proxy, client } = env);
  });
  afterEach(() => {
    proxy.rewrites.length = 0;
    env.clock.pinned = undefined;
  });
  afterAll(async () => {
    await env.close();
  });

  /** The conversation line of get_conversation, and the head of its text, at a pinned instant. */
  const lineAt = async (conversationId: number, now: number) => {
    env.clock.pinned = now;
    const { out, text } = await call<Thread>(client, 'hostaway_get_conversation', {
      conversationId,
      limit: 1,
    });
    return { line: out.conversation, head: text.split('\n')[0]! };
  };

  it('a conversation with neither stay nor listing nor name: a line of nulls, never arriving, among the live ones', async () => {
    const c = recent().find((x) => stateOf(x, env.runtime.now()).lastFrom === 'guest')!;
    expect(recent().indexOf(c)).toBeLessThan(100);
    proxy.rewrites.push(
      rewriteConversation(c.id, () => ({
        reservationId: null,
        listingMapId: null,
        recipientName: null,
        Reservation: null,
      })),
    );
    const now = env.runtime.now();
    const state = stateOf(c, now);
    const expected: Line = {
      conversationId: c.id,
      reservationId: null,
      listingId: null,
      listing: null,
      guest: null,
      status: null,
      arrival: null,
      departure: null,
      stay: null,
      arrivingSoon: false,
      ...state,
    };
    const { line, head } = await lineAt(c.id, now);
    expect(line).toEqual(expected);
    expect(head).toBe(
      `Conversation ${c.id} with guest (reservation null, listing null); guest waiting ${state.waitingMinutes} min`,
    );

    // Nothing says the stay is over: the default (live stays only) keeps it.
    const { out } = await call<Listed>(client, 'hostaway_list_conversations', {
      waitingOnly: true,
      scan: 100,
      limit: 50,
    });
    expect(out.conversations.find((l) => l.conversationId === c.id)).toEqual(expected);
  });

  it("the listing and the guest's name come from the reservation when the conversation has none", async () => {
    const c = recent()[3]!;
    const r = reservation(c.reservationId!);
    proxy.rewrites.push(rewriteConversation(c.id, () => ({ listingMapId: null, recipientName: null })));
    const now = env.runtime.now();
    const today = localDate(now, listing(r.listingMapId).timeZoneName as string);
    const { line, head } = await lineAt(c.id, now);
    expect(line).toMatchObject({
      conversationId: c.id,
      reservationId: r.id,
      listingId: r.listingMapId,
      listing: listing(r.listingMapId).name,
      guest: r.guestName,
      status: r.status,
      arrival: r.arrivalDate,
      departure: r.departureDate,
      stay: phaseOf(r, today),
      ...stateOf(c, now),
    });
    expect(
      head.startsWith(
        `Conversation ${c.id} with ${r.guestName} (reservation ${r.id}, ${listing(r.listingMapId).name})`,
      ),
    ).toBe(true);
  });

  it("the conversation's own name for the guest wins over the reservation's", async () => {
    const c = recent()[4]!;
    const r = reservation(c.reservationId!);
    proxy.rewrites.push(rewriteConversation(c.id, () => ({ recipientName: 'Sam (Airbnb)' })));
    expect(r.guestName).not.toBe('Sam (Airbnb)');
    const { line } = await lineAt(c.id, env.runtime.now());
    expect(line.guest).toBe('Sam (Airbnb)');
    expect(line.listingId).toBe(r.listingMapId);
  });

  it('a listing the account no longer holds: the stay is read in UTC, check-in at 15:00 UTC', async () => {
    const now0 = env.runtime.now();
    // A booked stay some days ahead, so that UTC and the listing's zone both see it as upcoming.
    const r = store()
      .allReservations()
      .find(
        (x) =>
          ['new', 'modified'].includes(x.status) &&
          x.arrivalDate > localDate(now0 + 5 * 86_400_000, 'UTC') &&
          store().searchConversations(x.id).length > 0,
      )!;
    const c = conversationOf(r.id);
    const gone = 99_999_999;
    proxy.rewrites.push(
      rewriteConversation(c.id, (x) => ({
        listingMapId: gone,
        Reservation: { ...(x.Reservation as Obj), listingMapId: gone, checkInTime: null },
      })),
    );
    const checkIn = Date.parse(`${r.arrivalDate}T15:00:00Z`);
    for (const [now, soon, stay] of [
      [checkIn - 48 * HOUR, true, 'upcoming'],
      [checkIn - 48 * HOUR - 1000, false, 'upcoming'],
      [checkIn, true, 'current'],
      [checkIn + 1000, false, 'current'],
    ] as const) {
      const { line, head } = await lineAt(c.id, now);
      expect(line, new Date(now).toISOString()).toMatchObject({
        listingId: gone,
        listing: null,
        stay,
        arrivingSoon: soon,
        ...stateOf(c, now),
      });
      expect(phaseOf(r, localDate(now, 'UTC'))).toBe(stay);
      expect(
        head.startsWith(
          `Conversation ${c.id} with ${c.recipientName} (reservation ${r.id}, listing ${gone})`,
        ),
      ).toBe(true);
    }
  });

  /** A booked stay with a conversation, on a listing whose check-in starts at `hour`. */
  const bookedAt = (hour: number) => {
    const now = env.runtime.now();
    const r = store()
      .allReservations()
      .find(
        (x) =>
          ['new', 'modified'].includes(x.status) &&
          listing(x.listingMapId).checkInTimeStart === hour &&
          x.arrivalDate > localDate(now + 5 * 86_400_000, 'UTC') &&
          store().searchConversations(x.id).length > 0,
      );
    expect(r, `a booked stay at a listing with check-in at ${hour}:00`).toBeDefined();
    return r!;
  };

  it("arriving soon: from exactly 48 hours before check-in to check-in itself, in the listing's zone", async () => {
    for (const hour of [15, 16]) {
      const r = bookedAt(hour);
      const zone = listing(r.listingMapId).timeZoneName as string;
      expect(r.checkInTime).toBe(hour);
      const checkIn = wallClock(r.arrivalDate, hour, zone);
      // The listing's zone is hours behind UTC: read in UTC, check-in would come hours earlier.
      expect(checkIn - Date.parse(`${r.arrivalDate}T${hour}:00:00Z`)).toBeGreaterThanOrEqual(5 * HOUR);
      const c = conversationOf(r.id);
      for (const [now, soon] of [
        [checkIn - 48 * HOUR, true],
        [checkIn - 48 * HOUR - 1000, false],
        [checkIn - 49 * HOUR, false],
        [checkIn - HOUR, true],
        [checkIn, true],
        [checkIn + 1000, false],
      ] as const) {
        const { line } = await lineAt(c.id, now);
        expect(line, `${r.id} at ${new Date(now).toISOString()}`).toMatchObject({
          listingId: r.listingMapId,
          listing: listing(r.listingMapId).name,
          stay: phaseOf(r, localDate(now, zone)),
          arrivingSoon: soon,
          ...stateOf(c, now),
        });
      }
    }
  });

  it("the reservation's own check-in hour wins over the listing's; without one the listing's counts", async () => {
    const r = bookedAt(16);
    const zone = listing(r.listingMapId).timeZoneName as string;
    const c = conversationOf(r.id);
    const withHour = (checkInTime: number | null) =>
      rewriteConversation(c.id, (x) => ({ Reservation: { ...(x.Reservation as Obj), checkInTime } }));

    proxy.rewrites.push(withHour(19));
    const at19 = wallClock(r.arrivalDate, 19, zone);
    expect((await lineAt(c.id, at19)).line.arrivingSoon).toBe(true);
    expect((await lineAt(c.id, at19 + 1000)).line.arrivingSoon).toBe(false);
    expect((await lineAt(c.id, at19 - 48 * HOUR - 1000)).line.arrivingSoon).toBe(false);

    proxy.rewrites.length = 0;
    proxy.rewrites.push(withHour(null));
    const at16 = wallClock(r.arrivalDate, 16, zone);
    expect((await lineAt(c.id, at16)).line.arrivingSoon).toBe(true);
    expect((await lineAt(c.id, at16 + 1000)).line.arrivingSoon).toBe(false);
    expect((await lineAt(c.id, at16 - 48 * HOUR)).line.arrivingSoon).toBe(true);
    expect((await lineAt(c.id, at16 - 48 * HOUR - 1000)).line.arrivingSoon).toBe(false);
  });

  it('a cancelled stay is never arriving soon, however close its dates', async () => {
    const now0 = env.runtime.now();
    const r = store()
      .allReservations()
      .find(
        (x) =>
          x.status === 'cancelled' &&
          x.arrivalDate > localDate(now0 + 5 * 86_400_000, 'UTC') &&
          store().searchConversations(x.id).length > 0,
      )!;
    expect(r).toBeDefined();
    const zone = listing(r.listingMapId).timeZoneName as string;
    const checkIn = wallClock(r.arrivalDate, r.checkInTime ?? 15, zone);
    const c = conversationOf(r.id);
    for (const now of [checkIn - 24 * HOUR, checkIn]) {
      const { line } = await lineAt(c.id, now);
      expect(line).toMatchObject({ status: 'cancelled', stay: 'closed', arrivingSoon: false });
    }
  });

  it("one reservation's conversation is shown whatever its stay, even among live stays only", async () => {
    const now = env.runtime.now();
    env.clock.pinned = now;
    const over = recent().find((c) => {
      const r = reservation(c.reservationId!);
      return ['past', 'closed'].includes(
        phaseOf(r, localDate(now, listing(r.listingMapId).timeZoneName as string)),
      );
    })!;
    const { out } = await call<Listed>(client, 'hostaway_list_conversations', {
      reservationId: over.reservationId,
    });
    expect(out.conversations.map((l) => l.conversationId)).toEqual([over.id]);
    expect(['past', 'closed']).toContain(out.conversations[0]!.stay);
    expect(out).toMatchObject({ matched: 1, hidden: 0, nextOffset: null, scanned: 1, total: 1 });
  });

  it('by default only live stays: all of `scan` looked through, the others counted as left out', async () => {
    const now = env.runtime.now();
    env.clock.pinned = now;
    const first = recent().slice(0, 300);
    const live = first.filter((c) => {
      const r = reservation(c.reservationId!);
      return LIVE.includes(phaseOf(r, localDate(now, listing(r.listingMapId).timeZoneName as string)));
    });
    expect(live.length).toBeGreaterThan(20);
    expect(live.length).toBeLessThan(300);
    const { out, text } = await call<Listed>(client, 'hostaway_list_conversations', { scan: 300 });
    expect(out.conversations.map((l) => l.conversationId)).toEqual(live.slice(0, 20).map((c) => c.id));
    expect(out).toMatchObject({
      matched: live.length,
      hidden: 300 - live.length,
      nextOffset: 20,
      scanned: 300,
      total: recent().length,
    });
    expect(text.split('\n')[0]).toBe(
      `20 of ${live.length} matching conversation(s) (looked through 300 of ${recent().length}); ${300 - live.length} of stays not live left out (stays: "all" shows them); next page: offset=20`,
    );
  });

  it('without filters, it looks only as far as the page asked for, and says where the next one starts', async () => {
    const ids = recent().map((c) => c.id);
    const total = ids.length;
    expect(total).toBeGreaterThan(300);
    const cases = [
      // offset + limit past the first hundred: a second page is read.
      { offset: 90, limit: 20, scanned: 200 },
      // exactly the first hundred: no second page.
      { offset: 80, limit: 20, scanned: 100 },
      { offset: 90, limit: 10, scanned: 100 },
    ];
    for (const { offset, limit, scanned } of cases) {
      const { out, text } = await call<Listed>(client, 'hostaway_list_conversations', {
        stays: 'all',
        offset,
        limit,
      });
      expect(out.conversations.map((l) => l.conversationId)).toEqual(ids.slice(offset, offset + limit));
      expect(out).toMatchObject({ matched: total, hidden: 0, nextOffset: offset + limit, scanned, total });
      expect(text.split('\n')[0]).toBe(
        `${limit} of ${total} matching conversation(s) (looked through ${scanned} of ${total}); next page: offset=${offset + limit}`,
      );
    }
  });

  it('without a count from Hostaway, an unfiltered list counts what it looked through', async () => {
    proxy.rewrites.push((path, body) => {
      if (path === '/v1/conversations') delete body.count;
    });
    const ids = recent().map((c) => c.id);
    const first = await call<Listed>(client, 'hostaway_list_conversations', { stays: 'all' });
    expect(first.out.conversations.map((l) => l.conversationId)).toEqual(ids.slice(0, 20));
    expect(first.out).toMatchObject({ matched: 100, nextOffset: 20, scanned: 100, total: null });
    expect(first.text.split('\n')[0]).toBe(
      '20 of 100 matching conversation(s) (looked through 100); next page: offset=20',
    );
    const last = await call<Listed>(client, 'hostaway_list_conversations', {
      stays: 'all',
      offset: 90,
      limit: 10,
    });
    expect(last.out.conversations.map((l) => l.conversationId)).toEqual(ids.slice(90, 100));
    expect(last.out).toMatchObject({ matched: 100, nextOffset: null, scanned: 100, total: null });
    expect(last.text.split('\n')[0]).toBe('10 of 100 matching conversation(s) (looked through 100)');
  });

  it('the last page of a filtered list offers no next page; the one before it does', async () => {
    const now = env.runtime.now();
    env.clock.pinned = now;
    const total = recent().length;
    const waiting = recent()
      .slice(0, 100)
      .filter((c) => stateOf(c, now).lastFrom === 'guest');
    const m = waiting.length;
    expect(m).toBeGreaterThan(7);
    const page = (offset: number, limit: number) =>
      call<Listed>(client, 'hostaway_list_conversations', {
        waitingOnly: true,
        stays: 'all',
        scan: 100,
        offset,
        limit,
      });
    for (const [offset, limit, next] of [
      [m - 6, 5, m - 1],
      [m - 5, 5, null],
      [m - 2, 5, null],
    ] as const) {
      const { out, text } = await page(offset, limit);
      const shown = Math.min(limit, m - offset);
      expect(out.conversations).toHaveLength(shown);
      expect(out).toMatchObject({ matched: m, hidden: 0, nextOffset: next, scanned: 100, total });
      expect(text.split('\n')[0]).toBe(
        `${shown} of ${m} matching conversation(s) (looked through 100 of ${total})${next === null ? '' : `; next page: offset=${next}`}`,
      );
    }
  });

  it('unread or waiting lists put the longest waits first and conversations where the host wrote last after them', async () => {
    // A guest writes now: a wait of zero minutes, which must still come before every host-last one.
    const fresh = recent()[10]!;
    const written = store().receiveMessage(fresh.id, 'Is early check-in possible?');
    // Then the host answers another guest: a host-last conversation listed before the waiting one
    // (same second or later; a tie goes to the higher id).
    const answered = recent().find((c) => c.id > fresh.id)!;
    store().sendMessage(answered.id, 'See you tomorrow!', 'email');
    const now = stampMs(written.date!);
    env.clock.pinned = now;
    const first = recent().slice(0, 100);
    expect(first.slice(0, 2).map((c) => c.id)).toEqual([answered.id, fresh.id]);
    // Hostaway lets a manager mark a conversation unread: some where the host wrote last.
    const hostLast = first.filter((c) => stateOf(c, now).lastFrom === 'host').slice(0, 6);
    expect(hostLast).toHaveLength(6);
    expect(hostLast[0]!.id).toBe(answered.id);
    const marked = new Set(hostLast.map((c) => c.id));
    proxy.rewrites.push((path, body) => {
      if (path !== '/v1/conversations' || !Array.isArray(body.result)) return;
      for (const c of body.result) if (marked.has(c.id as number)) c.hasUnreadMessages = 1;
    });
    const unread = first.filter((c) => c.hasUnreadMessages || marked.has(c.id));
    const guestLast = unread
      .filter((c) => stateOf(c, now).lastFrom === 'guest')
      .sort((a, b) => stateOf(b, now).waitingMinutes! - stateOf(a, now).waitingMinutes!);
    expect(guestLast.length).toBeGreaterThan(2);
    expect(guestLast.at(-1)!.id).toBe(fresh.id);
    expect(stateOf(store().conversation(fresh.id), now).waitingMinutes).toBe(0);
    const expected = [...guestLast, ...unread.filter((c) => marked.has(c.id))].map((c) => c.id);
    const { out } = await call<Listed>(client, 'hostaway_list_conversations', {
      unreadOnly: true,
      stays: 'all',
      scan: 100,
      limit: 50,
    });
    expect(out.conversations.map((l) => l.conversationId)).toEqual(expected);
    expect(out.conversations.map((l) => l.waitingMinutes)).toEqual(
      expected.map((id) => stateOf(store().conversation(id), now).waitingMinutes),
    );
  });
});

describe('a thread as Hostaway may send it: no count, messages without a date or a body', () => {
  let env: Awaited<ReturnType<typeof proxiedRuntime>>;
  const store = () => env.runtime.sandbox!.store();
  beforeAll(async () => {
    env = await proxiedRuntime();
  });
  afterEach(() => {
    env.proxy.rewrites.length = 0;
  });
  afterAll(async () => {
    await env.close();
  });
  /** The first of the recent conversations with exactly `n` sent messages, newest first. */
  const threadOf = (n: number) => {
    for (const c of store().searchConversations(undefined)) {
      const sent = store().conversationMessages(c.id, false);
      if (sent.length === n) return { c, sent };
    }
    throw new Error(`no thread of ${n} sent messages`);
  };
  const read = (conversationId: number, args: Obj = {}) =>
    call<Thread>(env.client, 'hostaway_get_conversation', { conversationId, ...args });

  it('without a count, a full page says older messages may follow and a short one that none do', async () => {
    env.proxy.rewrites.push((path, body) => {
      if (/^\/v1\/conversations\/\d+\/messages$/.test(path)) delete body.count;
    });
    const three = threadOf(3);
    const full = await read(three.c.id, { limit: 2 });
    expect(full.out.messages.map((m) => m.id)).toEqual([three.sent[1]!.id, three.sent[0]!.id]);
    expect(full.out.olderOffset).toBe(2);
    expect(full.text.split('\n')[0]).toMatch(/; older messages: offset=2$/);
    const short = await read(three.c.id, { limit: 2, offset: 2 });
    expect(short.out.messages.map((m) => m.id)).toEqual([three.sent[2]!.id]);
    expect(short.out.olderOffset).toBeNull();

    // Nothing tells a full oldest page from one with more behind it: the next read finds none.
    const four = threadOf(4);
    const oldest = await read(four.c.id, { limit: 2, offset: 2 });
    expect(oldest.out.messages.map((m) => m.id)).toEqual([four.sent[3]!.id, four.sent[2]!.id]);
    expect(oldest.out.olderOffset).toBe(4);
    const beyond = await read(four.c.id, { limit: 2, offset: 4 });
    expect(beyond.out.messages).toEqual([]);
    expect(beyond.out.olderOffset).toBeNull();
  });

  it("a message's time is its date, else when Hostaway recorded it; a missing body reads as empty", async () => {
    const { c, sent } = threadOf(4);
    const [noDate, otherInsert, neither, noBody] = sent;
    env.proxy.rewrites.push((path, body) => {
      if (path !== `/v1/conversations/${c.id}/messages` || !Array.isArray(body.result)) return;
      for (const m of body.result) {
        if (m.id === noDate!.id) m.date = null;
        if (m.id === otherInsert!.id) m.insertedOn = '2020-01-01 00:00:00';
        if (m.id === neither!.id) Object.assign(m, { date: null, insertedOn: null });
        if (m.id === noBody!.id) m.body = null;
      }
    });
    expect(noDate!.insertedOn).toBeTruthy();
    expect(otherInsert!.date).not.toBe('2020-01-01 00:00:00');
    const { out, text } = await read(c.id);
    const byId = new Map(out.messages.map((m) => [m.id, m]));
    expect(byId.get(noDate!.id)!.at).toBe(noDate!.insertedOn);
    expect(byId.get(otherInsert!.id)!.at).toBe(otherInsert!.date);
    expect(byId.get(neither!.id)!.at).toBeNull();
    expect(byId.get(noBody!.id)!.body).toBe('');
    expect(byId.get(noBody!.id)!.at).toBe(noBody!.date);
    expect(text).toContain(`[${noDate!.insertedOn}] ${noDate!.isIncoming ? 'guest' : 'host'}: `);
  });

  it('the head of a thread where the host wrote last: who, which stay, and nothing more', async () => {
    const c = store()
      .searchConversations(undefined)
      .find((x) => x.messageSentOn && (!x.messageReceivedOn || x.messageReceivedOn < x.messageSentOn))!;
    const listingName = store().listing(c.listingMapId!).name;
    const { out, text } = await read(c.id, { limit: 100 });
    expect(out.olderOffset).toBeNull();
    expect(out.conversation.waitingMinutes).toBeNull();
    expect(text.split('\n')[0]).toBe(
      `Conversation ${c.id} with ${c.recipientName} (reservation ${c.reservationId}, ${listingName})`,
    );
  });
});

describe('a small account, with fewer conversations than a scan asks for', () => {
  let env: Awaited<ReturnType<typeof proxiedRuntime>>;
  beforeAll(async () => {
    env = await proxiedRuntime({ HOSTAWAY_SANDBOX_LISTINGS: '2' });
  });
  afterAll(async () => {
    await env.close();
  });

  it('stops at the first short page instead of asking for empty ones', async () => {
    const total = env.runtime.sandbox!.store().searchConversations(undefined).length;
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThan(600);
    env.proxy.requests.length = 0;
    const { out } = await call<Listed>(env.client, 'hostaway_list_conversations', {
      waitingOnly: true,
      stays: 'all',
      scan: 1000,
    });
    expect(out.scanned).toBe(total);
    expect(out.total).toBe(total);
    const pages = env.proxy.requests.filter((r) => r.startsWith('GET /v1/conversations?'));
    expect(pages).toHaveLength(Math.floor(total / 100) + 1);
    expect(pages.map((p) => new URL(p.slice(4), 'http://x').searchParams.get('offset'))).toEqual(
      Array.from({ length: pages.length }, (_, i) => String(i * 100)),
    );
  });
});
