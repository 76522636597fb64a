import { describe, expect, it } from 'vitest';
import { financeBreakdown } from '../../src/domain/finance-breakdown.js';
import {
  change,
  type ListingPeriod,
  type MetricStay,
  periodMetrics,
  rentCents,
  stayKind,
} from '../../src/domain/portfolio-metrics.js';
import { dayNumber } from '../../src/hostaway/dates.js';

const MARCH = { from: '2026-03-01', to: '2026-03-10' };
let nextId = 1;
const stay = (fields: Partial<MetricStay> & Pick<MetricStay, 'arrival' | 'departure'>): MetricStay => ({
  id: nextId++,
  listingId: 1,
  channel: 'Airbnb',
  kind: 'sold',
  bookedAt: null,
  rentCents: null,
  ...fields,
});
const days = (...dates: string[]) => new Set(dates.map(dayNumber));

// Listing 1 over 1-10 March: a stay from before the period, one inside, an owner stay, a cancelled one,
// one running past the end, a pending request; the host blocked the 3rd, the 5th (under a stay) and the
// 8th (under the owner's stay).
const STAYS: MetricStay[] = [
  stay({ arrival: '2026-02-27', departure: '2026-03-03', rentCents: 40_000 }),
  stay({
    arrival: '2026-03-05',
    departure: '2026-03-07',
    rentCents: 30_000,
    channel: 'Direct',
    bookedAt: '2026-02-03 10:00:00',
  }),
  stay({ arrival: '2026-03-08', departure: '2026-03-10', kind: 'owner', channel: 'Direct' }),
  stay({ arrival: '2026-03-09', departure: '2026-03-12', kind: 'cancelled', rentCents: null }),
  stay({
    arrival: '2026-03-10',
    departure: '2026-03-13',
    rentCents: 30_000,
    bookedAt: '2026-03-01 23:00:00',
  }),
  stay({ arrival: '2026-03-03', departure: '2026-03-04', kind: 'other' }),
  // Another account's listing, not in scope.
  stay({ listingId: 9, arrival: '2026-03-01', departure: '2026-03-05', rentCents: 99_999 }),
];
const LISTINGS: ListingPeriod[] = [
  { id: 1, span: MARCH, blocked: days('2026-03-03', '2026-03-05', '2026-03-08') },
  { id: 2, span: MARCH, blocked: new Set() },
];

describe('portfolio metrics of one period', () => {
  it('counts only the nights inside, prorates rent per night, and leaves owner and pending stays unsold', () => {
    const { total, groups } = periodMetrics({ listings: LISTINGS, stays: STAYS, groupBy: 'listing' });
    expect(groups.get('1')).toEqual({
      listingNights: 10,
      blockedNights: 1,
      ownerNights: 2,
      nightsAvailable: 7,
      nightsSold: 5,
      occupancyPercent: 71.4,
      revenue: 600,
      adr: 120,
      revpar: 85.71,
      bookings: 2,
      averageLengthOfStay: 2.5,
      averageLeadTimeDays: 19.5,
      cancellations: 1,
      cancellationRatePercent: 33.3,
    });
    expect(groups.get('2')).toMatchObject({
      listingNights: 10,
      nightsAvailable: 10,
      nightsSold: 0,
      occupancyPercent: 0,
      revenue: 0,
      adr: null,
      revpar: 0,
      averageLengthOfStay: null,
      averageLeadTimeDays: null,
      cancellationRatePercent: null,
    });
    expect(groups.has('9')).toBe(false);
    expect(total).toMatchObject({
      listingNights: 20,
      blockedNights: 1,
      ownerNights: 2,
      nightsAvailable: 17,
      nightsSold: 5,
      occupancyPercent: 29.4,
      revenue: 600,
      revpar: 35.29,
      bookings: 2,
    });
  });

  it('a fully blocked listing has no nights available and no rates', () => {
    const all = new Set<number>();
    for (let d = dayNumber(MARCH.from); d <= dayNumber(MARCH.to); d++) all.add(d);
    const { groups } = periodMetrics({
      listings: [{ id: 2, span: MARCH, blocked: all }],
      stays: [],
      groupBy: 'listing',
    });
    expect(groups.get('2')).toMatchObject({
      blockedNights: 10,
      nightsAvailable: 0,
      occupancyPercent: null,
      revpar: null,
      adr: null,
    });
  });

  it('by channel, each channel sells its own nights out of the whole portfolio’s', () => {
    const { total, groups } = periodMetrics({ listings: LISTINGS, stays: STAYS, groupBy: 'channel' });
    expect([...groups.keys()].sort()).toEqual(['Airbnb', 'Direct']);
    const airbnb = groups.get('Airbnb');
    const direct = groups.get('Direct');
    expect(airbnb).toMatchObject({
      nightsAvailable: 17,
      nightsSold: 3,
      revenue: 300,
      bookings: 1,
      cancellations: 1,
    });
    expect(direct).toMatchObject({
      nightsAvailable: 17,
      nightsSold: 2,
      revenue: 300,
      bookings: 1,
      cancellations: 0,
    });
    // Owner nights are the portfolio's, not the Direct channel's own.
    expect(direct?.ownerNights).toBe(total.ownerNights);
    expect((airbnb?.revpar ?? 0) + (direct?.revpar ?? 0)).toBeCloseTo(total.revpar ?? 0, 1);
  });

  it('by month, nights fall in their own month; a year-earlier period under this year’s months', () => {
    const span = { from: '2025-03-30', to: '2025-04-02' };
    const stays = [stay({ arrival: '2025-03-29', departure: '2025-04-02', rentCents: 40_000 })];
    const own = periodMetrics({ listings: [{ id: 1, span, blocked: null }], stays, groupBy: 'month' });
    expect([...own.groups.keys()]).toEqual(['2025-03', '2025-04']);
    expect(own.groups.get('2025-03')).toMatchObject({
      listingNights: 2,
      nightsSold: 2,
      revenue: 200,
      bookings: 0,
    });
    expect(own.groups.get('2025-04')).toMatchObject({ listingNights: 2, nightsSold: 1, revenue: 100 });
    expect(own.total.blockedNights).toBeNull();
    const shifted = periodMetrics({
      listings: [{ id: 1, span, blocked: null }],
      stays,
      groupBy: 'month',
      monthShiftYears: 1,
    });
    expect([...shifted.groups.keys()]).toEqual(['2026-03', '2026-04']);
  });

  it('without calendars, nights available are the days less owner nights', () => {
    const { total } = periodMetrics({
      listings: [{ id: 1, span: MARCH, blocked: null }],
      stays: STAYS,
      groupBy: 'none',
    });
    expect(total).toMatchObject({ blockedNights: null, ownerNights: 2, nightsAvailable: 8, nightsSold: 5 });
  });

  it('statuses: new and modified sell; owner stays and cancellations apart; the rest ignored', () => {
    expect(['new', 'modified', 'ownerStay', 'cancelled', 'pending', 'inquiry'].map(stayKind)).toEqual([
      'sold',
      'sold',
      'owner',
      'cancelled',
      'other',
      'other',
    ]);
  });
});

describe('changes between periods', () => {
  it('occupancy in points, the rest in percent, null against nothing', () => {
    const now = periodMetrics({ listings: LISTINGS, stays: STAYS, groupBy: 'none' }).total;
    const before = { ...now, occupancyPercent: 20, nightsSold: 4, revenue: 500, adr: 125, revpar: 0 };
    expect(change(now, before)).toEqual({
      occupancyPoints: 9.4,
      nightsSoldPercent: 25,
      revenuePercent: 20,
      adrPercent: -4,
      revparPercent: null,
    });
    expect(change(now, { ...before, occupancyPercent: null }).occupancyPoints).toBeNull();
  });
});

describe('rent from a finance report row', () => {
  it('is what the finance report tool calls rent: accommodation less cleaning, to the cent', () => {
    const rows = [
      { status: 'new', accommodationFee: 1043.15, cleaningFeeValue: 90, totalTax: 10 },
      { status: 'modified', accommodationFee: 0.3, cleaningFeeValue: 0.1 },
      { status: 'new', accommodationFee: '12', cleaningFeeValue: null },
    ];
    for (const row of rows) expect(rentCents(row)).toBe(Math.round(financeBreakdown([row]).stays.rent * 100));
    expect(rentCents(rows[0] as Record<string, unknown>)).toBe(95_315);
  });
});
