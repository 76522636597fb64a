/**
 * Finance answers from Hostaway's consolidated report (`_financialReporting_reportConsolidated.md`):
 * totals, and the same figures grouped by channel, listing, month or status.
 */
import type { FinanceReport } from '../hostaway/schemas.js';
import { channelLabelFromName } from './channels.js';

export const FINANCE_FIGURES = [
  'accommodationFee',
  'totalTax',
  'cleaningFeeValue',
  'hostChannelFee',
  'pmCommission',
  'ownerPayout',
  'cancellationPayout',
] as const;
export type FinanceFigure = (typeof FINANCE_FIGURES)[number];
export type FinanceGroupBy = 'channel' | 'listing' | 'month' | 'status' | 'none';

export interface FinanceGroup {
  key: string;
  reservations: number;
  figures: Record<FinanceFigure, number>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Sums the consolidated rows, whole and per group; columns are found by name, not position. */
export function summarizeReport(report: FinanceReport, groupBy: FinanceGroupBy) {
  const label = groupLabel(groupBy);
  const names = report.columns.map((c) => c.name);
  const rows = report.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  const empty = () => Object.fromEntries(FINANCE_FIGURES.map((f) => [f, 0])) as Record<FinanceFigure, number>;
  const totals = empty();
  const groups = new Map<string, FinanceGroup>();
  for (const row of rows) {
    // Without a grouping the groups are dropped below, whatever their keys.
    const key = label(row);
    const group = groups.get(key) ?? { key, reservations: 0, figures: empty() };
    group.reservations++;
    for (const f of FINANCE_FIGURES) {
      const v = typeof row[f] === 'number' ? (row[f] as number) : 0;
      group.figures[f] = round2(group.figures[f] + v);
      totals[f] = round2(totals[f] + v);
    }
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.figures.accommodationFee - a.figures.accommodationFee || a.key.localeCompare(b.key),
  );
  return {
    reservations: rows.length,
    totals,
    groups: groupBy === 'none' ? [] : sorted,
    missingColumns: FINANCE_FIGURES.filter((f) => !names.includes(f)),
  };
}

function groupLabel(groupBy: FinanceGroupBy): (row: Record<string, unknown>) => string {
  return (row) => {
    if (groupBy === 'month') return String(row.arrivalDate ?? '').slice(0, 7);
    if (groupBy === 'listing') return String(row.listingName ?? '');
    if (groupBy === 'status') return String(row.status ?? '');
    return channelLabelFromName(String(row.channelName ?? ''));
  };
}
