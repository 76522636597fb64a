/**
 * Balances due through the SDK client, with the clock at 03:30 UTC on the 29th (the 28th in every
 * listing zone), against the sandbox's stays: a booking that is not paid owes its total, summed here in
 * cents per currency.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const NOW = '2026-11-29T03:30:00Z';
const GUEST_BOOKINGS = [
  'new',
  'modified',
  'pending',
  'awaitingPayment',
  'awaitingGuestVerification',
  'unconfirmed',
];
const localDate = (zone: string, plusDays = 0) =>
  new Date(Date.parse(NOW) + plusDays * 86_400_000).toLocaleDateString('en-CA', { timeZone: zone });

interface Out {
  from: string;
  to: string;
  stays: Array<{ reservationId: number; due: number; total: number | null; basis: string; arrival: string }>;
  count: number;
  totals: Array<{ currency: string | null; due: number; stays: number }>;
  checked: number;
  unknown: number;
}

describe('hostaway_balances_due against the sandbox’s stays', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime({ now: NOW });
    ({ client, close } = await connect(runtime, 'modern (HTTP over a socket)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => runtime.sandbox!.store();
  const zoneOf = (id: number) => store().listing(id).timeZoneName as string;
  const call = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_balances_due', arguments: args });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return { out: r.structuredContent as Out, text: (r.content as Array<{ text: string }>)[0]!.text };
  };
  /** Guest bookings arriving today to +30 in each listing's own dates. */
  const inRange = () =>
    store()
      .allReservations()
      .filter((r) => {
        const zone = zoneOf(r.listingMapId);
        return r.arrivalDate >= localDate(zone) && r.arrivalDate <= localDate(zone, 30);
      });

  it('the next 30 days: every unpaid guest booking with its total, by arrival; totals per currency in cents', async () => {
    const { out, text } = await call({ limit: 200 });
    expect([out.from, out.to]).toEqual(['2026-11-28', '2026-12-28']);
    const bookings = inRange().filter((r) => GUEST_BOOKINGS.includes(r.status));
    const owing = bookings
      .filter((r) => !r.isPaid && (r.totalPrice ?? 0) > 0)
      .sort(
        (a, b) =>
          a.arrivalDate.localeCompare(b.arrivalDate) || a.listingMapId - b.listingMapId || a.id - b.id,
      );
    expect(owing.length).toBeGreaterThan(10);
    expect(out.stays.map((s) => s.reservationId)).toEqual(owing.map((r) => r.id));
    for (const s of out.stays) {
      const r = owing.find((x) => x.id === s.reservationId)!;
      expect([s.due, s.total, s.basis]).toEqual([r.totalPrice, r.totalPrice, 'remainingBalance']);
    }
    const cents = new Map<string, number>();
    for (const r of owing)
      cents.set(r.currency ?? '', (cents.get(r.currency ?? '') ?? 0) + Math.round((r.totalPrice ?? 0) * 100));
    expect(out.totals.map((t) => [t.currency ?? '', Math.round(t.due * 100), t.stays])).toEqual(
      [...cents].map(([c, v]) => [c, v, owing.filter((r) => (r.currency ?? '') === c).length]),
    );
    expect([out.count, out.checked, out.unknown]).toEqual([owing.length, bookings.length, 0]);
    expect(text).toMatch(
      new RegExp(`^${owing.length} stay\\(s\\) arriving 2026-11-28 to 2026-12-28 owe money: `),
    );
  });

  it('cancelled bookings, inquiries and owner stays owe nothing here, paid or not', async () => {
    const { out } = await call({ limit: 200 });
    const excluded = inRange().filter((r) => !GUEST_BOOKINGS.includes(r.status) && !r.isPaid);
    expect(excluded.some((r) => r.status === 'cancelled')).toBe(true);
    expect(excluded.some((r) => r.status === 'ownerStay')).toBe(true);
    const listed = new Set(out.stays.map((s) => s.reservationId));
    for (const r of excluded) expect(listed.has(r.id), `${r.id} ${r.status}`).toBe(false);
  });

  it('one listing, a few rows: totals still cover every stay, and one list request is all it costs', async () => {
    await call({});
    const listingId = 40160;
    const log = runtime.sandbox!.requests;
    const since = log.lastSeq;
    const { out } = await call({ listingId, limit: 1, from: '2026-11-28', to: '2027-02-28' });
    expect(log.list(since).map((e) => `${e.method} ${e.path}`)).toEqual(['GET /v1/reservations']);
    const owing = store()
      .allReservations()
      .filter(
        (r) =>
          r.listingMapId === listingId &&
          GUEST_BOOKINGS.includes(r.status) &&
          !r.isPaid &&
          r.arrivalDate >= '2026-11-28' &&
          r.arrivalDate <= '2027-02-28',
      );
    expect(owing.length).toBeGreaterThan(1);
    expect(out.stays).toHaveLength(1);
    expect(out.count).toBe(owing.length);
    expect(out.totals.reduce((n, t) => n + t.stays, 0)).toBe(owing.length);
  });
});
