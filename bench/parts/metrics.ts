/**
 * 10. Portfolio metrics: what a quarter's metrics on the 25 seeded listings ask of Hostaway, cold (a new
 * server: token, listings, stays, finance report, calendars) and warm (the same question again, and
 * another grouping of it), from the sandbox's request log; the least time those requests take at
 * Hostaway's limits; and the answer's size against the raw JSON of the requests it made. The gaps
 * finder's cost beside it.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv } from '../lib/servers.js';
import { describeRequests, leastTimeMs, recordingProxy, requestsSince } from '../lib/upstream.js';

const QUARTER = { from: '2026-08-01', to: '2026-10-31' };
/** Hostaway's limits: 15 requests per IP and 20 per account in any 10 s. */
const atHostawayLimits = (log: Array<{ accountId: number | null }>) =>
  leastTimeMs([
    { requests: log.length, limit: 15, windowMs: 10_000 },
    { requests: log.filter((e) => e.accountId !== null).length, limit: 20, windowMs: 10_000 },
  ]);

export async function metrics(sandbox: Sandbox): Promise<void> {
  process.stderr.write('10. portfolio metrics\n');
  const proxy = await recordingProxy(sandbox);
  /** The server the warm cases ask again; a cold case replaces it. */
  let current: Awaited<ReturnType<typeof inMemoryServer>> | undefined;
  const run = async (label: string, name: string, args: Record<string, unknown>, fresh: boolean) => {
    const server = fresh
      ? await inMemoryServer(liveEnv(sandbox, { HOSTAWAY_BASE_URL: proxy.url }))
      : undefined;
    const { client } = server ?? (current as NonNullable<typeof current>);
    const mark = sandbox.requests.lastSeq;
    proxy.clear();
    const started = performance.now();
    const r = await client.callTool({ name, arguments: args });
    const ms = performance.now() - started;
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
    const log = requestsSince(sandbox, mark);
    const rawBytes = proxy.seen.reduce((n, q) => n + q.bytes, 0);
    const text = (r.content as Array<{ text: string }>).map((c) => c.text).join('');
    if (server) {
      await current?.client.close();
      await current?.runtime.close();
      current = server;
    }
    return {
      label,
      upstream: log.length,
      requests: describeRequests(log),
      leastMsAtHostawayLimits: atHostawayLimits(log),
      ms,
      rawBytes,
      textBytes: Buffer.byteLength(text),
      structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent)),
    };
  };
  const quarter = { ...QUARTER, groupBy: 'listing' };
  const cases = [
    await run('cold: a new server, by listing', 'hostaway_portfolio_metrics', quarter, true),
    await run('warm: the same question again', 'hostaway_portfolio_metrics', quarter, false),
    await run(
      'warm: the same quarter by channel',
      'hostaway_portfolio_metrics',
      { ...QUARTER, groupBy: 'channel' },
      false,
    ),
    await run(
      'cold, blocks not read (approximate)',
      'hostaway_portfolio_metrics',
      { ...quarter, nightsAvailable: 'approximate' },
      true,
    ),
    await run(
      'cold, no comparison and no pace',
      'hostaway_portfolio_metrics',
      { ...quarter, compare: false, paceMonths: 0 },
      true,
    ),
    await run('find gaps, 25 listings, 30 days, cold', 'hostaway_find_gaps', {}, true),
  ];
  await current?.client.close();
  await current?.runtime.close();
  await proxy.close();

  results.metrics = { quarter: QUARTER, listings: 25, cases };
  for (const c of cases) {
    report(
      `metrics: ${c.label}`,
      `${c.upstream} upstream (${c.requests || 'none'}); ${(c.leastMsAtHostawayLimits / 1000).toFixed(0)} s at least at Hostaway's limits; ${c.ms.toFixed(0)} ms here`,
      '',
    );
    if (c.rawBytes > 0)
      report(
        `  its answer against the raw JSON it read`,
        `${(c.textBytes / 1024).toFixed(1)} KB text (${((c.textBytes / c.rawBytes) * 100).toFixed(2)} %), ${(c.structuredBytes / 1024).toFixed(1)} KB structured (${((c.structuredBytes / c.rawBytes) * 100).toFixed(2)} %) of ${(c.rawBytes / 1024).toFixed(0)} KB raw`,
        '',
      );
  }
}
