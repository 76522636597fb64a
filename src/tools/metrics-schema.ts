/** The output of hostaway_portfolio_metrics, each metric defined where a client reads it. */
import * as z from 'zod';

/** Each metric, defined once: where the answer first shows it (total.current). */
const METRICS = {
  listingNights: z.number().int().describe('days in the period, summed over the listings'),
  blockedNights: z
    .number()
    .int()
    .nullable()
    .describe('nights the host closed on the calendar (no stay on them); null when calendars were not read'),
  ownerNights: z.number().int().describe('nights held by owner stays'),
  nightsAvailable: z
    .number()
    .int()
    .describe('= listingNights - blockedNights - ownerNights: the nights that could be sold'),
  nightsSold: z
    .number()
    .int()
    .describe(
      "nights of confirmed guest stays (new, modified) inside the period; a stay crossing the period's ends counts only its nights inside",
    ),
  occupancyPercent: z
    .number()
    .nullable()
    .describe('= nightsSold / nightsAvailable x 100; null when none available'),
  revenue: z
    .number()
    .describe(
      "rent of the nights sold: the finance report's accommodation less cleaning (what hostaway_finance_report calls rent), each stay's spread evenly over its nights, so a stay crossing the period's ends brings only its nights inside; owner stays earn none; no taxes or cleaning",
    ),
  adr: z.number().nullable().describe('average daily rate = revenue / nightsSold'),
  revpar: z.number().nullable().describe('revenue per available night = revenue / nightsAvailable'),
  bookings: z.number().int().describe('confirmed guest stays arriving in the period (each counted once)'),
  averageLengthOfStay: z
    .number()
    .nullable()
    .describe('nights of the stays arriving (all their nights) / bookings'),
  averageLeadTimeDays: z
    .number()
    .nullable()
    .describe('average days from the booking date (UTC) to the arrival date, of the stays arriving'),
  cancellations: z.number().int().describe('cancelled stays that were to arrive in the period'),
  cancellationRatePercent: z
    .number()
    .nullable()
    .describe('= cancellations / (bookings + cancellations) x 100'),
};

/** The same fields without their definitions (they are on total.current), to keep the schema short. */
const bare = <T extends Record<string, z.ZodType>>(shape: T) =>
  Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [k, v.meta({ description: undefined })]),
  ) as unknown as T;

export const MetricsOut = z.object(METRICS).describe('the period asked for; each metric defined here');
const Metrics = z.object(bare(METRICS)).describe('the fields of total.current');
const BRIEF = (({ nightsAvailable, nightsSold, occupancyPercent, revenue, adr, revpar, bookings }) => ({
  nightsAvailable,
  nightsSold,
  occupancyPercent,
  revenue,
  adr,
  revpar,
  bookings,
}))(bare(METRICS));
const Brief = z.object(BRIEF).describe('the main fields of total.current');

const CHANGE = {
  occupancyPoints: z.number().nullable().describe('occupancy now minus then, in percentage points'),
  nightsSoldPercent: z.number().nullable(),
  revenuePercent: z.number().nullable(),
  adrPercent: z.number().nullable(),
  revparPercent: z.number().nullable(),
};
export const ChangeOut = z
  .object(CHANGE)
  .describe('change from the period just before, in percent of it (null when it had none)');
const ChangeYear = z.object(bare(CHANGE)).describe('the same, from the year-earlier period');

const SpanOut = z.object({ from: z.string(), to: z.string() });

export const PortfolioMetricsOut = z.object({
  periods: z
    .array(
      z.object({
        timeZones: z.array(z.string()),
        today: z.string(),
        current: SpanOut,
        previous: SpanOut.nullable().describe('the same number of days just before'),
        yearAgo: SpanOut.nullable().describe('the same dates a year earlier'),
      }),
    )
    .describe("the dates each listing's zone reads the period as (one entry unless relative dates differ)"),
  listings: z.number().int().describe('listings counted'),
  currency: z.string().nullable(),
  groupBy: z.string(),
  total: z.object({
    current: MetricsOut,
    previous: Metrics.nullable(),
    yearAgo: Metrics.nullable(),
    vsPrevious: ChangeOut.nullable(),
    vsYearAgo: ChangeYear.nullable(),
  }),
  groups: z
    .array(
      z.object({
        key: z.string().describe('listing name, channel or YYYY-MM'),
        listingId: z.number().int().nullable(),
        current: Metrics,
        previous: Brief.nullable().describe('null by month, or when the group had nothing then'),
        yearAgo: Brief.nullable().describe('by month: the same month a year earlier'),
      }),
    )
    .describe(
      "by listing (largest revenue first), channel (by channel the nights on offer are the whole portfolio's, so occupancy and RevPAR are the channel's share and add up to the total), or month (nights by the month they fall in, stays by arrival month)",
    ),
  pace: z
    .object({
      cutoff: z.string().describe('this moment a year ago (UTC): last year counts stays booked by then'),
      months: z.array(
        z.object({
          month: z.string().describe("YYYY-MM; the current month from each listing's today"),
          nights: z.number().int().describe('nights sold on the books now'),
          revenue: z.number(),
          lastYearNights: z.number().int().describe('the same dates a year ago, stays booked by the cutoff'),
          lastYearRevenue: z.number(),
          lastYearFinalNights: z.number().int().describe('what the same dates a year ago ended with'),
          lastYearFinalRevenue: z.number(),
        }),
      ),
    })
    .nullable()
    .describe(
      'on the books for the coming months against the same point last year, from booking dates; stays cancelled or moved since are not in last year (Hostaway keeps no snapshots)',
    ),
  nightsAvailableFrom: z
    .enum(['calendar', 'approximate'])
    .describe(
      'calendar: blocked days read from each listing calendar (one request per listing); approximate: blocks not read, nights available = days - owner nights',
    ),
  calendarsRead: z.number().int(),
  complete: z.boolean().describe('false when stays or their rent could not all be read, or groups were cut'),
  notes: z.array(z.string()),
});
export type PortfolioMetricsOut = z.infer<typeof PortfolioMetricsOut>;
