import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { mintToken } from '../helpers/sandbox.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Figures = Record<string, number>;
type Answer = {
  from: string;
  to: string;
  timeZone: string;
  dateType: string;
  currency: string | null;
  reservations: number;
  byStatus: Record<string, number>;
  stays: Figures;
  cancelled: Figures;
  groupBy: string;
  groups: Array<{ key: string } & Figures>;
  complete: boolean;
  note: string | null;
};
type RawRow = Array<string | number>;

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
    const cell = (row: RawRow, name: string) => row[col(name)] as number;
    const sum = (rows: RawRow[], f: (row: RawRow) => number) => rows.reduce((t, row) => t + f(row), 0);
    // What each part means, worked out here from Hostaway's own columns.
    const parts = (rows: RawRow[]) => {
      const kept = rows.filter((r) => r[col('status')] !== 'cancelled');
      const gone = rows.filter((r) => r[col('status')] === 'cancelled');
      return {
        stays: {
          count: kept.length,
          rent: sum(kept, (r) => cell(r, 'accommodationFee') - cell(r, 'cleaningFeeValue')),
          cleaning: sum(kept, (r) => cell(r, 'cleaningFeeValue')),
          taxes: sum(kept, (r) => cell(r, 'totalTax')),
          guestTotal: sum(kept, (r) => cell(r, 'accommodationFee') + cell(r, 'totalTax')),
          channelFees: sum(kept, (r) => cell(r, 'hostChannelFee')),
          managementCommission: sum(kept, (r) => cell(r, 'pmCommission')),
          ownerPayout: sum(kept, (r) => cell(r, 'ownerPayout')),
        },
        cancelled: {
          count: gone.length,
          payout: sum(gone, (r) => cell(r, 'cancellationPayout')),
          managementCommission: sum(gone, (r) => cell(r, 'pmCommission')),
          ownerPayout: sum(gone, (r) => cell(r, 'ownerPayout')),
        },
      };
    };
    const groups = (key: (row: RawRow) => string) => {
      const by = new Map<string, RawRow[]>();
      for (const row of result.rows) by.set(key(row), [...(by.get(key(row)) ?? []), row]);
      return new Map(
        [...by].map(([k, rows]) => {
          const { stays, cancelled } = parts(rows);
          const { count, ...money } = stays;
          return [
            k,
            { ...money, stays: count, cancelled: cancelled.count, cancellationPayout: cancelled.payout },
          ];
        }),
      );
    };
    return { rows: result.rows, col, totals: parts(result.rows), groups };
  };
  const expectFigures = (actual: Figures, expected: Figures, label: string) => {
    for (const [k, v] of Object.entries(expected)) expect(actual[k], `${label} ${k}`).toBeCloseTo(v, 2);
  };
  const expectTotals = (out: Answer, expected: { stays: Figures; cancelled: Figures }, label: string) => {
    expectFigures(out.stays, expected.stays, `${label} stays`);
    expectFigures(out.cancelled, expected.cancelled, `${label} cancelled`);
  };
  const expectGroups = (out: Answer, expected: Map<string, Figures>) => {
    expect(expected.size).toBeGreaterThan(1);
    expect(out.groups.map((g) => g.key).sort()).toEqual([...expected.keys()].sort());
    for (const { key, ...figures } of out.groups) expectFigures(figures, expected.get(key)!, key);
    const rent = out.groups.map((g) => g.rent as number);
    expect(rent).toEqual([...rent].sort((a, b) => b - a));
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
      expectTotals(out, raw.totals, 'totals');
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
      expectTotals(out, raw.totals, JSON.stringify(args));
      expect(out.dateType).toBe((args.dateType as string | undefined) ?? 'arrival');
      expect(out.groups).toEqual([]);
      counts.add(out.reservations);
    }
    // The cases select different stays, so none of them can pass by ignoring its argument.
    expect(counts.size).toBeGreaterThan(4);
  });

  it('the text gives the range, the counts, the parts as sums, and the groups', async () => {
    const { text, out } = await callRaw({ from: '2026-10-01', to: '2026-10-31' });
    expect(out.groupBy).toBe('channel');
    expect(out.note).toBeNull();
    expect(out.complete).toBe(true);
    const s = out.stays;
    const c = out.cancelled;
    const lines = text.split('\n');
    const statuses = Object.entries(out.byStatus)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    expect(lines[0]).toBe(
      `2026-10-01..2026-10-31 by arrival date (${out.timeZone}): ${out.reservations} reservations (${statuses})`,
    );
    expect(lines[1]).toBe(
      `stays (${s.count}): guests paid ${s.guestTotal} USD = rent ${s.rent} + cleaning ${s.cleaning} + taxes ${s.taxes}`,
    );
    expect(lines[2]).toBe(
      `rent + cleaning ${Math.round(((s.rent as number) + (s.cleaning as number)) * 100) / 100} USD = channel fees ${s.channelFees} + management commission ${s.managementCommission} + owner payout ${s.ownerPayout}`,
    );
    expect(lines[3]).toBe(
      `cancelled (${c.count}): payout ${c.payout} USD = management commission ${c.managementCommission} + owner payout ${c.ownerPayout}`,
    );
    expect(lines[4]).toBe('by channel:');
    expect(lines[5]).toBe(
      'key\tstays\trent\tcleaning\ttaxes\tguestTotal\tchannelFees\tmanagementCommission\townerPayout\tcancelled\tcancellationPayout',
    );
    expect(lines.slice(6).map((l) => l.split('\t')[0])).toEqual(out.groups.map((g) => g.key));
    expect(lines.slice(6).map((l) => Number(l.split('\t')[1]))).toEqual(out.groups.map((g) => g.stays));

    const none = await callRaw({
      from: '2026-10-01',
      to: '2026-10-31',
      groupBy: 'none',
      dateType: 'booking',
    });
    expect(none.text.split('\n')).toHaveLength(4);
    expect(none.text.split('\n')[0]).toMatch(
      /^2026-10-01\.\.2026-10-31 by booking date \(America\/[A-Za-z_]+\): \d+ reservations/,
    );
  });

  it('the range is at most 366 days, both ends included, and in order', async () => {
    const longest = await callRaw({ from: '2026-01-01', to: '2027-01-01', groupBy: 'none' });
    expect(longest.isError).toBe(false);
    const tooLong = await callRaw({ from: '2026-01-01', to: '2027-01-02' });
    expect(tooLong.isError).toBe(true);
    expect(tooLong.text).toBe(
      'from to to covers 367 days, both included; at most 366 are allowed. Ask for a shorter range, for example 2026-01-01 to 2027-01-01.',
    );
    const reversed = await callRaw({ from: '2026-10-31', to: '2026-10-01' });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toBe('from (2026-10-31) is after to (2026-10-01): swap them.');
  });
});
