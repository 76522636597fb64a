/**
 * The operations brief through the SDK client against the sandbox, with the clock at 03:30 UTC on the
 * 29th: the evening of the 28th in every listing's zone. Every section is set against figures worked
 * out here from the sandbox's own store by plain means: local dates from the platform's formatter, the
 * calendar's day statuses for vacant and closed nights, the tasks' listing-time copies, every
 * conversation rather than the recent ones.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import type { BriefOutput } from '../../src/tools/brief-output.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Brief = import('zod').infer<typeof BriefOutput>;
const NOW = '2026-11-29T03:30:00Z';
/** Statuses that hold the calendar, as the statuses page says. */
const HOLDS = [
  'new',
  'modified',
  'ownerStay',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
];
const DAY = 86_400_000;
const localDate = (zone: string, plusDays = 0, at = NOW) =>
  new Date(Date.parse(at) + plusDays * DAY).toLocaleDateString('en-CA', { timeZone: zone });
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const ids = (rows: Array<{ reservationId: number }>) =>
  rows.map((r) => r.reservationId).sort((a, b) => a - b);

describe('hostaway_operations_brief against the sandbox’s own figures', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime({ now: NOW });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => runtime.sandbox!.store();
  const zoneOf = (listingId: number) => store().listing(listingId).timeZoneName as string;
  const brief = async (args: Record<string, unknown>) => {
    const r = await client.callTool({
      name: 'hostaway_operations_brief',
      arguments: { limit: 100, ...args },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return { out: r.structuredContent as Brief, text: (r.content as Array<{ text: string }>)[0]!.text };
  };

  /** What the brief should say for a range given per listing, worked out from the store. */
  function expected(rangeOf: (listingId: number) => { from: string; to: string }) {
    const all = store().allReservations();
    const live = all.filter((r) => HOLDS.includes(r.status));
    const inRange = (d: string, id: number) => d >= rangeOf(id).from && d <= rangeOf(id).to;
    const arrivals = live.filter((r) => inRange(r.arrivalDate, r.listingMapId));
    const departures = live.filter((r) => inRange(r.departureDate, r.listingMapId));
    const through = live.filter(
      (r) => r.arrivalDate < rangeOf(r.listingMapId).from && r.departureDate > rangeOf(r.listingMapId).to,
    );
    const owners = live.filter(
      (r) =>
        r.status === 'ownerStay' &&
        r.arrivalDate <= rangeOf(r.listingMapId).to &&
        r.departureDate >= rangeOf(r.listingMapId).from,
    );
    const turnovers = departures.flatMap((out) =>
      arrivals
        .filter((a) => a.listingMapId === out.listingMapId && a.arrivalDate === out.departureDate)
        .map((a) => `${out.listingMapId} ${out.departureDate} ${out.id}>${a.id}`),
    );
    // Vacant and closed nights from the calendar's own day statuses, not from the reservations.
    const vacant: string[] = [];
    const closed: string[] = [];
    for (const l of store().allListings()) {
      const days = store().calendar(l.id, rangeOf(l.id).from, rangeOf(l.id).to, false);
      const free = days.filter((d) => d.status !== 'reserved' && d.status !== 'pending');
      if (free.length) vacant.push(`${l.id} ${free.map((d) => d.date).join(',')}`);
      for (const d of days.filter((x) => x.status === 'blocked')) closed.push(`${l.id} ${d.date}`);
    }
    const tasks = store()
      .searchTasks({})
      .filter((t) => {
        const r = rangeOf(t.listingMapId as number);
        const first = (t.canStartFromListingTime ?? t.shouldEndByListingTime)?.slice(0, 10) ?? '';
        const last = (t.shouldEndByListingTime ?? t.canStartFromListingTime)?.slice(0, 10) ?? '';
        return t.status !== 'cancelled' && first <= r.to && last >= r.from;
      });
    return { all, arrivals, departures, through, owners, turnovers, vacant, closed, tasks };
  }

  /** Every section of `out` against `expected`, for the same range. */
  function checkSections(out: Brief, want: ReturnType<typeof expected>) {
    const sorted = (rows: Array<{ id: number }>) => rows.map((r) => r.id).sort((a, b) => a - b);
    expect(ids(out.arrivals)).toEqual(sorted(want.arrivals));
    expect(ids(out.departures)).toEqual(sorted(want.departures));
    expect(ids(out.inHouse)).toEqual(sorted(want.through));
    expect(ids(out.ownerStays)).toEqual(sorted(want.owners));
    expect(
      out.turnovers.map((t) => `${t.listingId} ${t.date} ${t.outReservationId}>${t.inReservationId}`).sort(),
    ).toEqual([...want.turnovers].sort());
    expect(out.vacant.map((v) => `${v.listingId} ${v.nights.join(',')}`).sort()).toEqual(
      [...want.vacant].sort(),
    );
    expect(
      out.blocks
        .flatMap((b) => Array.from({ length: b.nights }, (_, i) => `${b.listingId} ${shift(b.from, i)}`))
        .sort(),
    ).toEqual([...want.closed].sort());
    expect(out.vacant.reduce((n, v) => n + (v.closed ?? 0), 0)).toBe(want.closed.length);
    expect(out.tasks.map((t) => t.id).sort((a, b) => a - b)).toEqual(sorted(want.tasks));
    expect(out.counts).toMatchObject({
      arrivals: want.arrivals.length,
      departures: want.departures.length,
      inHouse: want.through.length,
      ownerStays: want.owners.length,
      turnovers: want.turnovers.length,
      vacant: want.vacant.length,
      tasks: want.tasks.length,
      openTasks: want.tasks.filter((t) => ['pending', 'confirmed', 'inProgress'].includes(t.status ?? ''))
        .length,
    });
    // Money: what the stay still owes is its total until it is paid.
    for (const a of out.arrivals) {
      const r = store().reservation(a.reservationId);
      expect(a.balanceDue, `reservation ${a.reservationId}`).toBe(r.isPaid ? 0 : r.totalPrice);
      expect(a.paid).toBe(Boolean(r.isPaid) || r.totalPrice === 0);
    }
  }

  it('today is the 28th in every listing zone though UTC is on the 29th, and every section matches', async () => {
    expect(localDate('UTC')).toBe('2026-11-29');
    const { out, text } = await brief({});
    expect(out.ranges.every((r) => r.from === '2026-11-28' && r.to === '2026-11-28')).toBe(true);
    expect(out.ranges.reduce((n, r) => n + r.listings, 0)).toBe(25);
    const want = expected((id) => ({ from: localDate(zoneOf(id)), to: localDate(zoneOf(id)) }));
    expect(want.arrivals.length + want.departures.length + want.through.length).toBeGreaterThan(5);
    checkSections(out, want);
    // Stays arriving on UTC's date are tomorrow's arrivals here.
    const utcArrivals = want.all.filter((r) => r.arrivalDate === '2026-11-29' && HOLDS.includes(r.status));
    expect(utcArrivals.length).toBeGreaterThan(0);
    expect(out.arrivals.some((a) => utcArrivals.some((r) => r.id === a.reservationId))).toBe(false);
    expect(text).toMatch(/^Operations brief, each listing's own dates: 2026-11-28 \(25 listing\(s\) in /);
    expect(text).toContain(`arrivals ${want.arrivals.length} (`);
  });

  it('two hours later New York is on the 29th and the other zones still on the 28th: each keeps its own day', async () => {
    const LATER = '2026-11-29T05:30:00Z';
    const [first, firstClient, firstClose] = [runtime, client, close];
    runtime = await startTestRuntime({ now: LATER });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    try {
      const { out, text } = await brief({});
      const day = (id: number) => localDate(zoneOf(id), 0, LATER);
      expect(
        new Set(
          store()
            .allListings()
            .map((l) => day(l.id)),
        ),
      ).toEqual(new Set(['2026-11-28', '2026-11-29']));
      expect(out.ranges.find((r) => r.timeZone === 'America/New_York')).toMatchObject({ from: '2026-11-29' });
      expect(out.ranges.find((r) => r.timeZone === 'America/Chicago')).toMatchObject({ from: '2026-11-28' });
      checkSections(
        out,
        expected((id) => ({ from: day(id), to: day(id) })),
      );
      expect(text).toMatch(
        /2026-11-28 \(\d+ listing\(s\) in [^)]*\); 2026-11-29 \(\d+ listing\(s\) in America\/New_York\)/,
      );
    } finally {
      await close();
      await runtime.close();
      [runtime, client, close] = [first, firstClient, firstClose];
    }
  });

  it('a week with a cancelled arrival, an owner stay and a host block: every section matches', async () => {
    const { out } = await brief({ from: 'yesterday', to: '+5' });
    const want = expected((id) => ({ from: localDate(zoneOf(id), -1), to: localDate(zoneOf(id), 5) }));
    checkSections(out, want);
    const cancelled = want.all.filter(
      (r) =>
        r.status === 'cancelled' &&
        r.arrivalDate >= localDate(zoneOf(r.listingMapId), -1) &&
        r.arrivalDate <= localDate(zoneOf(r.listingMapId), 5),
    );
    expect(cancelled.length).toBeGreaterThan(0);
    const shown = [...out.arrivals, ...out.departures, ...out.inHouse, ...out.ownerStays].map(
      (r) => r.reservationId,
    );
    for (const c of cancelled) expect(shown).not.toContain(c.id);
    expect(want.owners.length).toBeGreaterThan(0);
    for (const o of want.owners) {
      const line = out.ownerStays.find((s) => s.reservationId === o.id);
      expect(line).toMatchObject({ listingId: o.listingMapId, arrival: o.arrivalDate, owner: o.guestName });
    }
    expect(out.arrivals.some((a) => a.status === 'ownerStay')).toBe(true);
    expect(want.closed.length).toBeGreaterThan(0);
    expect(out.counts.blocks).toBeGreaterThan(0);
  });

  it('a one-night stay between two others: two turnovers at one listing, with the hours between', async () => {
    const live = store()
      .allReservations()
      .filter((r) => HOLDS.includes(r.status));
    const middle = live.find(
      (m) =>
        m.nights === 1 &&
        live.some((a) => a.listingMapId === m.listingMapId && a.departureDate === m.arrivalDate) &&
        live.some((c) => c.listingMapId === m.listingMapId && c.arrivalDate === m.departureDate),
    );
    expect(middle, 'the seeded account has a one-night stay between two others').toBeDefined();
    const m = middle!;
    const { out } = await brief({ from: m.arrivalDate, to: m.departureDate });
    checkSections(
      out,
      expected(() => ({ from: m.arrivalDate, to: m.departureDate })),
    );
    const here = out.turnovers.filter((t) => t.listingId === m.listingMapId);
    expect(here.map((t) => [t.date, t.inReservationId === m.id || t.outReservationId === m.id])).toEqual([
      [m.arrivalDate, true],
      [m.departureDate, true],
    ]);
    const listing = store().listing(m.listingMapId);
    for (const t of here) {
      expect(t.checkOutHour).toBe(listing.checkOutTime);
      expect(t.checkInHour).toBe(listing.checkInTimeStart);
      expect(t.hoursBetween).toBe((listing.checkInTimeStart as number) - (listing.checkOutTime as number));
    }
  });

  it('returning guests: an earlier stay by the same e-mail, within the stays looked through', async () => {
    const live = store()
      .allReservations()
      .filter((r) => HOLDS.includes(r.status));
    const earlierOf = (r: (typeof live)[number], since: string) =>
      live.filter(
        (p) =>
          p.id !== r.id &&
          p.guestEmail?.toLowerCase() === r.guestEmail?.toLowerCase() &&
          p.arrivalDate < r.arrivalDate &&
          p.arrivalDate >= since,
      );
    // A day in the past three months on which some arriving guest had stayed in the four months before.
    const back = live
      .filter((r) => r.arrivalDate < '2026-11-20' && r.arrivalDate > '2026-09-01')
      .sort((a, b) => b.arrivalDate.localeCompare(a.arrivalDate))
      .find((r) => earlierOf(r, shift(r.arrivalDate, -120)).length > 0);
    expect(back, 'the seeded account has a returning guest').toBeDefined();
    const { out } = await brief({ from: back!.arrivalDate });
    expect(out.earlierStaysFrom).not.toBeNull();
    for (const a of out.arrivals) {
      const r = live.find((x) => x.id === a.reservationId)!;
      const want = earlierOf(r, out.earlierStaysFrom!).length;
      expect([a.reservationId, a.earlierStays, a.returning]).toEqual([r.id, want, want > 0]);
    }
    expect(out.arrivals.find((a) => a.reservationId === back!.id)?.returning).toBe(true);
    expect(out.counts.returningGuests).toBe(out.arrivals.filter((a) => a.returning).length);
  });

  it('guests of current and upcoming stays waiting for a reply, against every conversation; unread flags agree', async () => {
    // The sandbox's clock starts at NOW and runs on: on a busy machine, minutes pass before this test.
    const before = store().now();
    const { out } = await brief({});
    const after = store().now();
    const want = store()
      .searchConversations(undefined)
      .filter((c) => {
        if (!c.reservationId || !c.messageReceivedOn || (c.messageSentOn ?? '') >= c.messageReceivedOn)
          return false;
        const r = store().reservation(c.reservationId);
        const today = localDate(zoneOf(r.listingMapId));
        return HOLDS.includes(r.status) && r.departureDate >= today;
      });
    expect(want.length).toBeGreaterThan(3);
    expect(out.waiting.map((w) => w.conversationId).sort()).toEqual(want.map((c) => c.id).sort());
    const minutes = out.waiting.map((w) => w.waitingMinutes ?? 0);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
    for (const w of out.waiting) {
      const c = want.find((x) => x.id === w.conversationId)!;
      const received = Date.parse(`${c.messageReceivedOn!.replace(' ', 'T')}Z`);
      expect(w.waitingMinutes).toBeGreaterThanOrEqual(Math.round((before - received) / 60_000));
      expect(w.waitingMinutes).toBeLessThanOrEqual(Math.round((after - received) / 60_000));
    }
    // Only the most recent conversations are read: the answer says so.
    expect(out.cut.some((c) => /the 100 most recent conversations of \d+ looked through/.test(c))).toBe(true);
    const known = out.arrivals.filter((a) => a.unread !== null);
    expect(known.length).toBeGreaterThan(0);
    for (const a of known)
      expect(a.unread).toBe(Boolean(store().searchConversations(a.reservationId)[0]?.hasUnreadMessages));
  });

  it('rows stop at the limit, counts do not, and the cut is said', async () => {
    const { out: full } = await brief({ from: 'yesterday', to: '+5' });
    const { out, text } = await brief({ from: 'yesterday', to: '+5', limit: 2 });
    expect(out.counts).toEqual(full.counts);
    expect(out.inHouse).toHaveLength(Math.min(2, full.counts.inHouse));
    expect(out.arrivals).toEqual(full.arrivals.slice(0, 2));
    expect(out.cut).toContain(`arrivals: first 2 of ${full.counts.arrivals} shown (raise limit)`);
    expect(text).toContain(`arrivals (${full.counts.arrivals}, 2 shown):`);
  });

  it('refuses a range longer than 7 days, or reversed, with a message that says how to fix it', async () => {
    const long = await client.callTool({
      name: 'hostaway_operations_brief',
      arguments: { from: 'today', to: '+7' },
    });
    expect(long.isError).toBe(true);
    expect((long.content as Array<{ text: string }>)[0]!.text).toMatch(
      /covers 8 days, both included; at most 7/,
    );
    const reversed = await client.callTool({
      name: 'hostaway_operations_brief',
      arguments: { from: '2026-12-03', to: '2026-12-01' },
    });
    expect((reversed.content as Array<{ text: string }>)[0]!.text).toMatch(/swap them/);
  });
});
