import { describe, expect, it } from 'vitest';
import { pace } from '../../src/domain/pace.js';
import type { MetricStay } from '../../src/domain/portfolio-metrics.js';

const stay = (fields: Partial<MetricStay> & Pick<MetricStay, 'arrival' | 'departure'>): MetricStay => ({
  id: 1,
  listingId: 1,
  channel: 'Airbnb',
  kind: 'sold',
  bookedAt: '2026-10-01 10:00:00',
  rentCents: null,
  ...fields,
});

describe('pace of the coming months', () => {
  const CUTOFF = '2025-11-25 12:00:00';
  const stays = [
    // This year: two nights in November (from today), two in December.
    stay({ arrival: '2026-11-29', departure: '2026-12-03', rentCents: 40_000 }),
    // Before today: not on the books ahead.
    stay({ arrival: '2026-11-20', departure: '2026-11-25', rentCents: 50_000 }),
    // Last year, booked before the cutoff: two of its nights fall on or after last year's "today".
    stay({
      arrival: '2025-11-24',
      departure: '2025-11-27',
      rentCents: 30_000,
      bookedAt: '2025-10-01 08:00:00',
    }),
    // Last year, booked a second after the cutoff: in the final figure only.
    stay({
      arrival: '2025-12-10',
      departure: '2025-12-12',
      rentCents: 50_000,
      bookedAt: '2025-11-25 12:00:01',
    }),
    // Booking date unknown: final only.
    stay({ arrival: '2025-12-20', departure: '2025-12-21', rentCents: 10_000, bookedAt: null }),
    // Owner and cancelled stays are not on the books; nor is another listing's stay.
    stay({ arrival: '2026-12-10', departure: '2026-12-12', kind: 'owner' }),
    stay({ arrival: '2026-12-15', departure: '2026-12-17', kind: 'cancelled' }),
    stay({ listingId: 2, arrival: '2026-12-15', departure: '2026-12-17', rentCents: 1_000 }),
  ];

  it('on the books now against the same dates a year ago, booked by the same moment', () => {
    expect(pace({ listings: [{ id: 1, today: '2026-11-25' }], stays, months: 2, cutoff: CUTOFF })).toEqual([
      {
        month: '2026-11',
        nights: 2,
        revenue: 200,
        lastYearNights: 2,
        lastYearRevenue: 200,
        lastYearFinalNights: 2,
        lastYearFinalRevenue: 200,
      },
      {
        month: '2026-12',
        nights: 2,
        revenue: 200,
        lastYearNights: 0,
        lastYearRevenue: 0,
        lastYearFinalNights: 3,
        lastYearFinalRevenue: 600,
      },
    ]);
  });

  it('each listing from its own today (and its own stays); no months asked, no rows', () => {
    const rows = pace({
      listings: [
        { id: 1, today: '2026-11-30' },
        { id: 2, today: '2026-12-01' },
      ],
      stays,
      months: 1,
      cutoff: CUTOFF,
    });
    expect(rows.map((r) => [r.month, r.nights])).toEqual([
      ['2026-11', 1],
      ['2026-12', 2],
    ]);
    expect(pace({ listings: [{ id: 1, today: '2026-11-25' }], stays, months: 0, cutoff: CUTOFF })).toEqual(
      [],
    );
  });
});
