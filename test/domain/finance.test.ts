import { describe, expect, it } from 'vitest';
import { FINANCE_FIGURES, summarizeReport } from '../../src/domain/finance.js';
import type { FinanceReport } from '../../src/hostaway/schemas.js';

/**
 * A report in the consolidated layout, columns deliberately out of the usual order, so that a figure read
 * by position instead of by name lands in the wrong total.
 */
const COLUMNS = [
  'ownerPayout',
  'channelName',
  'pmCommission',
  'status',
  'accommodationFee',
  'arrivalDate',
  'hostChannelFee',
  'listingName',
  'totalTax',
  'cleaningFeeValue',
  'cancellationPayout',
] as const;
type Row = Record<(typeof COLUMNS)[number], string | number | null>;
const report = (rows: Row[], columns: readonly string[] = COLUMNS): FinanceReport => ({
  columns: columns.map((name) => ({ name, title: name, valueType: 'money' })),
  rows: rows.map((r) => columns.map((c) => (r as Record<string, string | number | null>)[c] ?? null)),
  totals: null,
  currency: 'USD',
});
const row = (fields: Partial<Row>): Row => ({
  ownerPayout: 0,
  channelName: 'airbnbOfficial',
  pmCommission: 0,
  status: 'new',
  accommodationFee: 0,
  arrivalDate: '2026-10-03',
  hostChannelFee: 0,
  listingName: '(1) A',
  totalTax: 0,
  cleaningFeeValue: 0,
  cancellationPayout: 0,
  ...fields,
});

const ROWS: Row[] = [
  row({
    channelName: 'airbnbOfficial',
    status: 'new',
    arrivalDate: '2026-10-03',
    listingName: '(1) A',
    accommodationFee: 100.1,
    totalTax: 10.2,
    cleaningFeeValue: 20.3,
    hostChannelFee: 3.4,
    pmCommission: 16.5,
    ownerPayout: 80.6,
    cancellationPayout: 0,
  }),
  row({
    channelName: 'bookingcom',
    status: 'modified',
    arrivalDate: '2026-11-04',
    listingName: '(2) B',
    accommodationFee: 300.2,
    totalTax: 30.4,
    cleaningFeeValue: 40.5,
    hostChannelFee: 45.6,
    pmCommission: 52.7,
    ownerPayout: 201.8,
    cancellationPayout: 0,
  }),
  row({
    channelName: 'airbnbOfficial',
    status: 'cancelled',
    arrivalDate: '2026-10-20',
    listingName: '(2) B',
    accommodationFee: 50.05,
    totalTax: null,
    cleaningFeeValue: 'n/a',
    hostChannelFee: 0,
    pmCommission: 10.01,
    ownerPayout: 40.04,
    cancellationPayout: 50.05,
  }),
];

describe('summarizeReport: totals and groups of the consolidated rows', () => {
  it('totals each figure by its column name, rounded to cents; cells that are not numbers count 0', () => {
    const s = summarizeReport(report(ROWS), 'none');
    expect(s.reservations).toBe(3);
    expect(s.totals).toEqual({
      accommodationFee: 450.35,
      totalTax: 40.6,
      cleaningFeeValue: 60.8,
      hostChannelFee: 49,
      pmCommission: 79.21,
      ownerPayout: 322.44,
      cancellationPayout: 50.05,
    });
    expect(s.groups).toEqual([]);
    expect(s.missingColumns).toEqual([]);
  });

  it('groups by channel under readable labels, biggest accommodation first', () => {
    const s = summarizeReport(report(ROWS), 'channel');
    expect(s.groups).toEqual([
      {
        key: 'Booking.com',
        reservations: 1,
        figures: {
          accommodationFee: 300.2,
          totalTax: 30.4,
          cleaningFeeValue: 40.5,
          hostChannelFee: 45.6,
          pmCommission: 52.7,
          ownerPayout: 201.8,
          cancellationPayout: 0,
        },
      },
      {
        key: 'Airbnb',
        reservations: 2,
        figures: {
          accommodationFee: 150.15,
          totalTax: 10.2,
          cleaningFeeValue: 20.3,
          hostChannelFee: 3.4,
          pmCommission: 26.51,
          ownerPayout: 120.64,
          cancellationPayout: 50.05,
        },
      },
    ]);
  });

  it('groups by month of arrival, by listing and by status', () => {
    const keys = (by: 'month' | 'listing' | 'status') =>
      summarizeReport(report(ROWS), by).groups.map((g) => [
        g.key,
        g.reservations,
        g.figures.accommodationFee,
      ]);
    expect(keys('month')).toEqual([
      ['2026-11', 1, 300.2],
      ['2026-10', 2, 150.15],
    ]);
    expect(keys('listing')).toEqual([
      ['(2) B', 2, 350.25],
      ['(1) A', 1, 100.1],
    ]);
    expect(keys('status')).toEqual([
      ['modified', 1, 300.2],
      ['new', 1, 100.1],
      ['cancelled', 1, 50.05],
    ]);
  });

  it('groups with equal accommodation are in key order', () => {
    const tied = [
      row({ status: 'new', accommodationFee: 10 }),
      row({ status: 'cancelled', accommodationFee: 10 }),
      row({ status: 'modified', accommodationFee: 10 }),
    ];
    expect(summarizeReport(report(tied), 'status').groups.map((g) => g.key)).toEqual([
      'cancelled',
      'modified',
      'new',
    ]);
  });

  it('rows without a grouping value fall in an empty-named group', () => {
    const bare = report(
      [row({ accommodationFee: 5 })],
      ['accommodationFee', 'totalTax', 'cleaningFeeValue', 'hostChannelFee', 'pmCommission', 'ownerPayout'],
    );
    for (const by of ['month', 'listing', 'status', 'channel'] as const)
      expect(summarizeReport(bare, by).groups.map((g) => g.key)).toEqual(['']);
  });

  it('a figure whose column is missing shows 0 and is named', () => {
    const s = summarizeReport(
      report([row({ accommodationFee: 5, ownerPayout: 4 })], ['accommodationFee', 'ownerPayout', 'status']),
      'status',
    );
    expect(s.missingColumns).toEqual([
      'totalTax',
      'cleaningFeeValue',
      'hostChannelFee',
      'pmCommission',
      'cancellationPayout',
    ]);
    expect(s.totals).toEqual({
      accommodationFee: 5,
      totalTax: 0,
      cleaningFeeValue: 0,
      hostChannelFee: 0,
      pmCommission: 0,
      ownerPayout: 4,
      cancellationPayout: 0,
    });
    expect(FINANCE_FIGURES).toHaveLength(7);
  });

  it('an empty report has zero totals and no groups', () => {
    const s = summarizeReport(report([]), 'channel');
    expect(s.reservations).toBe(0);
    expect(Object.values(s.totals)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(s.groups).toEqual([]);
  });
});
