/**
 * The finance answer's text for the cases the seeded account never produces: a report without some
 * columns, groups cut, no currency, unassigned money. The rendering is a pure function of the answer.
 */
import { describe, expect, it } from 'vitest';
import { financeReport } from '../../src/tools/finance.js';

const answer = {
  from: '2026-10-01',
  to: '2026-10-31',
  timeZone: 'America/Chicago',
  dateType: 'arrival',
  currency: null,
  reservations: 3,
  byStatus: { new: 2, cancelled: 1 },
  stays: {
    count: 2,
    rent: 100.1,
    cleaning: 20.2,
    taxes: 5,
    guestTotal: 125.3,
    channelFees: 10,
    managementCommission: 20,
    ownerPayout: 80,
    other: 10.3,
  },
  cancelled: { count: 1, payout: 50, managementCommission: 10, ownerPayout: 30, other: 10 },
  groupBy: 'none',
  groups: [],
  complete: false,
  note: "Hostaway's report had no ownerPayout column; those parts show 0",
};

describe('finance text', () => {
  it('says the report is incomplete, shows unassigned money and the note, without a currency', () => {
    expect(financeReport.render(answer).split('\n')).toEqual([
      '2026-10-01..2026-10-31 by arrival date (America/Chicago): 3 reservations (2 new, 1 cancelled); INCOMPLETE',
      'stays (2): guests paid 125.3 = rent 100.1 + cleaning 20.2 + taxes 5',
      'rent + cleaning 120.3 = channel fees 10 + management commission 20 + owner payout 80 + unassigned 10.3',
      'cancelled (1): payout 50 = management commission 10 + owner payout 30 + unassigned 10',
      "note: Hostaway's report had no ownerPayout column; those parts show 0",
    ]);
  });

  it('a complete report in a currency, with groups, reads without the extras', () => {
    const text = financeReport
      .render({
        ...answer,
        currency: 'EUR',
        complete: true,
        note: null,
        stays: { ...answer.stays, other: 0 },
        cancelled: { ...answer.cancelled, other: 0 },
        groupBy: 'channel',
        groups: [
          {
            key: 'Airbnb',
            stays: 2,
            rent: 100.1,
            cleaning: 20.2,
            taxes: 5,
            guestTotal: 125.3,
            channelFees: 10,
            managementCommission: 20,
            ownerPayout: 80,
            cancelled: 1,
            cancellationPayout: 50,
          },
        ],
      })
      .split('\n');
    expect(text[0]).not.toMatch(/INCOMPLETE/);
    expect(text[1]).toBe('stays (2): guests paid 125.3 EUR = rent 100.1 + cleaning 20.2 + taxes 5');
    expect(text[2]).not.toMatch(/unassigned/);
    expect(text[3]).toBe('cancelled (1): payout 50 EUR = management commission 10 + owner payout 30');
    expect(text[4]).toBe('by channel:');
    expect(text[6]).toBe('Airbnb\t2\t100.1\t20.2\t5\t125.3\t10\t20\t80\t1\t50');
  });
});
