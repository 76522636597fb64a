import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FinanceReport, itemEnvelope, Reservation } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, json, parseList, startHarness } from '../helpers/sandbox.js';

const report = (kind: string, fields: Record<string, string | string[]>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (!Array.isArray(v)) fd.append(k, v);
    else for (const [i, x] of v.entries()) fd.append(`${k}[${i}]`, x);
  }
  return { path: `/finance/report/${kind}`, init: { method: 'POST', body: fd } as RequestInit };
};

describe('finance reports (_financialReporting_report*.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const jsonReport = async (kind: string, fields: Record<string, string | string[]>) => {
    const { path, init } = report(kind, { format: 'json', ...fields });
    const res = await h.api(path, init);
    expect(res.status).toBe(200);
    return itemEnvelope(FinanceReport).parse(await res.json()).result;
  };

  it('consolidated: one row per reservation with the documented columns, and totals that add up', async () => {
    const r = await jsonReport('consolidated', { fromDate: '2026-10-01', toDate: '2026-10-31' });
    expect(r.columns.slice(0, 6).map((c) => c.name)).toEqual([
      'id',
      'channelName',
      'status',
      'arrivalDate',
      'departureDate',
      'listingName',
    ]);
    expect(r.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'accommodationFee',
        'ownerPayout',
        'pmCommission',
        'totalTax',
        'hostChannelFee',
      ]),
    );
    expect(r.currency).toBe('USD');
    const col = (name: string) => r.columns.findIndex((c) => c.name === name);
    for (const name of ['accommodationFee', 'ownerPayout', 'totalTax']) {
      const sum = r.rows.reduce((s, row) => s + (row[col(name)] as number), 0);
      expect(r.totals?.[col(name)]).toBeCloseTo(sum, 1);
    }
    // The rows are the October arrivals that carry money.
    const october = parseList(
      Reservation,
      await h.get('/reservations?arrivalStartDate=2026-10-01&arrivalEndDate=2026-10-31&limit=10000'),
    ).result.filter((x) => ['new', 'modified', 'cancelled'].includes(x.status));
    expect(new Set(r.rows.map((row) => row[0]))).toEqual(new Set(october.map((x) => x.id)));
    for (const row of r.rows.slice(0, 50)) {
      const res = october.find((x) => x.id === row[0])!;
      if (res.status === 'cancelled') continue;
      expect(row[col('accommodationFee')]).toBeCloseTo((res.totalPrice ?? 0) - (res.taxAmount ?? 0), 2);
      expect(row[col('totalTax')]).toBeCloseTo(res.taxAmount ?? 0, 2);
      expect(row[col('hostChannelFee')]).toBeCloseTo(res.channelCommissionAmount ?? 0, 2);
    }
  });

  it('consolidated filters by listing, channel and status, and by another date type', async () => {
    const all = await jsonReport('consolidated', { fromDate: '2026-09-01', toDate: '2026-10-31' });
    const listingName = all.rows[0]![5] as string;
    const listingId = Number(/^\((\d+)\)/.exec(listingName)![1]);
    const one = await jsonReport('consolidated', {
      fromDate: '2026-09-01',
      toDate: '2026-10-31',
      listingMapIds: [String(listingId)],
    });
    expect(one.rows.every((row) => row[5] === listingName)).toBe(true);
    const airbnb = await jsonReport('consolidated', {
      fromDate: '2026-09-01',
      toDate: '2026-10-31',
      channelIds: ['2018'],
    });
    expect(airbnb.rows.every((row) => row[1] === 'airbnbOfficial')).toBe(true);
    const cancelled = await jsonReport('consolidated', {
      fromDate: '2026-01-01',
      toDate: '2026-10-31',
      statuses: ['cancelled'],
    });
    expect(cancelled.rows.length).toBeGreaterThan(0);
    expect(cancelled.rows.every((row) => row[2] === 'cancelled')).toBe(true);
    const byDeparture = await jsonReport('consolidated', {
      fromDate: '2026-10-01',
      toDate: '2026-10-31',
      dateType: 'departureDate',
    });
    expect(
      byDeparture.rows.every(
        (row) => (row[4] as string) >= '2026-10-01' && (row[4] as string) <= '2026-10-31',
      ),
    ).toBe(true);
  });

  it('listingFinancials: one row per listing whose sums equal the consolidated rows', async () => {
    const fields = { fromDate: '2026-08-01', toDate: '2026-08-31' };
    const perListing = await jsonReport('listingFinancials', fields);
    const perStay = await jsonReport('consolidated', fields);
    expect(perListing.columns[0]?.name).toBe('listingName');
    const ownerCol = perListing.columns.findIndex((c) => c.name === 'ownerPayout');
    const stayOwnerCol = perStay.columns.findIndex((c) => c.name === 'ownerPayout');
    expect(perListing.totals?.[ownerCol]).toBeCloseTo(perStay.totals?.[stayOwnerCol] as number, 1);
    expect(perListing.rows.length).toBe(new Set(perStay.rows.map((r) => r[5])).size);
  });

  it('standard and calculated answer CSV, comma or tab separated', async () => {
    const std = report('standard', { fromDate: '2026-10-01', toDate: '2026-10-03', delimiter: 'tab' });
    const res = await h.api(std.path, std.init);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe(
      '"Reservation ID"\tChannel\tStatus\tArrival\tDeparture\tListing\tOwner\tDescription\tAmount',
    );
    expect(lines.length).toBeGreaterThan(1);
    const calc = report('calculated', { format: 'csv', fromDate: '2026-10-01', toDate: '2026-10-03' });
    const text = await (await h.api(calc.path, calc.init)).text();
    expect(text.split('\n')[0]).toMatch(
      /^"Reservation ID",Guest,Channel,Status,Booked,Arrival,Departure,Listing,Owner,Description,Formula,"Formula values",Amount$/,
    );
    const consolidatedCsv = report('consolidated', {
      format: 'csv',
      fromDate: '2026-10-01',
      toDate: '2026-10-31',
    });
    const csv = (await (await h.api(consolidatedCsv.path, consolidatedCsv.init)).text()).trim().split('\n');
    expect(csv.at(-1)).toMatch(/^Totals,/);
  });

  it('accepts urlencoded and JSON bodies too', async () => {
    const url = await h.api('/finance/report/listingFinancials', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'format=json&fromDate=2026-10-01&toDate=2026-10-31&listingMapIds[]=40160',
    });
    expect(itemEnvelope(FinanceReport).parse(await url.json()).result.rows.length).toBeLessThanOrEqual(1);
    const body = await h.api('/finance/report/consolidated', {
      method: 'POST',
      ...json({ format: 'json', channelIds: [2005], fromDate: '2026-10-01' }),
    });
    expect(body.status).toBe(200);
  });

  it('rejects bad parameters with a 400 that says how to fix the call', async () => {
    const bad = async (kind: string, fields: Record<string, string>, message: RegExp) => {
      const { path, init } = report(kind, fields);
      await expectFail(await h.api(path, init), 400, message);
    };
    await bad('consolidated', { fromDate: '2026-10-01' }, /format is required: csv or json/);
    await bad('calculated', { format: 'json' }, /format must be one of: csv/);
    await bad(
      'consolidated',
      { format: 'json', fromDate: '2026-10-31', toDate: '2026-10-01' },
      /fromDate .* must not be after toDate/,
    );
    await bad('consolidated', { format: 'json', fromDate: '10/01/2026' }, /YYYY-MM-DD/);
    await bad('consolidated', { format: 'json', dateType: 'bookedOn' }, /dateType must be one of/);
    await bad('consolidated', { format: 'json', sortBy: 'color' }, /sortBy must be one of/);
    await bad('consolidated', { format: 'json', listingMapIds: 'abc' }, /listingMapIds must hold integers/);
    await expectFail(
      await h.api('/finance/report/monthly', { method: 'POST' }),
      404,
      /standard, listingFinancials/,
    );
    await expectFail(await h.api('/financialReports'), 404);
  });
});
