/**
 * The calendar view in headless Chromium, behind the Apps SDK's host bridge, against the demo server:
 * each listing's row shows, day by day, what the sandbox's calendar endpoint says (read over HTTP
 * without the server), reserved days carry their reservation with the guest and channel the sandbox
 * has, each listing's today is outlined in its own zone, a guest name with markup shows as text, and
 * the month arrows and the next page ask the same tool again.
 */
import type { FrameLocator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityCalendarOut as Grid } from '../../src/tools/availability-calendar-schema.js';
import { localToday } from '../helpers/inbox-oracle.js';
import { mintToken } from '../helpers/sandbox.js';
import { withAppHost } from './host.js';

type RawDay = {
  date: string;
  isAvailable: number;
  status: string;
  price: number;
  reservations?: Array<{ id: number }>;
};
const MARKUP_NAME = '<b onmouseover="window.__pwned=1">Zoë</b> Ng';

/** The sandbox's own reading of a day, in the view's words. */
function stateOf(d: RawDay): string {
  if (d.isAvailable) return 'free';
  if (d.status === 'reserved' || d.status === 'mreserved') return 'reserved';
  return d.status === 'pending' ? 'pending' : 'blocked';
}

async function rowOf(view: FrameLocator, listingId: number) {
  return view.locator(`tr[data-listing="${listingId}"] td[data-date]`).evaluateAll((cells) =>
    cells.map((c) => ({
      date: c.getAttribute('data-date'),
      state: c.getAttribute('data-state'),
      reservation: c.getAttribute('data-reservation'),
      today: c.classList.contains('today'),
    })),
  );
}

describe('the calendar view', () => {
  const suite = withAppHost();
  let token: string;
  const raw = async (listingId: number, start: string, end: string) => {
    const res = await fetch(
      `${suite.runtime.sandbox!.url}/listings/${listingId}/calendar?startDate=${start}&endDate=${end}&includeResources=1`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: RawDay[] }).result;
  };

  beforeAll(async () => {
    token = await mintToken(suite.runtime.sandbox!);
  }, 60_000);

  it('shows each listing’s month as the calendar endpoint has it, with the guests and channels of its stays', async () => {
    const store = suite.runtime.sandbox!.store();
    // A guest whose name holds markup, on a stay that shows this month.
    const { structuredContent } = await suite.host.client.callTool({
      name: 'hostaway_availability_calendar',
      arguments: { month: '2026-11' },
    });
    const shown = new Set((structuredContent as unknown as Grid).listings.map((l) => l.id));
    const stay = store
      .allReservations()
      .find(
        (r) =>
          r.status === 'new' &&
          shown.has(r.listingMapId) &&
          r.arrivalDate >= '2026-11-26' &&
          r.arrivalDate <= '2026-11-28',
      )!;
    suite.runtime.client.clearCache();
    // Renamed through Hostaway's own reservation update, as a channel would.
    const renamed = await fetch(`${suite.runtime.sandbox!.url}/reservations/${stay.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ guestName: MARKUP_NAME }),
    });
    expect(renamed.status).toBe(200);
    const { view, result } = await suite.host.show('hostaway_availability_calendar', { month: '2026-11' });
    const grid = result.structuredContent as unknown as Grid;
    expect(grid.listings).toHaveLength(10);
    await expect.poll(() => view.locator('tr[data-listing]').count()).toBe(10);

    const now = suite.runtime.now();
    for (const listing of grid.listings) {
      const days = await raw(listing.id, '2026-11-01', '2026-11-30');
      const row = await rowOf(view, listing.id);
      const today = localToday(listing.timeZone, now);
      expect(row).toEqual(
        days.map((d) => ({
          date: d.date,
          state: stateOf(d),
          reservation: d.reservations?.[0] && !d.isAvailable ? String(d.reservations[0].id) : null,
          today: d.date === today,
        })),
      );
    }

    // Every reservation on the grid is listed once, with the sandbox's guest name and channel.
    const onGrid = new Set(
      await view
        .locator('td[data-reservation]')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-reservation'))),
    );
    const listed = await view
      .getByTestId('reservations')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => ({
          id: r.getAttribute('data-reservation'),
          cells: [...r.children].map((c) => c.textContent),
        })),
      );
    expect(new Set(listed.map((r) => r.id))).toEqual(onGrid);
    for (const r of listed) {
      const booked = store.reservation(Number(r.id));
      const channel = grid.reservations.find((x) => x.id === booked.id)?.channel;
      expect(channel).toBeTruthy();
      expect(r.cells.slice(0, 4)).toEqual([
        booked.guestName,
        channel,
        booked.arrivalDate,
        booked.departureDate,
      ]);
    }
    // The guest name with markup is on the grid's first page, shown as the characters it is.
    const marked = listed.find((r) => Number(r.id) === stay.id);
    expect(marked?.cells[0]).toBe(MARKUP_NAME);
    const row = view.locator(`[data-testid="reservations"] tr[data-reservation="${stay.id}"]`);
    expect(await row.locator('b').count()).toBe(0);
    expect(
      await view
        .locator('td.day')
        .first()
        .evaluate(() => (globalThis as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await suite.host.screenshot('calendar');
  });

  it('asks the same tool for the next month and for the next page of listings', async () => {
    const { view, result } = await suite.host.show('hostaway_availability_calendar', { month: '2026-11' });
    const grid = result.structuredContent as unknown as Grid;
    suite.host.calls.length = 0;
    await view.getByRole('button', { name: 'Next month' }).click();
    await expect.poll(() => view.locator('td[data-date="2026-12-31"]').count()).toBe(10);
    expect(suite.host.calls.map((c) => c.arguments)).toEqual([{ month: '2026-12' }]);

    const first = await rowOf(view, grid.listings[0]!.id);
    const december = await raw(grid.listings[0]!.id, '2026-12-01', '2026-12-31');
    expect(first.map((d) => d.state)).toEqual(december.map(stateOf));

    expect(grid.nextOffset).toBe(10);
    await view.getByRole('button', { name: 'More listings' }).click();
    await expect.poll(() => suite.host.calls.length).toBe(2);
    expect(suite.host.calls[1]!.arguments).toEqual({
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      offset: 10,
    });
    // The next page goes under the first, in the tool's order, and the count says how many are shown.
    const page = suite.host.calls[1]!.result.structuredContent as unknown as Grid;
    await expect.poll(() => view.locator(`tr[data-listing="${page.listings[0]!.id}"]`).count()).toBe(1);
    const order = [...grid.listings, ...page.listings].map((l) => String(l.id));
    expect(
      await view
        .locator('tr[data-listing]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-listing'))),
    ).toEqual(order);
    expect(await view.getByText(`listings 1–${order.length} of ${grid.total}`).count()).toBe(1);
    if (page.nextOffset === null)
      expect(await view.getByRole('button', { name: 'More listings' }).count()).toBe(0);
    expect(suite.host.network).toEqual([]);
  });
});
