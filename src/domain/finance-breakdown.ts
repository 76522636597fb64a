/**
 * Money that adds up: a finance report's rows split into disjoint parts that sum to their totals, with
 * cancelled stays counted apart. Sums are kept in whole cents, so the parts add up to the cent.
 *
 * What a stay's guest paid:   guestTotal = rent + cleaning + taxes
 * Where its lodging went:     rent + cleaning = channelFees + managementCommission + ownerPayout + other
 * A cancelled stay's payout:  payout = managementCommission + ownerPayout + other
 *
 * `rent` is the accommodation fee less its cleaning fee (nightly rates and extra-person fees); `other`
 * is what the report's columns leave unassigned (0 when they account for every cent).
 */
export interface StayMoney {
  count: number;
  rent: number;
  cleaning: number;
  taxes: number;
  guestTotal: number;
  channelFees: number;
  managementCommission: number;
  ownerPayout: number;
  other: number;
}

export interface CancelledMoney {
  count: number;
  payout: number;
  managementCommission: number;
  ownerPayout: number;
  other: number;
}

export interface Breakdown {
  stays: StayMoney;
  cancelled: CancelledMoney;
  byStatus: Record<string, number>;
}

/** One report row, by column name. */
export type FinanceRow = Record<string, unknown>;

const cents = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) : 0);

interface Sums {
  stays: StayMoney;
  cancelled: CancelledMoney;
  byStatus: Map<string, number>;
}

const emptySums = (): Sums => ({
  stays: {
    count: 0,
    rent: 0,
    cleaning: 0,
    taxes: 0,
    guestTotal: 0,
    channelFees: 0,
    managementCommission: 0,
    ownerPayout: 0,
    other: 0,
  },
  cancelled: { count: 0, payout: 0, managementCommission: 0, ownerPayout: 0, other: 0 },
  byStatus: new Map(),
});

function add(sums: Sums, row: FinanceRow): void {
  const status = String(row.status ?? 'unknown');
  sums.byStatus.set(status, (sums.byStatus.get(status) ?? 0) + 1);
  const commission = cents(row.pmCommission);
  const owner = cents(row.ownerPayout);
  if (status === 'cancelled') {
    const c = sums.cancelled;
    const payout = cents(row.cancellationPayout);
    c.count++;
    c.payout += payout;
    c.managementCommission += commission;
    c.ownerPayout += owner;
    c.other += payout - commission - owner;
    return;
  }
  const s = sums.stays;
  const accommodation = cents(row.accommodationFee);
  const cleaning = cents(row.cleaningFeeValue);
  const taxes = cents(row.totalTax);
  const channel = cents(row.hostChannelFee);
  s.count++;
  s.rent += accommodation - cleaning;
  s.cleaning += cleaning;
  s.taxes += taxes;
  s.guestTotal += accommodation + taxes;
  s.channelFees += channel;
  s.managementCommission += commission;
  s.ownerPayout += owner;
  s.other += accommodation - channel - commission - owner;
}

function toMoney(sums: Sums): Breakdown {
  const amounts = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'count' ? v : v / 100])) as T;
  return {
    stays: amounts(sums.stays),
    cancelled: amounts(sums.cancelled),
    byStatus: Object.fromEntries(
      [...sums.byStatus.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    ),
  };
}

/** The whole report's breakdown, and the same per group (by a key of each row), largest rent first. */
export function financeBreakdown(
  rows: readonly FinanceRow[],
  groupKey?: (row: FinanceRow) => string,
): Breakdown & { groups: Array<Breakdown & { key: string }> } {
  const total = emptySums();
  const groups = new Map<string, Sums>();
  for (const row of rows) {
    add(total, row);
    if (!groupKey) continue;
    const key = groupKey(row);
    let g = groups.get(key);
    if (!g) {
      g = emptySums();
      groups.set(key, g);
    }
    add(g, row);
  }
  return {
    ...toMoney(total),
    groups: [...groups.entries()]
      .map(([key, g]) => ({ key, ...toMoney(g) }))
      .sort((a, b) => b.stays.rent - a.stays.rent || a.key.localeCompare(b.key)),
  };
}
