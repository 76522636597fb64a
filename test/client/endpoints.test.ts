import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostawayClient } from '../../src/client/client.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

describe('client typed endpoints and paging, against the sandbox', () => {
  let sandbox: Sandbox;
  let client: HostawayClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    client = clientFor(sandbox);
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('listings: list with filters, one, and all pages', async () => {
    const page = await client.listings.list({ city: 'Miami Beach', sortOrder: 'name' });
    expect(page.items.every((l) => l.city === 'Miami Beach')).toBe(true);
    expect((await client.listings.get(page.items[0]!.id)).name).toBe(page.items[0]!.name);
    const progress: number[] = [];
    const all = await client.listings.all({}, { pageSize: 10, onProgress: (p) => progress.push(p.fetched) });
    expect(all.items).toHaveLength(25);
    expect(progress).toEqual([10, 20, 25]);
    expect(all.truncated).toBe(false);
    const capped = await client.listings.all({}, { pageSize: 10, maxItems: 12 });
    expect(capped.items).toHaveLength(12);
    expect(capped.truncated).toBe(true);
  });

  it('calendar: get, update and intervals', async () => {
    const days = await client.calendar.get(40161, { startDate: '2027-03-01', endDate: '2027-03-07' });
    expect(days).toHaveLength(7);
    await client.calendar.updateIntervals(40161, [
      { startDate: '2027-03-02', endDate: '2027-03-02', minimumStay: 4 },
    ]);
    expect(
      (await client.calendar.get(40161, { startDate: '2027-03-02', endDate: '2027-03-02' }))[0]?.minimumStay,
    ).toBe(4);
  });

  it('reservations: a page with its cursor, one, and all pages through afterId with a hard cap', async () => {
    const first = await client.reservations.list({ limit: 50, sortOrder: 'arrivalDate' });
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toBe(first.items[49]!.id);
    const second = await client.reservations.list({
      limit: 50,
      sortOrder: 'arrivalDate',
      afterId: first.nextCursor!,
    });
    expect(second.items[0]!.arrivalDate >= first.items[49]!.arrivalDate).toBe(true);
    expect((await client.reservations.get(first.items[0]!.id)).id).toBe(first.items[0]!.id);

    const pages: number[] = [];
    const october = await client.reservations.all(
      { arrivalStartDate: '2026-10-01', arrivalEndDate: '2026-10-31' },
      { pageSize: 40, onProgress: (p) => pages.push(p.pages) },
    );
    expect(october.total).toBe(october.items.length);
    expect(new Set(october.items.map((r) => r.id)).size).toBe(october.items.length);
    expect(pages.at(-1)).toBe(
      Math.ceil(october.items.length / 40) + (october.items.length % 40 === 0 ? 1 : 0),
    );
    const capped = await client.reservations.all({}, { pageSize: 100, maxItems: 250 });
    expect(capped.items).toHaveLength(250);
    expect(capped.truncated).toBe(true);
  });

  it('conversations, messages, templates, reviews and tasks', async () => {
    const convs = await client.conversations.list({ limit: 5, includeResources: true });
    const conv = convs.items[0]!;
    expect(conv.Reservation?.id).toBe(conv.reservationId);
    expect((await client.conversations.get(conv.id)).id).toBe(conv.id);
    const messages = await client.conversations.messages(conv.id, { includeScheduledMessages: true });
    expect(messages.items.length).toBeGreaterThan(0);
    expect((await client.conversations.message(conv.id, messages.items[0]!.id)).id).toBe(
      messages.items[0]!.id,
    );
    expect((await client.conversations.ofReservation(conv.reservationId!)).map((c) => c.id)).toEqual([
      conv.id,
    ]);
    const templates = await client.templates.list({ reservationId: conv.reservationId! });
    expect(templates.length).toBeGreaterThan(0);
    expect((await client.templates.get(templates[0]!.id)).name).toBe(templates[0]!.name);
    const reviews = await client.reviews.list({ type: 'guest-to-host', limit: 5 });
    expect((await client.reviews.get(reviews.items[0]!.id)).id).toBe(reviews.items[0]!.id);
    const task = await client.tasks.create({ title: 'Restock coffee', listingMapId: 40160 });
    expect((await client.tasks.update(task.id, { status: 'completed' })).status).toBe('completed');
    expect((await client.tasks.list({ status: 'completed' })).items.map((t) => t.id)).toContain(task.id);
    await client.tasks.delete(task.id);
    await expect(client.tasks.get(task.id)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('finance: JSON reports and CSV', async () => {
    const report = await client.finance.report('consolidated', {
      fromDate: '2026-10-01',
      toDate: '2026-10-31',
      channelIds: [2018],
    });
    expect(report.rows.every((r) => r[1] === 'airbnbOfficial')).toBe(true);
    const perListing = await client.finance.report('listingFinancials', {
      fromDate: '2026-10-01',
      toDate: '2026-10-31',
    });
    expect(perListing.columns[0]?.name).toBe('listingName');
    const csv = await client.finance.csv('standard', { fromDate: '2026-10-01', toDate: '2026-10-02' });
    expect(csv.split('\n')[0]).toMatch(/^"Reservation ID",Channel,Status/);
  });

  it('opt-in parameters reach the sandbox and the documented extra fields come back typed', async () => {
    const plain = await client.reservations.list({ limit: 5 });
    expect(plain.items.every((r) => r.cancellationPolicyDetails === undefined)).toBe(true);
    const rich = await client.reservations.list({
      limit: 5,
      includeResources: true,
      includeCancellationPolicy: true,
      includePayments: true,
    });
    for (const r of rich.items) {
      expect(r.cancellationPolicyDetails?.cancellationPolicyItem?.length).toBeGreaterThan(0);
      expect(typeof r.remainingBalance).toBe('number');
      expect(r.hostProxyEmail).toMatch(/@/);
    }
    const listings = await client.listings.list({ limit: 25, attachObjects: ['bookingEngineUrls'] });
    expect(listings.items.some((l) => (l.bookingEngineUrls ?? []).length > 0)).toBe(true);
  });

  it('reports its state without any secret', async () => {
    const status = await client.status();
    expect(status.token.state).toBe('valid');
    expect(status.budget.remaining).toHaveLength(2);
    expect(JSON.stringify(status)).not.toContain(sandbox.clientSecret);
  });
});
