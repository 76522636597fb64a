/**
 * Finance reports computed from the sandbox's own reservations, so that every figure can be checked
 * against the stays it comes from. Column names and titles follow the docs' JSON examples
 * (`_financialReporting_reportConsolidated.md`, `..._reportListingFinancials.md`); the CSV layouts of
 * `standard` and `calculated` follow their CSV examples.
 *
 * How the money is split (our definitions; the docs show the columns but not their formulas):
 *   baseRate            nightly prices of the stay
 *   cleaningFeeValue    the listing's cleaning fee; it is also totalGuestFees
 *   accommodationFee    baseRate + priceForExtraPerson + cleaningFeeValue
 *   totalTax            the reservation's taxAmount, split into cityTax and salesTax
 *   hostChannelFee      what the channel keeps (the reservation's channelCommissionAmount)
 *   pmCommission        20% of baseRate, the manager's share
 *   ownerPayout         accommodationFee - pmCommission - hostChannelFee
 *   subTotalPrice       accommodationFee + totalTax
 * A cancelled stay earns only its cancellation payout: half the base rate when the guest cancelled
 * within 14 days of arrival, nothing otherwise.
 */
import { daysBetween } from '../hostaway/dates.js';
import {
  FINANCE_DATE_TYPES,
  type FinanceReport,
  type FinanceReportKind,
  type Listing,
  type ReservationStatus,
} from '../hostaway/schemas.js';
import type { ReservationCore as Reservation } from './data/generate.js';
import { badRequest } from './http-error.js';
import { checkRange, type ParamReader } from './query.js';

export const PM_COMMISSION_RATE = 0.2;
/** Statuses a report covers when the request names none: the ones that carry money. */
export const DEFAULT_REPORT_STATUSES: readonly string[] = [
  'new',
  'modified',
  'cancelled',
] satisfies ReservationStatus[];

type ValueType = 'number' | 'string' | 'money';
type Column = {
  name: string;
  title: string;
  valueType: ValueType;
};

const MONEY_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['totalGuestFees', 'Total guest fees'],
  ['totalTax', 'Total tax'],
  ['accommodationFee', 'Accommodation fee'],
  ['pmCommission', 'PM Commission'],
  ['ownerPayout', 'Owner payout'],
  ['baseRate', 'Base rate'],
  ['priceForExtraPerson', 'Price for extra person'],
  ['cleaningFeeValue', 'Cleaning fee value'],
  ['cityTax', 'City / Tourism tax'],
  ['hotelTax', 'Hotel tax'],
  ['lodgingTax', 'Lodging tax'],
  ['roomTax', 'Room tax'],
  ['salesTax', 'Sales tax'],
  ['transientOccupancyTax', 'Transient occupancy tax'],
  ['vat', 'VAT / GST'],
  ['otherTaxes', 'Other taxes'],
  ['propertyRentTax', 'Property rent tax'],
  ['guestPerPersonPerNightTax', 'Guest per person per night tax'],
  ['guestStayTax', 'Guest stay tax'],
  ['guestNightlyTax', 'Guest nightly tax'],
  ['guestChannelFee', 'Guest channel fee'],
  ['hostChannelFee', 'Host channel fee'],
  ['monthlyDiscount', 'Monthly discount'],
  ['weeklyDiscount', 'Weekly discount'],
  ['damageDeposit', 'Damage deposit'],
  ['cancellationFee', 'Cancellation fee'],
  ['cancellationPayout', 'Cancellation payout'],
  ['cancellationHostFee', 'Cancellation host fee'],
  ['subTotalPrice', 'Sub total price'],
];
const money: Column[] = MONEY_COLUMNS.map(([name, title]) => ({ name, title, valueType: 'money' }));

const CONSOLIDATED_COLUMNS: Column[] = [
  { name: 'id', title: 'Reservation ID', valueType: 'number' },
  { name: 'channelName', title: 'Channel name', valueType: 'string' },
  { name: 'status', title: 'Reservation status', valueType: 'string' },
  { name: 'arrivalDate', title: 'Arrival date', valueType: 'string' },
  { name: 'departureDate', title: 'Departure date', valueType: 'string' },
  { name: 'listingName', title: 'Listing name', valueType: 'string' },
  ...money,
];
const LISTING_COLUMNS: Column[] = [
  { name: 'listingName', title: 'Listing name', valueType: 'string' },
  ...money,
];

export interface ReportRequest {
  kind: FinanceReportKind;
  format: 'csv' | 'json';
  listingMapIds?: number[];
  channelIds?: number[];
  statuses?: string[];
  fromDate?: string;
  toDate?: string;
  dateType: (typeof FINANCE_DATE_TYPES)[number];
  sortBy?: string;
  sortOrder: 'asc' | 'desc';
  delimiter: 'comma' | 'tab';
}

/** Reads and checks a report request; bad parameters are a 400 that says what to send instead. */
export function readReportRequest(kind: FinanceReportKind, q: ParamReader): ReportRequest {
  const jsonAllowed = kind === 'listingFinancials' || kind === 'consolidated';
  const format = q.oneOf('format', jsonAllowed ? (['csv', 'json'] as const) : (['csv'] as const));
  if (!format && kind !== 'standard')
    throw badRequest(`format is required: ${jsonAllowed ? 'csv or json' : 'csv'} (the ${kind} report)`);
  const fromDate = q.date('fromDate');
  const toDate = q.date('toDate');
  checkRange('fromDate', fromDate, 'toDate', toDate);
  const req: ReportRequest = {
    kind,
    format: format ?? 'csv',
    listingMapIds: q.intList('listingMapIds'),
    channelIds: q.intList('channelIds'),
    statuses: q.list('statuses'),
    fromDate,
    toDate,
    dateType: q.oneOf('dateType', FINANCE_DATE_TYPES) ?? 'arrivalDate',
    sortBy: q.string('sortBy'),
    sortOrder: q.oneOf('sortOrder', ['asc', 'desc'] as const, { ignoreCase: true }) ?? 'asc',
    delimiter: q.oneOf('delimiter', ['comma', 'tab'] as const) ?? 'comma',
  };
  const sortable = (kind === 'listingFinancials' ? LISTING_COLUMNS : CONSOLIDATED_COLUMNS).map((c) => c.name);
  sortable.push('reservationDate');
  if (req.sortBy && !sortable.includes(req.sortBy))
    throw badRequest(`sortBy must be one of: ${sortable.join(', ')}; got "${req.sortBy}"`);
  return req;
}

interface Figures {
  [column: string]: number;
}

/** The money of one reservation, column by column. */
export function reservationFigures(r: Reservation, arrivalCancelledWithin14Days: boolean): Figures {
  const f: Figures = Object.fromEntries(MONEY_COLUMNS.map(([name]) => [name, 0]));
  const cleaning = r.cleaningFee ?? 0;
  const tax = r.taxAmount ?? 0;
  const base = round2((r.totalPrice ?? 0) - cleaning - tax);
  if (r.status === 'cancelled') {
    const payout = r.cancelledBy === 'guest' && arrivalCancelledWithin14Days ? round2(base / 2) : 0;
    f.cancellationPayout = payout;
    f.accommodationFee = payout;
    f.pmCommission = round2(payout * PM_COMMISSION_RATE);
    f.ownerPayout = round2(payout - f.pmCommission);
    f.subTotalPrice = payout;
    return f;
  }
  f.baseRate = base;
  f.cleaningFeeValue = cleaning;
  f.totalGuestFees = cleaning;
  f.accommodationFee = round2(base + cleaning);
  f.totalTax = tax;
  f.cityTax = round2(tax / 2);
  f.salesTax = round2(tax - f.cityTax);
  f.hostChannelFee = r.channelCommissionAmount ?? 0;
  f.pmCommission = round2(base * PM_COMMISSION_RATE);
  f.ownerPayout = round2(f.accommodationFee - f.pmCommission - f.hostChannelFee);
  f.subTotalPrice = round2(f.accommodationFee + tax);
  return f;
}

interface Line {
  r: Reservation;
  listing: Listing;
  figures: Figures;
}

function selectLines(
  req: ReportRequest,
  reservations: readonly Reservation[],
  listings: Map<number, Listing>,
): Line[] {
  const statuses = req.statuses ?? DEFAULT_REPORT_STATUSES;
  const lines: Line[] = [];
  for (const r of reservations) {
    if (req.listingMapIds && !req.listingMapIds.includes(r.listingMapId)) continue;
    if (req.channelIds && !req.channelIds.includes(r.channelId)) continue;
    if (!statuses.includes(r.status)) continue;
    const date = (req.dateType === 'reservationDate' ? (r.reservationDate ?? '') : r[req.dateType]).slice(
      0,
      10,
    );
    if (req.fromDate && date < req.fromDate) continue;
    if (req.toDate && date > req.toDate) continue;
    const listing = listings.get(r.listingMapId);
    if (!listing) continue;
    const lateCancel = r.cancellationDate
      ? daysBetween(r.cancellationDate.slice(0, 10), r.arrivalDate) <= 14
      : false;
    lines.push({ r, listing, figures: reservationFigures(r, lateCancel) });
  }
  return lines;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const label = (l: Listing) => `(${l.id}) ${l.name}`;
/** The cells that open a per-stay row: id, channel, status, arrival, departure, listing. */
const stayCells = (x: Line): Array<string | number> => [
  x.r.id,
  x.r.channelName,
  x.r.status,
  x.r.arrivalDate,
  x.r.departureDate,
  label(x.listing),
];

export function buildReport(
  req: ReportRequest,
  reservations: readonly Reservation[],
  listings: readonly Listing[],
): { json?: FinanceReport; csv?: string } {
  const byId = new Map(listings.map((l) => [l.id, l]));
  const lines = selectLines(req, reservations, byId);
  const currency = listings[0]?.currencyCode ?? 'USD';
  const dir = req.sortOrder === 'desc' ? -1 : 1;
  const sortValue = (line: Line): string | number => {
    const key = req.sortBy ?? 'arrivalDate';
    if (key in line.figures) return line.figures[key] as number;
    if (key === 'listingName') return label(line.listing);
    const v = (line.r as Record<string, unknown>)[key];
    return typeof v === 'number' || typeof v === 'string' ? v : '';
  };
  lines.sort((a, b) => {
    const ka = sortValue(a);
    const kb = sortValue(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.r.id - b.r.id) * dir;
  });

  if (req.kind === 'consolidated') {
    const rows = lines.map((x) => [
      ...stayCells(x),
      ...MONEY_COLUMNS.map(([name]) => x.figures[name] as number),
    ]);
    return render(req, CONSOLIDATED_COLUMNS, rows, currency);
  }
  if (req.kind === 'listingFinancials') {
    const perListing = new Map<number, Figures>();
    for (const x of lines) {
      const sum = perListing.get(x.listing.id) ?? Object.fromEntries(MONEY_COLUMNS.map(([n]) => [n, 0]));
      for (const [name] of MONEY_COLUMNS)
        sum[name] = round2((sum[name] as number) + (x.figures[name] as number));
      perListing.set(x.listing.id, sum);
    }
    let rows = [...perListing.entries()].map(([id, f]) => [
      label(byId.get(id) as Listing),
      ...MONEY_COLUMNS.map(([name]) => f[name] as number),
    ]);
    const col = LISTING_COLUMNS.findIndex((c) => c.name === (req.sortBy ?? 'listingName'));
    if (col >= 0) rows = rows.sort((a, b) => ((a[col] as never) < (b[col] as never) ? -1 : 1) * dir);
    return render(req, LISTING_COLUMNS, rows, currency);
  }
  if (req.kind === 'standard') {
    const header = [
      'Reservation ID',
      'Channel',
      'Status',
      'Arrival',
      'Departure',
      'Listing',
      'Owner',
      'Description',
      'Amount',
    ];
    const parts: ReadonlyArray<readonly [string, string]> = [
      ['baseRate', 'Base rate'],
      ['cleaningFeeValue', 'Cleaning fee'],
      ['totalTax', 'Total tax'],
      ['hostChannelFee', 'Host channel fee'],
      ['pmCommission', 'PM commission'],
      ['cancellationPayout', 'Cancellation payout'],
    ];
    const rows = lines.flatMap((x) =>
      parts.map(([name, title]) => [...stayCells(x), owner(x.listing), title, x.figures[name] as number]),
    );
    return { csv: toCsv([header, ...rows], req.delimiter) };
  }
  // calculated: each computed figure with the formula that produced it.
  const header = [
    'Reservation ID',
    'Guest',
    'Channel',
    'Status',
    'Booked',
    'Arrival',
    'Departure',
    'Listing',
    'Owner',
    'Description',
    'Formula',
    'Formula values',
    'Amount',
  ];
  const formulas: ReadonlyArray<readonly [string, string[]]> = [
    ['totalTax', ['cityTax', 'salesTax']],
    ['totalGuestFees', ['cleaningFeeValue']],
    ['accommodationFee', ['baseRate', 'priceForExtraPerson', 'cleaningFeeValue']],
    ['subTotalPrice', ['accommodationFee', 'totalTax']],
  ];
  const rows = lines.flatMap((x) =>
    formulas.map(([name, terms]) => [
      x.r.id,
      x.r.guestName ?? '',
      x.r.channelName,
      x.r.status,
      x.r.reservationDate ?? '',
      x.r.arrivalDate,
      x.r.departureDate,
      label(x.listing),
      owner(x.listing),
      name,
      terms.join(' + '),
      terms.map((t) => x.figures[t]).join(' + '),
      x.figures[name] as number,
    ]),
  );
  return { csv: toCsv([header, ...rows], req.delimiter) };
}

function owner(l: Listing): string {
  return (l.contactName ?? '').toLowerCase();
}

function render(
  req: ReportRequest,
  columns: Column[],
  rows: Array<Array<string | number>>,
  currency: string,
): { json?: FinanceReport; csv?: string } {
  const totals = columns.map((c, i) =>
    i === 0
      ? 'Totals'
      : c.valueType === 'money'
        ? round2(rows.reduce((s, row) => s + (row[i] as number), 0))
        : null,
  );
  if (req.format === 'json') return { json: { columns, rows, totals, currency } };
  return {
    csv: toCsv([columns.map((c) => c.title), ...rows, totals.map((t) => t ?? '')], req.delimiter),
  };
}

/** CSV as the docs' examples write it: text quoted when it has spaces, quotes or the delimiter. */
function toCsv(rows: Array<Array<string | number | null>>, delimiter: 'comma' | 'tab'): string {
  const sep = delimiter === 'tab' ? '\t' : ',';
  const cell = (v: string | number | null) =>
    typeof v === 'number'
      ? String(v)
      : /[\s",]/.test(v ?? '')
        ? `"${(v ?? '').replaceAll('"', '""')}"`
        : (v ?? '');
  return `${rows.map((row) => row.map(cell).join(sep)).join('\n')}\n`;
}
