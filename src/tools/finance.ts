/**
 * Earnings from Hostaway's consolidated finance report (`_financialReporting_reportConsolidated.md`),
 * split into parts that do not overlap and that add up to their totals, with cancelled stays apart.
 */
import * as z from 'zod';
import { CHANNEL_NAME_LIST, CHANNEL_NAMES, channelLabelFromName } from '../domain/channels.js';
import { checkRange } from '../domain/dates.js';
import { type FinanceRow, financeBreakdown } from '../domain/finance-breakdown.js';
import { table } from '../domain/render.js';
import { RESERVATION_STATUSES } from '../hostaway/schemas.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';
import { dateIn, listingIndex, mainZone } from './listing-index.js';

const MAX_REPORT_DAYS = 366;
/** Groups shown at most; the rest are summed into the totals but not listed. */
const MAX_GROUPS = 60;

const Stays = z
  .object({
    count: z.number().int(),
    rent: z.number().describe('nightly rates and extra-person fees: accommodation less cleaning'),
    cleaning: z.number(),
    taxes: z.number(),
    guestTotal: z.number().describe('= rent + cleaning + taxes: what the guests paid'),
    channelFees: z.number().describe('what the channels kept'),
    managementCommission: z.number(),
    ownerPayout: z.number(),
    other: z
      .number()
      .describe('rent + cleaning not claimed by the three above (0 when the report accounts for every cent)'),
  })
  .describe(
    'stays that were not cancelled; rent + cleaning = channelFees + managementCommission + ownerPayout + other',
  );

const Cancelled = z
  .object({
    count: z.number().int(),
    payout: z.number().describe('what cancelled stays still earned (cancellation payouts)'),
    managementCommission: z.number(),
    ownerPayout: z.number(),
    other: z.number(),
  })
  .describe('cancelled stays, counted apart; payout = managementCommission + ownerPayout + other');

const GroupLine = z.object({
  key: z.string(),
  stays: z.number().int(),
  rent: z.number(),
  cleaning: z.number(),
  taxes: z.number(),
  guestTotal: z.number(),
  channelFees: z.number(),
  managementCommission: z.number(),
  ownerPayout: z.number(),
  cancelled: z.number().int(),
  cancellationPayout: z.number(),
});

const DATE_TYPES = {
  arrival: 'arrivalDate',
  departure: 'departureDate',
  booking: 'reservationDate',
} as const;

export const financeReport = defineTool({
  name: 'hostaway_finance_report',
  title: 'Finance report',
  description:
    "What the portfolio earned over a date range, from Hostaway's finance report (POST /v1/finance/report/consolidated), in parts that add up: for stays, rent + cleaning + taxes = what guests paid, and rent + cleaning = channel fees + management commission + owner payout (+ anything unassigned); cancelled stays and their payouts are counted apart; counts by status. In total and grouped by channel, listing, month or status. Dates are YYYY-MM-DD or today, -30, ... (read in the zone of most listings), at most 366 days, by arrival date unless dateType says otherwise. Without statuses, Hostaway's default set applies.",
  toolset: 'finance',
  input: z
    .object({
      from: DateArg.describe('first date: YYYY-MM-DD, or -30, yesterday...'),
      to: DateArg.describe('last date (included): YYYY-MM-DD, or today...'),
      dateType: z.enum(['arrival', 'departure', 'booking']).default('arrival'),
      groupBy: z.enum(['channel', 'listing', 'month', 'status', 'none']).default('channel'),
      listingIds: z.array(z.number().int().min(1)).min(1).max(200).optional(),
      channels: z.array(z.enum(CHANNEL_NAME_LIST)).min(1).max(CHANNEL_NAME_LIST.length).optional(),
      statuses: z.array(z.enum(RESERVATION_STATUSES)).min(1).max(RESERVATION_STATUSES.length).optional(),
    })
    .strict(),
  output: z.object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string().describe('the zone relative dates were read in'),
    dateType: z.string(),
    currency: z.string().nullable(),
    reservations: z.number().int().describe('every row of the report: stays.count + cancelled.count'),
    byStatus: z.record(z.string(), z.number().int()).describe('reservations per status'),
    stays: Stays,
    cancelled: Cancelled,
    groupBy: z.string(),
    groups: z.array(GroupLine).describe('the same figures per group, largest rent first'),
    complete: z.boolean().describe('false when groups were cut or report columns were missing'),
    note: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    const zone = mainZone(await listingIndex(ctx.client, ctx.signal));
    const now = ctx.now();
    const from = dateIn('from', args.from, zone, now);
    const to = dateIn('to', args.to, zone, now);
    checkRange('from', from, 'to', to, MAX_REPORT_DAYS - 1);
    const report = await ctx.client.finance.report(
      'consolidated',
      {
        fromDate: from,
        toDate: to,
        dateType: DATE_TYPES[args.dateType],
        listingMapIds: args.listingIds,
        channelIds: args.channels?.map((c) => CHANNEL_NAMES[c]),
        statuses: args.statuses,
      },
      ctx.signal,
    );
    const names = report.columns.map((c) => c.name);
    const rows: FinanceRow[] = report.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
    const key = groupKey(args.groupBy);
    const b = financeBreakdown(rows, key);
    const needed = ['accommodationFee', 'cleaningFeeValue', 'totalTax', 'hostChannelFee', 'pmCommission'];
    const missing = [...needed, 'ownerPayout', 'cancellationPayout', 'status'].filter(
      (n) => !names.includes(n),
    );
    const cut = b.groups.length > MAX_GROUPS;
    const notes = [
      missing.length ? `Hostaway's report had no ${missing.join(', ')} column; those parts show 0` : null,
      cut ? `${b.groups.length} groups; the first ${MAX_GROUPS} are listed, all are in the totals` : null,
    ].filter(Boolean);
    return {
      from,
      to,
      timeZone: zone,
      dateType: args.dateType,
      currency: report.currency ?? null,
      reservations: rows.length,
      byStatus: b.byStatus,
      stays: b.stays,
      cancelled: b.cancelled,
      groupBy: args.groupBy,
      groups: b.groups.slice(0, MAX_GROUPS).map((g) => ({
        key: g.key,
        stays: g.stays.count,
        rent: g.stays.rent,
        cleaning: g.stays.cleaning,
        taxes: g.stays.taxes,
        guestTotal: g.stays.guestTotal,
        channelFees: g.stays.channelFees,
        managementCommission: g.stays.managementCommission,
        ownerPayout: g.stays.ownerPayout,
        cancelled: g.cancelled.count,
        cancellationPayout: g.cancelled.payout,
      })),
      complete: !cut && missing.length === 0,
      note: notes.length ? notes.join('; ') : null,
    };
  },
  render: (o) => {
    const s = o.stays;
    const c = o.cancelled;
    const cur = o.currency ? ` ${o.currency}` : '';
    const lines = [
      `${o.from}..${o.to} by ${o.dateType} date (${o.timeZone}): ${o.reservations} reservations (${Object.entries(
        o.byStatus,
      )
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})${o.complete ? '' : '; INCOMPLETE'}`,
      `stays (${s.count}): guests paid ${s.guestTotal}${cur} = rent ${s.rent} + cleaning ${s.cleaning} + taxes ${s.taxes}`,
      `rent + cleaning ${Math.round((s.rent + s.cleaning) * 100) / 100}${cur} = channel fees ${s.channelFees} + management commission ${s.managementCommission} + owner payout ${s.ownerPayout}${s.other ? ` + unassigned ${s.other}` : ''}`,
      `cancelled (${c.count}): payout ${c.payout}${cur} = management commission ${c.managementCommission} + owner payout ${c.ownerPayout}${c.other ? ` + unassigned ${c.other}` : ''}`,
    ];
    if (o.note) lines.push(`note: ${o.note}`);
    if (o.groups.length) lines.push(`by ${o.groupBy}:`, table(o.groups));
    return lines.join('\n');
  },
});

function groupKey(groupBy: 'channel' | 'listing' | 'month' | 'status' | 'none') {
  if (groupBy === 'none') return undefined;
  return (row: FinanceRow): string => {
    if (groupBy === 'month') return String(row.arrivalDate ?? '').slice(0, 7);
    if (groupBy === 'listing') return String(row.listingName ?? '');
    if (groupBy === 'status') return String(row.status ?? '');
    return channelLabelFromName(String(row.channelName ?? ''));
  };
}
