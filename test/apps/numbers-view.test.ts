/**
 * The numbers view in headless Chromium, behind the Apps SDK's host bridge, against the demo server: the
 * tiles, the month and listing tables and the charts show what hostaway_portfolio_metrics answers for
 * the same period, figure for figure, and the view asks for the grouping the model did not, once.
 */
import type { FrameLocator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PortfolioMetricsOut as Answer } from '../../src/tools/metrics-schema.js';
import { withAppHost } from './host.js';

const PERIOD = { from: '2026-09-01', to: '2026-12-31' };
const FIELDS = { occupancy: 'occupancyPercent', adr: 'adr', revpar: 'revpar', revenue: 'revenue' } as const;

/** Each row of a section's table as { key: { metric: raw value } }. */
async function tableOf(view: FrameLocator, section: string) {
  return view.locator(`section[data-section="${section}"] tbody tr`).evaluateAll((rows) =>
    rows.map((r) => ({
      key: r.getAttribute('data-key'),
      values: Object.fromEntries(
        [...r.querySelectorAll('[data-metric]')].map((c) => [
          c.getAttribute('data-metric'),
          c.getAttribute('data-value'),
        ]),
      ),
    })),
  );
}

const expectedRows = (answer: Answer) =>
  answer.groups.map((g) => ({
    key: g.key,
    values: Object.fromEntries(
      Object.entries(FIELDS).map(([id, field]) => [id, String(g.current[field] ?? 'null')]),
    ),
  }));

describe('the numbers view', () => {
  const suite = withAppHost();
  const metrics = async (args: Record<string, unknown>) =>
    (await suite.host.client.callTool({ name: 'hostaway_portfolio_metrics', arguments: args }))
      .structuredContent as unknown as Answer;

  beforeAll(async () => {}, 60_000);

  it('shows the totals, by month and by listing, as the metrics tool answers them', async () => {
    const { view, result } = await suite.host.show('hostaway_portfolio_metrics', {
      ...PERIOD,
      groupBy: 'listing',
    });
    const byListing = result.structuredContent as unknown as Answer;
    await expect.poll(() => suite.host.calls.length).toBe(1);
    const byMonth = await metrics({ ...PERIOD, groupBy: 'month' });
    expect(byMonth.groups.map((g) => g.key)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);

    await expect.poll(() => view.locator('section[data-section="month"] tbody tr').count()).toBe(4);
    await expect
      .poll(() => view.locator('section[data-section="listing"] tbody tr').count())
      .toBe(byListing.groups.length);
    expect(await tableOf(view, 'month')).toEqual(expectedRows(byMonth));
    expect(await tableOf(view, 'listing')).toEqual(expectedRows(byListing));

    const tiles = await view
      .locator('.tile')
      .evaluateAll((ts) =>
        Object.fromEntries(ts.map((t) => [t.getAttribute('data-metric'), t.getAttribute('data-value')])),
      );
    const total = byListing.total.current;
    expect(tiles).toEqual({
      occupancy: String(total.occupancyPercent),
      adr: String(total.adr),
      revpar: String(total.revpar),
      revenue: String(total.revenue),
      nightsSold: String(total.nightsSold),
    });
    // The month totals add up to the period's: the same stays, cut by month.
    expect(byMonth.groups.reduce((s, g) => s + g.current.nightsSold, 0)).toBe(total.nightsSold);

    // One bar per group in each chart, and the one call the view made for the other grouping.
    expect(await view.locator('section[data-section="month"] svg rect').count()).toBe(4);
    expect(await view.locator('section[data-section="listing"] svg rect').count()).toBe(
      byListing.groups.length,
    );
    expect(suite.host.calls.map((c) => c.arguments)).toEqual([{ ...PERIOD, groupBy: 'month' }]);
    // Made with the model's own arguments, the view's call found every upstream read in the cache.
    expect(suite.host.calls[0]!.upstreamRequests).toBe(0);
    expect(suite.host.network).toEqual([]);
    await suite.host.screenshot('numbers');
  });
});
