/**
 * 1. Per-call latency, each figure beside its floor measured in the same run, the kinds of call taking
 * turns (see `interleaved`) so that the machine's other load weighs on all of them alike:
 *
 * - stdio, decomposed: a `ping` round trip (the floor: process, pipe and JSON-RPC), a cached tool call,
 *   an uncached one (HOSTAWAY_CACHE=false, another server process), and the same Hostaway request made
 *   directly from here (the upstream floor). Ours = (cached − ping) + (uncached − cached − direct): the
 *   tool layer, then our client on the way to Hostaway and back.
 * - HTTP, one server process (cache on): `GET /health` (the floor: Node's HTTP and our routing), an MCP
 *   `ping` (2025-11-25; the 2026-07-28 era has no ping, its lightest request is `server/discover`), the
 *   cached tool call in both eras, and the same tool over REST.
 *
 * Every request is made by hand (bench/lib/mcp.ts), not through the SDK client, so that what is timed
 * is the server; the client's share (a fetch or a line on a pipe) is the same in a figure and its floor.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import { checkAnswer, ERAS, type Era, mcpHttpRequest, rawStdio } from '../lib/mcp.js';
import { report, results } from '../lib/report.js';
import { liveEnv, spawnHttp, token } from '../lib/servers.js';
import { interleaved, median, ms, pct } from '../lib/stats.js';

const TOOL = 'hostaway_get_listing';
const IDS = Array.from({ length: 25 }, (_, i) => 40160 + i);

export async function overhead(sandbox: Sandbox): Promise<void> {
  process.stderr.write('1. overhead\n');
  const bearer = await token(sandbox);
  let i = 0;
  const nextId = () => IDS[i++ % IDS.length] as number;

  const direct = () =>
    fetch(`${sandbox.url}/listings/${nextId()}`, { headers: { authorization: `Bearer ${bearer}` } }).then(
      (r) => r.text(),
    );
  const cachedStdio = await rawStdio(liveEnv(sandbox));
  const uncachedStdio = await rawStdio(liveEnv(sandbox, { HOSTAWAY_CACHE: 'false' }));
  // The server's default log level (info: a line per tool call), written to a file, not through this process.
  const http = await spawnHttp(liveEnv(sandbox, { LOG_LEVEL: 'info' }));

  // HTTP requests built once: one per listing and era, so that no call pays for building its own.
  const toolRequests = Object.fromEntries(
    ERAS.map((era) => [
      era,
      IDS.map((listingId) => mcpHttpRequest(era, 'tools/call', { name: TOOL, arguments: { listingId } })),
    ]),
  ) as Record<Era, Array<ReturnType<typeof mcpHttpRequest>>>;
  const ping = mcpHttpRequest('2025-11-25', 'ping');
  const discover = mcpHttpRequest('2026-07-28', 'server/discover');
  const post = (r: { headers: Record<string, string>; body: string }) =>
    fetch(http.url, { method: 'POST', headers: r.headers, body: r.body }).then(ok);
  const httpTool = (era: Era) => () =>
    post(toolRequests[era][i++ % IDS.length] as (typeof toolRequests)[Era][0]);
  const rest = () => fetch(`${http.origin}/api/v1/get_listing?listingId=${nextId()}`).then(ok);

  // One answer of each HTTP kind read in full: a tool error or a JSON-RPC error must fail the run, not
  // be timed as an answer.
  for (const era of ERAS) checkAnswer(await post(toolRequests[era][0] as (typeof toolRequests)[Era][0]));
  checkAnswer(await post(ping));
  checkAnswer(await post(discover));

  const kinds: Array<[string, () => Promise<unknown>]> = [
    ['direct', direct],
    ['stdioPing', () => cachedStdio.request('ping')],
    ['stdioCached', () => cachedStdio.callTool(TOOL, { listingId: nextId() })],
    ['stdioUncached', () => uncachedStdio.callTool(TOOL, { listingId: nextId() })],
    ['httpHealth', () => fetch(`${http.origin}/health`).then(ok)],
    ['httpPing', () => post(ping)],
    ['httpDiscover', () => post(discover)],
    ['http2025', httpTool('2025-11-25')],
    ['http2026', httpTool('2026-07-28')],
    ['rest', rest],
  ];
  const ROUNDS = 5;
  const PER_ROUND = 200;
  const t = await interleaved(kinds, { warmup: 200, rounds: ROUNDS, perRound: PER_ROUND });
  await cachedStdio.close();
  await uncachedStdio.close();
  await http.stop();

  const stat = (name: string) => {
    const xs = t[name] as number[];
    return { p50: median(xs), p95: pct(xs, 95), p99: pct(xs, 99) };
  };
  const s = Object.fromEntries(kinds.map(([name]) => [name, stat(name)])) as Record<
    string,
    ReturnType<typeof stat>
  >;
  const p50 = (name: string) => (s[name] as ReturnType<typeof stat>).p50;
  const toolLayer = p50('stdioCached') - p50('stdioPing');
  const upstreamPath = p50('stdioUncached') - p50('stdioCached') - p50('direct');
  const httpOurs = (era: Era) => p50(era === '2025-11-25' ? 'http2025' : 'http2026') - p50('httpHealth');
  results.overhead = {
    method:
      'kinds of call interleaved: 200 warm-up calls each, then 5 rounds of 200 calls of each kind in turn; requests made by hand (no SDK client); 25 listings in turn',
    callsPerKind: ROUNDS * PER_ROUND,
    ms: s,
    stdio: {
      toolLayerMs: toolLayer,
      upstreamPathMs: upstreamPath,
      oursMs: toolLayer + upstreamPath,
    },
    http: {
      pingOverHealthMs: p50('httpPing') - p50('httpHealth'),
      toolOverHealthMs: { '2025-11-25': httpOurs('2025-11-25'), '2026-07-28': httpOurs('2026-07-28') },
      toolOverPingMs: {
        '2025-11-25': p50('http2025') - p50('httpPing'),
        '2026-07-28': p50('http2026') - p50('httpPing'),
      },
      restOverHealthMs: p50('rest') - p50('httpHealth'),
    },
  };

  const both = (name: string) => `${ms(p50(name))} / ${ms((s[name] as ReturnType<typeof stat>).p95)}`;
  const over = (name: string, floor: string, label: string) =>
    `${label} ${ms(p50(floor))}: +${ms(p50(name) - p50(floor))} (x${(p50(name) / p50(floor)).toFixed(2)})`;
  report('direct GET /listings/{id} from the benchmark (the upstream floor), p50 / p95', both('direct'), '');
  report('stdio: ping round trip (the floor), p50 / p95', both('stdioPing'), '');
  report(
    'stdio: cached tool call, p50 / p95',
    both('stdioCached'),
    '',
    over('stdioCached', 'stdioPing', 'ping'),
  );
  report(
    'stdio: uncached tool call (HOSTAWAY_CACHE=false), p50 / p95',
    both('stdioUncached'),
    '',
    `cached + direct ${ms(p50('stdioCached') + p50('direct'))}: +${ms(upstreamPath)}`,
  );
  report(
    'stdio overhead that is ours, p50: (cached − ping) + (uncached − cached − direct)',
    `${ms(toolLayer)} + ${ms(upstreamPath)} = ${ms(toolLayer + upstreamPath)}`,
    '< 1 ms',
  );
  report('HTTP: GET /health (the floor), p50 / p95', both('httpHealth'), '');
  report(
    'HTTP: MCP ping (2025-11-25), p50 / p95',
    both('httpPing'),
    '',
    over('httpPing', 'httpHealth', '/health'),
  );
  report(
    'HTTP: server/discover (2026-07-28, its lightest request), p50 / p95',
    both('httpDiscover'),
    '',
    over('httpDiscover', 'httpHealth', '/health'),
  );
  for (const era of ERAS) {
    const name = era === '2025-11-25' ? 'http2025' : 'http2026';
    report(
      `HTTP: cached tool call, ${era}, p50 / p95`,
      both(name),
      '',
      `${over(name, 'httpHealth', '/health')}; ${over(name, 'httpPing', 'ping')}`,
    );
  }
  report('HTTP: the same tool over REST, p50 / p95', both('rest'), '', over('rest', 'httpHealth', '/health'));
  report(
    "HTTP overhead over the same server's floor, p50: cached tool call − /health, 2025 / 2026 era",
    `${ms(httpOurs('2025-11-25'))} / ${ms(httpOurs('2026-07-28'))}`,
    '< 2 ms',
  );
}

/** The body of a 2xx answer; anything else fails the run. */
async function ok(res: Response): Promise<string> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${text.slice(0, 200)}`);
  return text;
}
