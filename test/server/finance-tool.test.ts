import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Figures = Record<string, number>;
type Answer = {
  from: string;
  to: string;
  dateType: string;
  currency: string | null;
  reservations: number;
  totals: Figures;
  groupBy: string;
  groups: Array<{ key: string; reservations: number } & Figures>;
  note: string | null;
};
type RawRow = Array<string | number>;

/** The tool's names for Hostaway's consolidated columns. */
const COLUMN_OF: Record<string, string> = {
  accommodation: 'accommodationFee',
  taxes: 'totalTax',
  cleaning: 'cleaningFeeValue',
  channelFees: 'hostChannelFee',
  managementCommission: 'pmCommission',
  ownerPayout: 'ownerPayout',
  cancellationPayout: 'cancellationPayout',
};

describe('hostaway_finance_report', () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let token: string;
  const callRaw = async (args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_finance_report', arguments: args });
    return {
      isError: Boolean(r.isError),
      text: (r.content as Array<{ text: string }>)[0]!.text,
      out: r.structuredContent as Answer,
    };
  };
  const call = async (args: Record<string, unknown>) => {
    const r = await callRaw(args);
    if (r.isError) throw new Error(r.text);
    return r.out;
  };
  /** The sandbox's own consolidated report over HTTP, read without the server's client. */
  const rawReport = async (fields: Record<string, string | string[]>) => {
    const fd = new FormData();
    fd.append('format', 'json');
    for (const [k, v] of Object.entries(fields)) {
      if (!Array.isArray(v)) fd.append(k, v);
      else for (const [i, x] of v.entries()) fd.append(`${k}[${i}]`, x);
    }
    const res = await fetch(`${runtime.sandbox!.url}/finance/report/consolidated`, {
      method: 'POST',
      body: fd,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { columns: Array<{ name: string }>; rows: RawRow[] } };
    const col = (name: string) => result.columns.findIndex((c) => c.name === name);
    const figures = (rows: RawRow[]): Figures =>
      Object.fromEntries(
        Object.entries(COLUMN_OF).map(([mine, theirs]) => [
          mine,
          rows.reduce((s, row) => s + (row[col(theirs)] as number), 0),
        ]),
      );
    const groups = (key: (row: RawRow) => string) => {
      const by = new Map<string, RawRow[]>();
      for (const row of result.rows) by.set(key(row), [...(by.get(key(row)) ?? []), row]);
      return new Map([...by].map(([k, rows]) => [k, { reservations: rows.length, figures: figures(rows) }]));
    };
    return { rows: result.rows, col, totals: figures(result.rows), groups };
  };
  const expectFigures = (actual: Figures, expected: Figures, label: string) => {
    expect(Object.keys(actual).sort(), label).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect(actual[k], `${label} ${k}`).toBeCloseTo(v, 1);
  };
  const expectGroups = (out: Answer, expected: Map<string, { reservations: number; figures: Figures }>) => {
    expect(expected.size).toBeGreaterThan(1);
    expect(out.groups.map((g) => g.key).sort()).toEqual([...expected.keys()].sort());
    for (const { key, reservations, ...figures } of out.groups) {
      expect(reservations, key).toBe(expected.get(key)!.reservations);
      expectFigures(figures, expected.get(key)!.figures, key);
    }
    const accommodation = out.groups.map((g) => g.accommodation as number);
    expect(accommodation).toEqual([...accommodation].sort((a, b) => b - a));
  };
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
    token = await mintToken(runtime.sandbox!);
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  it('groups by listing, month and status hold the sums of their own rows', async () => {
    const range = { from: '2026-08-01', to: '2026-10-31' };
    const raw = await rawReport({ fromDate: range.from, toDate: range.to });
    const month = await call({ ...range, groupBy: 'month' });
    expectGroups(
      month,
      raw.groups((row) => String(row[raw.col('arrivalDate')]).slice(0, 7)),
    );
    const listing = await call({ ...range, groupBy: 'listing' });
    expectGroups(
      listing,
      raw.groups((row) => String(row[raw.col('listingName')])),
    );
    const status = await call({ ...range, groupBy: 'status' });
    expectGroups(
      status,
      raw.groups((row) => String(row[raw.col('status')])),
    );
    for (const out of [month, listing, status]) {
      expect(out.reservations).toBe(raw.rows.length);
      expectFigures(out.totals, raw.totals, 'totals');
    }
  });

  it('by departure or booking date, and filtered by listing, channel or status, as Hostaway reports them', async () => {
    const range = { from: '2026-09-01', to: '2026-10-31' };
    const cases: Array<[Record<string, unknown>, Record<string, string | string[]>]> = [
      [{ dateType: 'departure' }, { dateType: 'departureDate' }],
      [{ dateType: 'booking' }, { dateType: 'reservationDate' }],
      [{ dateType: 'arrival' }, { dateType: 'arrivalDate' }],
      [{ listingIds: [40160, 40163] }, { listingMapIds: ['40160', '40163'] }],
      [{ channels: ['airbnb', 'vrbo'] }, { channelIds: ['2018', '2002'] }],
      [{ statuses: ['cancelled', 'new'] }, { statuses: ['cancelled', 'new'] }],
    ];
    const counts = new Set<number>();
    for (const [args, fields] of cases) {
      const out = await call({ ...range, groupBy: 'none', ...args });
      const raw = await rawReport({ fromDate: range.from, toDate: range.to, ...fields });
      expect(raw.rows.length, JSON.stringify(args)).toBeGreaterThan(0);
      expect(out.reservations, JSON.stringify(args)).toBe(raw.rows.length);
      expectFigures(out.totals, raw.totals, JSON.stringify(args));
      expect(out.dateType).toBe((args.dateType as string | undefined) ?? 'arrival');
      expect(out.groups).toEqual([]);
      counts.add(out.reservations);
    }
    // The cases select different stays, so none of them can pass by ignoring its argument.
    expect(counts.size).toBeGreaterThan(4);
  });

  it('the text gives the range, the count, the totals and the groups', async () => {
    const { text, out } = await callRaw({ from: '2026-10-01', to: '2026-10-31' });
    expect(out.groupBy).toBe('channel');
    expect(out.note).toBeNull();
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `2026-10-01..2026-10-31 by arrival date: ${out.reservations} reservations, USD totals ${JSON.stringify(out.totals)}`,
    );
    expect(lines[1]).toBe('by channel:');
    expect(lines[2]).toBe(
      'key\treservations\taccommodation\ttaxes\tcleaning\tchannelFees\tmanagementCommission\townerPayout\tcancellationPayout',
    );
    expect(lines.slice(3).map((l) => l.split('\t')[0])).toEqual(out.groups.map((g) => g.key));
    expect(lines.slice(3).map((l) => Number(l.split('\t')[1]))).toEqual(
      out.groups.map((g) => g.reservations),
    );

    const none = await callRaw({
      from: '2026-10-01',
      to: '2026-10-31',
      groupBy: 'none',
      dateType: 'booking',
    });
    expect(none.text).toBe(
      `2026-10-01..2026-10-31 by booking date: ${none.out.reservations} reservations, USD totals ${JSON.stringify(none.out.totals)}`,
    );
  });

  it('the range is at most 366 days, both ends included, and in order', async () => {
    const longest = await callRaw({ from: '2026-01-01', to: '2027-01-01', groupBy: 'none' });
    expect(longest.isError).toBe(false);
    const tooLong = await callRaw({ from: '2026-01-01', to: '2027-01-02' });
    expect(tooLong.isError).toBe(true);
    expect(tooLong.text).toBe(
      'from to to spans 366 days; at most 365 are allowed. Ask for a shorter range, for example 2026-01-01 to 2027-01-01.',
    );
    const reversed = await callRaw({ from: '2026-10-31', to: '2026-10-01' });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toBe('from (2026-10-31) is after to (2026-10-01): swap them.');
  });
});
