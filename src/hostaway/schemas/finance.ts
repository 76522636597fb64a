import * as z from 'zod';
import { str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Finance reports (_financialReporting_*.md): `POST /v1/finance/report/{kind}`

export const FINANCE_REPORT_KINDS = ['standard', 'listingFinancials', 'consolidated', 'calculated'] as const;
export type FinanceReportKind = (typeof FINANCE_REPORT_KINDS)[number];
/** The docs show JSON output only for these two; `standard` and `calculated` are CSV. */
export const JSON_FINANCE_REPORTS: ReadonlySet<FinanceReportKind> = new Set([
  'listingFinancials',
  'consolidated',
]);
export const FINANCE_DATE_TYPES = ['arrivalDate', 'departureDate', 'reservationDate'] as const;

export const FinanceReportColumn = z.looseObject({
  name: z.string(),
  title: z.string(),
  valueType: z.string(),
});
export const FinanceCell = z.union([z.string(), z.number(), z.null()]);
export const FinanceReport = z.looseObject({
  columns: z.array(FinanceReportColumn),
  rows: z.array(z.array(FinanceCell)),
  totals: z.array(FinanceCell).nullish(),
  currency: str,
});
export type FinanceReport = z.infer<typeof FinanceReport>;
