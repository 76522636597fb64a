/**
 * Portfolio figures worked out the plain way, for the metrics tool's tests: night by night over the
 * sandbox's own stays and calendar, with rent from the sandbox's consolidated report read over HTTP.
 * Nothing here uses the server's date helpers or metric functions.
 */
import type { Sandbox } from '../../src/sandbox/index.js';

const DAY = 86_400_000;
const SOLD = ['new', 'modified'];

/** Every date from `from` to `to`, both included. */
export function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const nightsOf = (arrival: string, departure: string) =>
  Math.round((Date.parse(departure) - Date.parse(arrival)) / DAY);

/** Rent (accommodation less cleaning) of confirmed stays arriving from..to, by id, from the sandbox itself. */
export async function rawRent(sandbox: Sandbox, token: string, from: string, to: string) {
  const fd = new FormData();
  for (const [k, v] of Object.entries({
    format: 'json',
    fromDate: from,
    toDate: to,
    dateType: 'arrivalDate',
  }))
    fd.append(k, v);
  fd.append('statuses[0]', 'new');
  fd.append('statuses[1]', 'modified');
  const res = await fetch(`${sandbox.url}/finance/report/consolidated`, {
    method: 'POST',
    body: fd,
    headers: { authorization: `Bearer ${token}` },
  });
  const { result } = (await res.json()) as {
    result: { columns: Array<{ name: string }>; rows: Array<Array<string | number>> };
  };
  const col = (n: string) => result.columns.findIndex((c) => c.name === n);
  return new Map(
    result.rows.map((r) => [
      Number(r[col('id')]),
      (r[col('accommodationFee')] as number) - (r[col('cleaningFeeValue')] as number),
    ]),
  );
}

export interface Expected {
  listingNights: number;
  blockedNights: number;
  ownerNights: number;
  nightsAvailable: number;
  nightsSold: number;
  revenue: number;
  bookings: number;
  bookingNights: number;
  leadDays: number[];
  cancellations: number;
}

/**
 * One listing over from..to: each night sold, an owner's, closed by the host (the calendar says
 * blocked), or on offer; the stays arriving. `rent` must hold every confirmed stay with a night there.
 */
export function expectedFor(
  sandbox: Sandbox,
  listingId: number,
  from: string,
  to: string,
  rent: ReadonlyMap<number, number>,
  options: { night?: (date: string) => boolean } = {},
): Expected {
  const store = sandbox.store();
  const stays = store.allReservations().filter((r) => r.listingMapId === listingId);
  const calendar = new Map(store.calendar(listingId, from, to, false).map((d) => [d.date, d.status]));
  const e: Expected = {
    listingNights: 0,
    blockedNights: 0,
    ownerNights: 0,
    nightsAvailable: 0,
    nightsSold: 0,
    revenue: 0,
    bookings: 0,
    bookingNights: 0,
    leadDays: [],
    cancellations: 0,
  };
  for (const date of datesFrom(from, to)) {
    if (options.night && !options.night(date)) continue;
    e.listingNights++;
    const on = stays.filter((r) => r.arrivalDate <= date && date < r.departureDate);
    const sold = on.find((r) => SOLD.includes(r.status));
    if (sold) {
      e.nightsSold++;
      const stayRent = rent.get(sold.id);
      if (stayRent === undefined) throw new Error(`no rent for stay ${sold.id}`);
      e.revenue += stayRent / nightsOf(sold.arrivalDate, sold.departureDate);
    } else if (on.some((r) => r.status === 'ownerStay')) e.ownerNights++;
    else if (calendar.get(date) === 'blocked') e.blockedNights++;
  }
  for (const r of stays) {
    if (r.arrivalDate < from || r.arrivalDate > to) continue;
    if (options.night && !options.night(r.arrivalDate)) continue;
    if (r.status === 'cancelled') e.cancellations++;
    if (!SOLD.includes(r.status)) continue;
    e.bookings++;
    e.bookingNights += nightsOf(r.arrivalDate, r.departureDate);
    e.leadDays.push(Math.max(0, nightsOf((r.reservationDate as string).slice(0, 10), r.arrivalDate)));
  }
  e.nightsAvailable = e.listingNights - e.blockedNights - e.ownerNights;
  return e;
}

/** The figures of several listings summed. */
export function sum(list: Expected[]): Expected {
  const out = expectedForNone();
  for (const e of list) {
    for (const k of Object.keys(out) as Array<keyof Expected>)
      if (k === 'leadDays') out.leadDays.push(...e.leadDays);
      else out[k] += e[k];
  }
  return out;
}

function expectedForNone(): Expected {
  return {
    listingNights: 0,
    blockedNights: 0,
    ownerNights: 0,
    nightsAvailable: 0,
    nightsSold: 0,
    revenue: 0,
    bookings: 0,
    bookingNights: 0,
    leadDays: [],
    cancellations: 0,
  };
}

type Answered = Record<string, number | null>;

/** The tool's answer for one period against the plain figures: every metric, rates to their rounding. */
export function compare(actual: Answered, e: Expected): Array<[string, unknown, unknown]> {
  const rate = (a: number, b: number, scale = 1) => (b > 0 ? (a / b) * scale : null);
  const lead = e.leadDays.length ? e.leadDays.reduce((a, b) => a + b, 0) / e.leadDays.length : null;
  const pairs: Array<[string, number | null, number | null, number]> = [
    ['listingNights', actual.listingNights ?? null, e.listingNights, 0],
    ['blockedNights', actual.blockedNights ?? null, e.blockedNights, 0],
    ['ownerNights', actual.ownerNights ?? null, e.ownerNights, 0],
    ['nightsAvailable', actual.nightsAvailable ?? null, e.nightsAvailable, 0],
    ['nightsSold', actual.nightsSold ?? null, e.nightsSold, 0],
    ['revenue', actual.revenue ?? null, e.revenue, 0.01],
    ['occupancyPercent', actual.occupancyPercent ?? null, rate(e.nightsSold, e.nightsAvailable, 100), 0.05],
    ['adr', actual.adr ?? null, rate(e.revenue, e.nightsSold), 0.01],
    ['revpar', actual.revpar ?? null, rate(e.revenue, e.nightsAvailable), 0.01],
    ['bookings', actual.bookings ?? null, e.bookings, 0],
    ['averageLengthOfStay', actual.averageLengthOfStay ?? null, rate(e.bookingNights, e.bookings), 0.005],
    ['averageLeadTimeDays', actual.averageLeadTimeDays ?? null, lead, 0.05],
    ['cancellations', actual.cancellations ?? null, e.cancellations, 0],
    [
      'cancellationRatePercent',
      actual.cancellationRatePercent ?? null,
      rate(e.cancellations, e.bookings + e.cancellations, 100),
      0.05,
    ],
  ];
  return pairs
    .filter(([, a, b, tolerance]) =>
      a === null || b === null ? a !== b : Math.abs(a - b) > tolerance + 1e-9,
    )
    .map(([name, a, b]) => [name, a, b]);
}
