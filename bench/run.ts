/**
 * `npm run bench`: the figures we promise, measured side by side in one run against the sandbox.
 * Prints a table and writes bench/results/latest.json. Medians and ratios, never pass/fail: the goals
 * are printed beside the figures for a person to judge.
 *
 *   1. overhead of a tool call (stdio, HTTP) over the same request made directly to the sandbox
 *   2. rate budget: a burst of 300 tool calls, and one of 100 client reads, against Hostaway's limits
 *      (time scale 1/10), set against the least time the limits allow
 *   3. coalescing and cache: 100 identical concurrent calls; a repeated workload
 *   4. context size: our answers against the raw Hostaway JSON of exactly the requests they made
 *   5. cold start to the answer to `initialize` (beside a bare `node -e 0`), and resident memory at
 *      idle and after 10,000 and 20,000 calls
 *   6. throughput of cached tool calls over Streamable HTTP (autocannon), with p99
 *   7. waits: how soon a cancelled caller is released, a read timeout ends, a retry sequence ends
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import autocannon from 'autocannon';
import type { HostawayError } from '../src/client/errors.js';
import type { ClientOptionsInput } from '../src/client/options.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logging.js';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { createRuntime } from '../src/server/runtime.js';
import { buildServer } from '../src/server/server.js';
import { clientFor } from '../test/helpers/client.js';

const NOW = '2026-11-25T12:00:00Z';
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const rows: Array<[string, string, string]> = [];
const report = (name: string, value: string, goal: string) => {
  rows.push([name, value, goal]);
  process.stderr.write(`  ${name}: ${value}\n`);
};

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;
const median = (xs: number[]) => pct(xs, 50);
const ms = (n: number) => `${n.toFixed(3)} ms`;
/** Headers of a stateless Streamable HTTP request made by hand. */
const MCP_HTTP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

async function token(sandbox: Sandbox): Promise<string> {
  const res = await fetch(`${sandbox.url}/accessTokens`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(sandbox.accountId),
      client_secret: sandbox.clientSecret,
      scope: 'general',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Environment for a server in live mode against our sandbox: limits out of the way unless asked. */
function liveEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
    HOSTAWAY_API_KEY: sandbox.clientSecret,
    HOSTAWAY_BASE_URL: sandbox.url,
    HOSTAWAY_TOKEN_FILE: join(tmpdir(), `hostaway-bench-token-${process.pid}.json`),
    HOSTAWAY_RATE_LIMIT_PER_IP: '1000000',
    HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '1000000',
    HOSTAWAY_MAX_IN_FLIGHT: '50',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  return times;
}

function spawnHttp(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/cli.js', 'http', '--port', '0'], {
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = child.stderr as NonNullable<ChildProcess['stderr']>;
  return new Promise((resolve, reject) => {
    let head = '';
    const onExit = (code: number | null) => reject(new Error(`server exited ${code}: ${head}`));
    const onData = (d: Buffer) => {
      head += String(d);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(head);
      if (!m) return;
      // The address is all we need. The server logs a line per request; keeping and re-scanning them
      // here, in the process that also generates the load, halved the throughput measured. From now
      // on the pipe is drained and its contents dropped, so the server never blocks on it.
      stderr.off('data', onData);
      child.off('exit', onExit);
      stderr.resume();
      resolve({ child, url: m[1] as string });
    };
    stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/** `300 GET /v1/reservations/{id}, 1 POST /v1/accessTokens`: what a list of upstream requests was. */
function describeRequests(entries: ReadonlyArray<{ method: string; path: string }>): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const key = `${e.method} ${e.path.split('?')[0]?.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/**
 * The least time in which `requests` can all be sent under sliding-window limits, with the first ones
 * sent at once. Within one window of `windowMs` at most `limit` requests may start, so request k
 * (counting from 0) can start no sooner than the one `limit` places before it plus a window: at
 * floor(k / limit) windows. The last of n starts at floor((n - 1) / limit) windows. Each limit counts
 * its own requests (every request counts per IP; only authenticated ones per account), and the
 * binding one is whichever ends later. The last answer's own latency comes on top, so the true
 * minimum is a little higher still: this one is generous to the figure it is compared with.
 */
function leastTimeMs(limits: Array<{ requests: number; limit: number; windowMs: number }>): number {
  return Math.max(
    0,
    ...limits.map((l) => (l.requests > 0 ? Math.floor((l.requests - 1) / l.limit) * l.windowMs : 0)),
  );
}

/** A server in this process in live mode against `sandbox`, and an SDK client connected to it in memory. */
async function inMemoryServer(env: Record<string, string>, client: Partial<ClientOptionsInput> = {}) {
  const config = loadConfig({ env, envFile: '/dev/null' });
  const runtime = await createRuntime(config, {
    logger: silentLogger,
    client: { token: { activationDelayMs: 0, file: undefined }, ...client },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await buildServer(runtime).connect(serverSide);
  const mcp = new Client({ name: 'bench', version: '1' });
  await mcp.connect(clientSide);
  return { runtime, client: mcp };
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then(
    (s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024,
  );
}

// ---------------------------------------------------------------------------------------------------

async function overhead(sandbox: Sandbox): Promise<void> {
  process.stderr.write('1. overhead\n');
  const bearer = await token(sandbox);
  const N = 1_000;
  const ids = Array.from({ length: 25 }, (_, i) => 40160 + i);
  let i = 0;
  const direct = () =>
    fetch(`${sandbox.url}/listings/${ids[i++ % ids.length]}`, {
      headers: { authorization: `Bearer ${bearer}` },
    }).then((r) => r.text());
  await timeCalls(200, direct);
  const directTimes = await timeCalls(N, direct);

  const env = liveEnv(sandbox, { HOSTAWAY_CACHE: 'false' });
  const stdio = new Client({ name: 'bench', version: '1' });
  await stdio.connect(new StdioClientTransport({ command: process.execPath, args: ['dist/cli.js'], env }));
  const viaStdio = () =>
    stdio.callTool({ name: 'hostaway_get_listing', arguments: { listingId: ids[i++ % ids.length] } });
  await timeCalls(200, viaStdio);
  const stdioTimes = await timeCalls(N, viaStdio);
  await stdio.close();

  const http = await spawnHttp(env);
  const httpClient = new Client({ name: 'bench', version: '1' });
  await httpClient.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  const viaHttp = () =>
    httpClient.callTool({ name: 'hostaway_get_listing', arguments: { listingId: ids[i++ % ids.length] } });
  await timeCalls(200, viaHttp);
  const httpTimes = await timeCalls(N, viaHttp);
  await httpClient.close();
  // The floor under any HTTP call: the same server answering `/health` (no MCP) and a JSON-RPC `ping`
  // (MCP, no tool, no Hostaway).
  const health = () => fetch(new URL('/health', http.url)).then((r) => r.text());
  const pingBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
  const ping = () =>
    fetch(http.url, { method: 'POST', body: pingBody, headers: MCP_HTTP_HEADERS }).then((r) => r.text());
  await timeCalls(200, health);
  const healthTimes = await timeCalls(N, health);
  await timeCalls(200, ping);
  const pingTimes = await timeCalls(N, ping);
  http.child.kill('SIGTERM');

  const d50 = median(directTimes);
  const s50 = median(stdioTimes);
  const h50 = median(httpTimes);
  results.overhead = {
    calls: N,
    directMs: { p50: d50, p95: pct(directTimes, 95) },
    stdioMs: { p50: s50, p95: pct(stdioTimes, 95), overheadP50: s50 - d50, ratio: s50 / d50 },
    httpMs: { p50: h50, p95: pct(httpTimes, 95), overheadP50: h50 - d50, ratio: h50 / d50 },
    httpHealthMs: { p50: median(healthTimes), p95: pct(healthTimes, 95) },
    httpPingMs: { p50: median(pingTimes), p95: pct(pingTimes, 95) },
  };
  report('direct GET /listings/{id}, p50 / p95', `${ms(d50)} / ${ms(pct(directTimes, 95))}`, '');
  report(
    'tool call over stdio, p50 / p95',
    `${ms(s50)} / ${ms(pct(stdioTimes, 95))} (x${(s50 / d50).toFixed(2)})`,
    '',
  );
  report('stdio overhead, p50', ms(s50 - d50), '< 1 ms');
  report(
    'tool call over HTTP, p50 / p95',
    `${ms(h50)} / ${ms(pct(httpTimes, 95))} (x${(h50 / d50).toFixed(2)})`,
    '',
  );
  report('HTTP overhead, p50', ms(h50 - d50), '< 2 ms');
  report(
    'HTTP floor: GET /health vs MCP ping, p50',
    `${ms(median(healthTimes))} vs ${ms(median(pingTimes))} (ping +${ms(median(pingTimes) - median(healthTimes))})`,
    '',
  );
}

async function rateBudget(): Promise<void> {
  process.stderr.write('2. rate budget\n');
  // Hostaway's limits (15 per IP and 20 per account in any 10 s) at time scale 1/10: the same counts
  // in any 1 s, so that a burst takes seconds. The sandbox enforces them and answers 429 beyond.
  const windowMs = 1_000;
  const LIMITS = { perIp: { limit: 15, windowMs }, perAccount: { limit: 20, windowMs } };
  /** The least time for what the sandbox logged, from both limits (see `leastTimeMs`). */
  const least = (log: Array<{ accountId: number | null }>) =>
    leastTimeMs([
      { requests: log.length, ...LIMITS.perIp },
      { requests: log.filter((e) => e.accountId !== null).length, ...LIMITS.perAccount },
    ]);

  // Through the whole server: 300 tool calls at once, the default 100 ms margin scaled with the window.
  let sandbox = await startSandbox({ now: NOW, rateLimits: LIMITS });
  const { runtime, client } = await inMemoryServer(
    {
      ...liveEnv(sandbox),
      HOSTAWAY_RATE_LIMIT_PER_IP: '15',
      HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
      HOSTAWAY_RATE_WINDOW_MS: String(windowMs),
    },
    { limits: { ...LIMITS, marginMs: 10 } },
  );
  const N = 300;
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: N }, (_, k) =>
      client.callTool({ name: 'hostaway_get_reservation', arguments: { reservationId: 1_000_001 + k } }),
    ),
  );
  const elapsed = performance.now() - started;
  const log = sandbox.requests.list();
  const upstream = log.length;
  const theoretical = least(log);
  const tooMany = log.filter((e) => e.status === 429).length;
  const failed = answers.filter((a) => a.isError).length;
  await client.close();
  await runtime.close();
  await sandbox.close();

  // The client alone, as in its tests: 100 distinct reads at once, a 100 ms margin, 10 in flight.
  sandbox = await startSandbox({ now: NOW, rateLimits: LIMITS });
  const reads = clientFor(sandbox, {
    cache: { enabled: false },
    limits: { ...LIMITS, marginMs: 100, maxInFlight: 10 },
  });
  const readsStarted = performance.now();
  await Promise.all(Array.from({ length: 100 }, (_, k) => reads.reservations.get(1_000_001 + k)));
  const readsElapsed = performance.now() - readsStarted;
  const readsLog = sandbox.requests.list();
  const readsLeast = least(readsLog);
  const readsTooMany = readsLog.filter((e) => e.status === 429).length;
  await reads.close();
  await sandbox.close();

  results.rateBudget = {
    timeScale: '1/10 (15 per IP and 20 per account in any 1 s)',
    toolCalls: {
      calls: N,
      upstream,
      upstreamRequests: describeRequests(log),
      elapsedMs: elapsed,
      leastMs: theoretical,
      budgetUsed: theoretical / elapsed,
      responses429: tooMany,
      toolErrors: failed,
    },
    clientReads: {
      calls: 100,
      upstream: readsLog.length,
      marginMs: 100,
      elapsedMs: readsElapsed,
      leastMs: readsLeast,
      budgetUsed: readsLeast / readsElapsed,
      responses429: readsTooMany,
    },
  };
  report(
    `burst of ${N} tool calls (${upstream} upstream requests), time scale 1/10`,
    `${(elapsed / 1000).toFixed(2)} s vs ${(theoretical / 1000).toFixed(2)} s minimum`,
    '',
  );
  report('  its upstream requests', describeRequests(log), '');
  report('rate budget used', `${((theoretical / elapsed) * 100).toFixed(1)} %`, '>= 95 %');
  report('429 answers received / tool errors', `${tooMany} / ${failed}`, '0 / 0');
  report(
    `client alone: 100 reads at once (${readsLog.length} upstream), 100 ms margin, time scale 1/10`,
    `${(readsElapsed / 1000).toFixed(2)} s vs ${(readsLeast / 1000).toFixed(2)} s minimum (x${(readsElapsed / readsLeast).toFixed(2)}, ${((readsLeast / readsElapsed) * 100).toFixed(1)} % of the budget); ${readsTooMany} x 429`,
    '',
  );
}

async function coalescing(sandbox: Sandbox): Promise<void> {
  process.stderr.write('3. coalescing and cache\n');
  const run = async (cache: boolean) => {
    const server = await inMemoryServer(liveEnv(sandbox, { HOSTAWAY_CACHE: String(cache) }));
    await server.client.callTool({ name: 'hostaway_connection_status', arguments: {} });
    return server;
  };
  const upstream = (since: number) => sandbox.requests.list(since).length;

  const a = await run(true);
  await a.runtime.client.listings.list({ limit: 1 }); // token
  let since = sandbox.requests.lastSeq;
  await Promise.all(
    Array.from({ length: 100 }, () =>
      a.client.callTool({
        name: 'hostaway_search_reservations',
        arguments: { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-30' },
      }),
    ),
  );
  // Every upstream request counts: the search, and the listing names the answer shows.
  const identicalLog = sandbox.requests.list(since);

  const routine = [
    ['hostaway_search_reservations', { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-25' }],
    ['hostaway_search_reservations', { departureFrom: '2026-11-25', departureTo: '2026-11-25' }],
    ['hostaway_list_conversations', { waitingOnly: true }],
    ['hostaway_get_availability', { listingId: 40160, startDate: '2026-12-01', endDate: '2026-12-31' }],
    ['hostaway_get_listing', { listingId: 40160 }],
    ['hostaway_finance_report', { from: '2026-10-01', to: '2026-10-31' }],
  ] as const;
  const workload = async (client: Client) => {
    const before = sandbox.requests.lastSeq;
    for (let round = 0; round < 10; round++)
      for (const [name, args] of routine) await client.callTool({ name, arguments: args });
    return upstream(before);
  };
  const withCache = await workload(a.client);
  const b = await run(false);
  const withoutCache = await workload(b.client);
  since = sandbox.requests.lastSeq;
  await Promise.all(
    Array.from({ length: 100 }, () =>
      b.client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40161 } }),
    ),
  );
  const identicalNoCacheLog = sandbox.requests.list(since);
  results.coalescing = {
    identicalConcurrent: 100,
    searchReservations: {
      upstream: identicalLog.length,
      requests: describeRequests(identicalLog),
    },
    getListingWithCacheOff: {
      upstream: identicalNoCacheLog.length,
      requests: describeRequests(identicalNoCacheLog),
    },
    workloadCalls: routine.length * 10,
    upstreamWithCache: withCache,
    upstreamWithoutCache: withoutCache,
  };
  report(
    '100 identical concurrent reservation searches: all upstream requests',
    `${identicalLog.length} (${describeRequests(identicalLog)})`,
    '1 per distinct request',
  );
  report(
    '100 identical concurrent listing reads, cache off: all upstream requests',
    `${identicalNoCacheLog.length} (${describeRequests(identicalNoCacheLog)})`,
    '1 per distinct request',
  );
  report(
    `repeated workload (${routine.length * 10} calls): upstream requests`,
    `${withCache} with cache, ${withoutCache} without (x${(withoutCache / Math.max(1, withCache)).toFixed(1)})`,
    '',
  );
  for (const x of [a, b]) {
    await x.client.close();
    await x.runtime.close();
  }
}

/**
 * A pass-through proxy in front of the sandbox that notes every answer's size, so that a tool's answer
 * can be set against the raw JSON of exactly the requests it made.
 */
async function recordingProxy(target: Sandbox) {
  const seen: Array<{ method: string; path: string; status: number; bytes: number }> = [];
  const origin = new URL(target.origin);
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        // Noted before the body reaches the caller, so never after the tool call that asked for it.
        answer.on('end', () =>
          seen.push({
            method: req.method ?? '',
            path: req.url ?? '',
            status: answer.statusCode ?? 0,
            bytes,
          }),
        );
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function contextSize(sandbox: Sandbox): Promise<void> {
  process.stderr.write('4. context size\n');
  // The seeded account's longest thread, and one of typical length (the median).
  const store = sandbox.store();
  const threads = store
    .searchConversations(undefined)
    .map((c) => ({ id: c.id, messages: store.conversationMessages(c.id, false).length }))
    .sort((a, b) => b.messages - a.messages || a.id - b.id);
  const longest = threads[0] as { id: number; messages: number };
  const typical = threads[Math.floor(threads.length / 2)] as { id: number; messages: number };

  const proxy = await recordingProxy(sandbox);
  const { runtime, client } = await inMemoryServer(liveEnv(sandbox, { HOSTAWAY_BASE_URL: proxy.url }));
  // Listing names (which several answers show) are fetched once and cached: fetch them now, as a
  // session's first call would, so that each case below pays only for its own requests.
  await client.callTool({
    name: 'hostaway_search_reservations',
    arguments: { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-25' },
  });
  const measure = async (label: string, name: string, args: Record<string, unknown>) => {
    const mark = proxy.seen.length;
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
    const requests = proxy.seen.slice(mark);
    if (requests.length === 0) throw new Error(`${name} made no upstream request to compare with`);
    const text = (r.content as Array<{ text: string }>).map((x) => x.text).join('');
    return {
      label,
      requests: requests.map((q) => `${q.method} ${q.path} -> ${q.status}, ${q.bytes} B`),
      rawBytes: requests.reduce((sum, q) => sum + q.bytes, 0),
      textBytes: Buffer.byteLength(text),
      structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent)),
      structured: r.structuredContent as { messages?: unknown[] },
    };
  };
  const conversation = async (which: string, id: number) => {
    const m = await measure('', 'hostaway_get_conversation', { conversationId: id });
    const count = m.structured.messages?.length ?? 0;
    return { ...m, label: `one conversation, ${which} (${count} messages)` };
  };
  const cases = [
    await measure('100 reservations', 'hostaway_search_reservations', {
      arrivalFrom: '2026-09-01',
      arrivalTo: '2026-12-31',
      limit: 100,
    }),
    await conversation('the longest thread', longest.id),
    await conversation('a thread of median length', typical.id),
    await measure('one listing', 'hostaway_get_listing', { listingId: 40160 }),
    await measure("a month's finance report", 'hostaway_finance_report', {
      from: '2026-10-01',
      to: '2026-10-31',
    }),
  ];
  results.contextSize = cases.map(({ structured: _, ...c }) => ({
    ...c,
    textRatio: c.textBytes / c.rawBytes,
    structuredRatio: c.structuredBytes / c.rawBytes,
  }));
  for (const c of cases)
    report(
      `context: ${c.label}, against the ${c.requests.length} request(s) it made`,
      `${c.textBytes} B text (${((c.textBytes / c.rawBytes) * 100).toFixed(1)} %), ${c.structuredBytes} B structured (${((c.structuredBytes / c.rawBytes) * 100).toFixed(1)} %) of ${c.rawBytes} B raw`,
      '<= 10 %',
    );
  await client.close();
  await runtime.close();
  await proxy.close();
}

async function coldStartAndMemory(sandbox: Sandbox): Promise<void> {
  process.stderr.write('5. cold start and memory\n');
  // What any Node process costs to start on this machine, to read the figures below against.
  const bare: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
        .once('exit', () => resolve())
        .once('error', reject),
    );
    bare.push(performance.now() - t);
  }
  const startTimes: Record<'live' | 'demo', number[]> = { live: [], demo: [] };
  for (const mode of ['live', 'demo'] as const) {
    for (let k = 0; k < 7; k++) {
      const env =
        mode === 'live'
          ? liveEnv(sandbox)
          : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };
      const t = performance.now();
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: ['dist/cli.js'], env }),
      );
      startTimes[mode].push(performance.now() - t);
      await client.close();
    }
  }
  // Memory by default, and with the old space capped: if the capped run holds steady, growth in the
  // default run is the heap sizing itself to the load, not memory kept.
  const memory: Record<string, { idleMb: number; after10kMb: number; after20kMb: number }> = {};
  for (const [label, flags] of [
    ['default', []],
    ['--max-old-space-size=48', ['--max-old-space-size=48']],
  ] as const) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...flags, 'dist/cli.js'],
      env: liveEnv(sandbox),
    });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    const pid = transport.pid as number;
    await client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 } });
    await new Promise((r) => setTimeout(r, 500));
    const idleMb = await rssMb(pid);
    let k = 0;
    const calls = (n: number) =>
      timeCalls(n, () =>
        client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 + (k++ % 7) } }),
      );
    await calls(10_000);
    const after10kMb = await rssMb(pid);
    await calls(10_000);
    const after20kMb = await rssMb(pid);
    await client.close();
    memory[label] = { idleMb, after10kMb, after20kMb };
  }
  results.coldStart = {
    liveMs: median(startTimes.live),
    demoMs: median(startTimes.demo),
    bareNodeMs: median(bare),
    runs: 7,
  };
  results.memory = memory;
  const idle = memory.default?.idleMb ?? 0;
  const after10k = memory.default?.after10kMb ?? 0;
  const after20k = memory.default?.after20kMb ?? 0;
  const capped = memory['--max-old-space-size=48'];
  report(
    'resident memory, capped heap: idle / 10,000 / 20,000 calls',
    `${capped?.idleMb.toFixed(1)} / ${capped?.after10kMb.toFixed(1)} / ${capped?.after20kMb.toFixed(1)} MB`,
    'no growth',
  );
  report(
    'cold start to initialize answer (live / demo with sandbox; a bare `node -e 0`)',
    `${median(startTimes.live).toFixed(0)} ms / ${median(startTimes.demo).toFixed(0)} ms; ${median(bare).toFixed(0)} ms`,
    '< 400 ms',
  );
  report(
    'resident memory, default: idle / 10,000 / 20,000 calls',
    `${idle.toFixed(1)} / ${after10k.toFixed(1)} / ${after20k.toFixed(1)} MB`,
    '< 100 MB',
  );
}

async function throughput(sandbox: Sandbox): Promise<void> {
  process.stderr.write('6. throughput\n');
  const http = await spawnHttp(liveEnv(sandbox));
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'hostaway_get_listing', arguments: { listingId: 40160 } },
  });
  const headers = MCP_HTTP_HEADERS;
  await autocannon({ url: http.url, method: 'POST', body, headers, connections: 10, duration: 2 });
  const runs: Array<{ rps: number; p99: number; errors: number }> = [];
  for (let k = 0; k < 3; k++) {
    const r = await autocannon({
      url: http.url,
      method: 'POST',
      body,
      headers,
      connections: 10,
      duration: 5,
    });
    runs.push({ rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx });
  }
  http.child.kill('SIGTERM');
  const rps = median(runs.map((r) => r.rps));
  const p99 = median(runs.map((r) => r.p99));
  results.throughput = {
    tool: 'hostaway_get_listing (cached)',
    connections: 10,
    secondsPerRun: 5,
    runs,
    medianRps: rps,
    medianP99Ms: p99,
  };
  report(
    'cached tool calls over HTTP (autocannon, 10 connections)',
    `${rps.toFixed(0)} req/s, p99 ${p99} ms, ${runs.reduce((s, r) => s + r.errors, 0)} errors`,
    '>= 2,000/s, p99 < 20 ms',
  );
}

/**
 * The waits the client promises to keep short, timed here rather than bounded in the tests: a
 * cancelled caller leaves the rate-limit queue at once; a slow answer ends at the read timeout; a
 * retry sequence takes its delays and little more.
 */
async function waits(sandbox: Sandbox): Promise<void> {
  process.stderr.write('7. waits\n');
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

  // Cancellation: the token and one read fill a 2-request window of 3 s; four more queue for a turn
  // that will not come for seconds; they are cancelled together. Timed from the abort until all four
  // callers have their `cancelled` error.
  const releases: number[] = [];
  for (let k = 0; k < 30; k++) {
    const client = clientFor(sandbox, {
      cache: { enabled: false },
      limits: {
        perIp: { limit: 2, windowMs: 3_000 },
        perAccount: { limit: 2, windowMs: 3_000 },
        marginMs: 0,
      },
    });
    await client.listings.get(40160);
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const calls = controllers.map((c, i) =>
      client.listings.get(40161 + i, c.signal).then(
        () => 'ok',
        (e: HostawayError) => e.kind,
      ),
    );
    while ((await client.status()).budget.queued < 4) await sleep(5);
    const t = performance.now();
    for (const c of controllers) c.abort();
    const outcomes = await Promise.all(calls);
    releases.push(performance.now() - t);
    if (outcomes.some((o) => o !== 'cancelled')) throw new Error(`not all cancelled: ${outcomes}`);
    await client.close();
  }

  // A slow answer: retries off, a 1 s read timeout, an answer held back 4 s. Timed to the error.
  const timeouts: number[] = [];
  const strict = clientFor(sandbox, {
    cache: { enabled: false },
    retries: { max: 0 },
    timeouts: { connectMs: 500, readMs: 1_000, writeMs: 500 },
  });
  await strict.listings.list({ limit: 1 });
  for (let k = 0; k < 5; k++) {
    sandbox.faults.add({ kind: 'latency', ms: 4_000, path: '/v1/listings/*', times: 1 });
    const t = performance.now();
    const kind = await strict.listings.get(40164).then(
      () => 'ok',
      (e: HostawayError) => e.kind,
    );
    timeouts.push(performance.now() - t);
    if (kind !== 'timeout') throw new Error(`expected a timeout, got ${kind}`);
  }
  await strict.close();
  sandbox.faults.clear();

  // Retry sequences, warm client. 503, 502, 504 then 200 with the tests' delays (20, 40, 80 ms, no
  // jitter): 140 ms of waiting. Two 429s asking for Retry-After: 1 then 200: 2 s of waiting.
  const client = clientFor(sandbox, { cache: { enabled: false } });
  await client.listings.list({ limit: 1 });
  const backoffs: number[] = [];
  for (let k = 0; k < 5; k++) {
    for (const status of [503, 502, 504])
      sandbox.faults.add({ kind: 'status', status, path: '/v1/listings/*', times: 1 });
    const before = client.stats.retries;
    const t = performance.now();
    await client.listings.get(40161);
    backoffs.push(performance.now() - t);
    if (client.stats.retries - before !== 3) throw new Error('the 5xx faults did not all fire');
  }
  const retryAfters: number[] = [];
  for (let k = 0; k < 3; k++) {
    sandbox.faults.add({ kind: 'rateLimit', retryAfterSeconds: 1, path: '/v1/reservations/*', times: 2 });
    const before = client.stats.retries;
    const t = performance.now();
    await client.reservations.get(1_000_001);
    retryAfters.push(performance.now() - t);
    if (client.stats.retries - before !== 2) throw new Error('the 429 faults did not both fire');
  }
  await client.close();
  sandbox.faults.clear();

  results.waits = {
    cancelReleaseMs: { runs: releases.length, p50: median(releases), p95: pct(releases, 95) },
    readTimeoutMs: { runs: timeouts.length, timeoutMs: 1_000, p50: median(timeouts) },
    backoff5xxMs: { runs: backoffs.length, delaysMs: 140, p50: median(backoffs) },
    retryAfter429Ms: { runs: retryAfters.length, retryAfterMs: 2_000, p50: median(retryAfters) },
  };
  report(
    `cancelled waiters (4 queued) released after abort, p50 / p95 of ${releases.length}`,
    `${ms(median(releases))} / ${ms(pct(releases, 95))}`,
    '< 200 ms',
  );
  report(
    'slow answer (4 s) with a 1 s read timeout: error after',
    `${(median(timeouts) / 1000).toFixed(3)} s`,
    '< 2.3 s',
  );
  report(
    '503, 502, 504, then 200 with 20/40/80 ms backoff: answer after',
    `${ms(median(backoffs))} (140 ms of it waiting)`,
    '',
  );
  report(
    'two 429s with Retry-After: 1, then 200: answer after',
    `${(median(retryAfters) / 1000).toFixed(3)} s (2 s of it waiting)`,
    '',
  );
}

// ---------------------------------------------------------------------------------------------------

const only = process.argv.slice(2);
const want = (n: string) => only.length === 0 || only.includes(n);
await mkdtemp(join(tmpdir(), 'hostaway-bench-'));
const sandbox = await startSandbox({ now: NOW, rateLimits: false, requestLogCapacity: 200_000 });
if (want('overhead')) await overhead(sandbox);
if (want('budget')) await rateBudget();
if (want('coalescing')) await coalescing(sandbox);
if (want('context')) await contextSize(sandbox);
if (want('coldstart')) await coldStartAndMemory(sandbox);
if (want('throughput')) await throughput(sandbox);
if (want('waits')) await waits(sandbox);
await sandbox.close();

const width = Math.max(...rows.map((r) => r[0].length));
const valueWidth = Math.max(...rows.map((r) => r[1].length));
console.log(`\n${'measure'.padEnd(width)}  ${'median (one run)'.padEnd(valueWidth)}  goal`);
for (const [name, value, goal] of rows)
  console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${goal}`);
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwritten: bench/results/latest.json');
