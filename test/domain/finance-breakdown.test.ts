import { describe, expect, it } from 'vitest';
import { type FinanceRow, financeBreakdown } from '../../src/domain/finance-breakdown.js';

const stay = (over: FinanceRow = {}): FinanceRow => ({
  status: 'new',
  accommodationFee: 1100.1,
  cleaningFeeValue: 100.05,
  totalTax: 88.01,
  hostChannelFee: 150,
  pmCommission: 200.01,
  ownerPayout: 750.09,
  cancellationPayout: 0,
  channelName: 'airbnb',
  ...over,
});

describe('financeBreakdown', () => {
  it('splits stays into disjoint parts that add up to the cent', () => {
    const b = financeBreakdown([
      stay(),
      stay({ status: 'modified', accommodationFee: 0.3, cleaningFeeValue: 0.1 }),
    ]);
    expect(b.stays.count).toBe(2);
    expect(b.stays.rent).toBe(1000.25); // 1000.05 + 0.20
    expect(b.stays.cleaning).toBe(100.15);
    expect(b.stays.taxes).toBe(176.02);
    expect(b.stays.guestTotal).toBe(1276.42);
    expect(b.stays.rent + b.stays.cleaning + b.stays.taxes).toBeCloseTo(b.stays.guestTotal, 9);
    const split = b.stays.channelFees + b.stays.managementCommission + b.stays.ownerPayout + b.stays.other;
    expect(split).toBeCloseTo(b.stays.rent + b.stays.cleaning, 9);
    expect(b.stays.other).toBe(-1099.8); // the second row's columns claim more than its 0.30
  });

  it('counts cancelled stays apart, with their payout and its split', () => {
    const b = financeBreakdown([
      stay(),
      stay({
        status: 'cancelled',
        accommodationFee: 300,
        cleaningFeeValue: 0,
        totalTax: 0,
        hostChannelFee: 0,
        cancellationPayout: 300,
        pmCommission: 60,
        ownerPayout: 240,
      }),
    ]);
    expect(b.stays.count).toBe(1);
    expect(b.stays.rent).toBe(1000.05);
    expect(b.cancelled).toEqual({
      count: 1,
      payout: 300,
      managementCommission: 60,
      ownerPayout: 240,
      other: 0,
    });
    expect(b.byStatus).toEqual({ cancelled: 1, new: 1 });
  });

  it('groups by a key, each group adding up, largest rent first; missing or odd cells count as 0', () => {
    const b = financeBreakdown(
      [
        stay({ channelName: 'vrbo', accommodationFee: 50, cleaningFeeValue: 10 }),
        stay(),
        stay({ channelName: 'vrbo', accommodationFee: 'n/a', cleaningFeeValue: null, totalTax: undefined }),
      ],
      (r) => String(r.channelName),
    );
    expect(b.groups.map((g) => [g.key, g.stays.count, g.stays.rent])).toEqual([
      ['airbnb', 1, 1000.05],
      ['vrbo', 2, 40],
    ]);
    expect(b.groups.reduce((s, g) => s + g.stays.guestTotal, 0)).toBeCloseTo(b.stays.guestTotal, 9);
    expect(financeBreakdown([]).groups).toEqual([]);
    expect(financeBreakdown([stay({ status: undefined })]).byStatus).toEqual({ unknown: 1 });
  });
});
