import * as z from 'zod';
import { CHANNEL_NAME_LIST, CHANNEL_NAMES } from '../domain/channels.js';
import { checkRange } from '../domain/dates.js';
import { type FinanceFigure, summarizeReport } from '../domain/finance.js';
import { table } from '../domain/render.js';
import { RESERVATION_STATUSES } from '../hostaway/schemas.js';
import { DateArg, defineTool, READ_ONLY } from './define.js';

const MAX_REPORT_DAYS = 366;

const Figures = z.object({
  accommodation: z.number().describe('nightly rate and cleaning: accommodationFee'),
  taxes: z.number(),
  cleaning: z.number(),
  channelFees: z.number().describe('what the channels kept'),
  managementCommission: z.number(),
  ownerPayout: z.number(),
  cancellationPayout: z.number(),
});
/** Hostaway's report columns under readable names. */
const relabel = (f: Record<FinanceFigure, number>): z.infer<typeof Figures> => ({
  accommodation: f.accommodationFee,
  taxes: f.totalTax,
  cleaning: f.cleaningFeeValue,
  channelFees: f.hostChannelFee,
  managementCommission: f.pmCommission,
  ownerPayout: f.ownerPayout,
  cancellationPayout: f.cancellationPayout,
});

export const financeReport = defineTool({
  name: 'hostaway_finance_report',
  title: 'Finance report',
  description:
    "What the portfolio earned over a date range, from Hostaway's finance report (POST /v1/finance/report/consolidated): accommodation, taxes, cleaning, channel fees, management commission, owner payout and cancellation payouts, in total and grouped by channel, listing, month or status. Dates are YYYY-MM-DD, at most 366 days, by arrival date unless dateType says otherwise. Without statuses, Hostaway's default set applies.",
  toolset: 'finance',
  input: z
    .object({
      from: DateArg.describe('first date, YYYY-MM-DD'),
      to: DateArg.describe('last date, YYYY-MM-DD (included)'),
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
    dateType: z.string(),
    currency: z.string().nullable(),
    reservations: z.number().int(),
    totals: Figures,
    groupBy: z.string(),
    groups: z.array(z.object({ key: z.string(), reservations: z.number().int() }).extend(Figures.shape)),
    note: z.string().nullable(),
  }),
  annotations: READ_ONLY,
  handler: async (args, ctx) => {
    checkRange('from', args.from, 'to', args.to, MAX_REPORT_DAYS - 1);
    const report = await ctx.client.finance.report(
      'consolidated',
      {
        fromDate: args.from,
        toDate: args.to,
        dateType: (
          { arrival: 'arrivalDate', departure: 'departureDate', booking: 'reservationDate' } as const
        )[args.dateType],
        listingMapIds: args.listingIds,
        channelIds: args.channels?.map((c) => CHANNEL_NAMES[c]),
        statuses: args.statuses,
      },
      ctx.signal,
    );
    const summary = summarizeReport(report, args.groupBy);
    return {
      from: args.from,
      to: args.to,
      dateType: args.dateType,
      currency: report.currency ?? null,
      reservations: summary.reservations,
      totals: relabel(summary.totals),
      groupBy: args.groupBy,
      groups: summary.groups.map((g) => ({
        key: g.key,
        reservations: g.reservations,
        ...relabel(g.figures),
      })),
      note: summary.missingColumns.length
        ? `Hostaway's report had no ${summary.missingColumns.join(', ')} column; those figures show 0`
        : null,
    };
  },
  render: (o) =>
    `${o.from}..${o.to} by ${o.dateType} date: ${o.reservations} reservations, ${o.currency ?? ''} totals ${JSON.stringify(o.totals)}${o.note ? `\nnote: ${o.note}` : ''}${o.groups.length ? `\nby ${o.groupBy}:\n${table(o.groups)}` : ''}`,
});
