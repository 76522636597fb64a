/**
 * 6. HTTP throughput, each figure beside its floor from the same server process in the same run:
 * autocannon (10 connections, in a process of its own: bench/lib/load.ts) against `GET /health` (the
 * floor: Node's HTTP server and our routing, no MCP) and against a cached tool call
 * (hostaway_get_listing) in each protocol era, 2025-11-25 and 2026-07-28 (bench/lib/mcp.ts). Rounds
 * take the three in turn, the order turned each round; the ratios are taken within a round (a figure
 * and the floor measured seconds apart), then their median.
 */
import type { Sandbox } from '../../src/sandbox/index.js';
import { type LoadOptions, type LoadResult, load } from '../lib/load.js';
import { checkAnswer, ERAS, mcpHttpRequest } from '../lib/mcp.js';
import { report, results } from '../lib/report.js';
import { liveEnv, spawnHttp } from '../lib/servers.js';
import { median } from '../lib/stats.js';

const CONNECTIONS = 10;
const SECONDS = 5;
const ROUNDS = 3;

export async function throughput(sandbox: Sandbox): Promise<void> {
  process.stderr.write('6. throughput\n');
  // The server's default log level (info: a line per tool call), written to a file, not through this process.
  const http = await spawnHttp(liveEnv(sandbox, { LOG_LEVEL: 'info' }));
  const call = { name: 'hostaway_get_listing', arguments: { listingId: 40160 } };
  const targets: Array<{ key: string; options: Omit<LoadOptions, 'connections' | 'durationSeconds'> }> = [
    { key: 'health', options: { url: `${http.origin}/health` } },
    ...ERAS.map((era) => ({
      key: era,
      options: { url: http.url, method: 'POST' as const, ...mcpHttpRequest(era, 'tools/call', call) },
    })),
  ];

  // A sample answer of each, read in full: the first tool call fills the cache; each must succeed, and
  // its content type says whether the server answered with plain JSON or an SSE stream.
  const contentType: Record<string, string> = {};
  for (const { key, options } of targets) {
    const res = await fetch(options.url, {
      method: options.method ?? 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body ? { body: options.body } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${key}: ${res.status} ${text.slice(0, 300)}`);
    if (key !== 'health') checkAnswer(text);
    contentType[key] = res.headers.get('content-type') ?? '';
  }

  const run = (options: Omit<LoadOptions, 'connections' | 'durationSeconds'>, durationSeconds: number) =>
    load({ ...options, connections: CONNECTIONS, durationSeconds });
  for (const { options } of targets) await run(options, 2); // warm-up
  const runs: Record<string, LoadResult[]> = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (let r = 0; r < ROUNDS; r++)
    for (let k = 0; k < targets.length; k++) {
      const { key, options } = targets[(k + r) % targets.length] as (typeof targets)[number];
      (runs[key] as LoadResult[]).push(await run(options, SECONDS));
    }
  await http.stop();

  const summary = (key: string) => {
    const rs = runs[key] as LoadResult[];
    const floor = runs.health as LoadResult[];
    return {
      contentType: contentType[key],
      runs: rs,
      medianRps: median(rs.map((x) => x.rps)),
      medianP50Ms: median(rs.map((x) => x.latencyMs.p50)),
      medianP99Ms: median(rs.map((x) => x.latencyMs.p99)),
      failed: rs.reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0),
      // Within each round, then the median: a figure against the floor measured beside it.
      rpsOfFloor: median(rs.map((x, k) => x.rps / (floor[k] as LoadResult).rps)),
      p99OfFloor: median(
        rs.map((x, k) => x.latencyMs.p99 / Math.max(1, (floor[k] as LoadResult).latencyMs.p99)),
      ),
    };
  };
  const floor = summary('health');
  const eras = Object.fromEntries(ERAS.map((era) => [era, summary(era)]));
  results.throughput = {
    method: `autocannon in its own process, ${CONNECTIONS} connections, ${SECONDS} s a run, ${ROUNDS} rounds of the three targets in turn (order turned each round) after a 2 s warm-up of each; the server logs at warn to a file`,
    tool: 'hostaway_get_listing (cached)',
    connections: CONNECTIONS,
    secondsPerRun: SECONDS,
    floor: { target: 'GET /health, same server process', ...floor },
    eras,
  };
  const floorText = `/health ${floor.medianRps.toFixed(0)} req/s, p99 ${floor.medianP99Ms} ms`;
  report(
    `HTTP throughput floor: GET /health (autocannon in its own process, ${CONNECTIONS} connections)`,
    `${floor.medianRps.toFixed(0)} req/s, p50 ${floor.medianP50Ms} ms, p99 ${floor.medianP99Ms} ms, ${floor.failed} failed`,
    '',
  );
  for (const era of ERAS) {
    const e = eras[era] as ReturnType<typeof summary>;
    report(
      `cached tool calls over HTTP, ${era} (answer: ${e.contentType})`,
      `${e.medianRps.toFixed(0)} req/s (x${e.rpsOfFloor.toFixed(2)} of the floor), p99 ${e.medianP99Ms} ms (x${e.p99OfFloor.toFixed(1)}), ${e.failed} failed`,
      '>= 2,000/s, p99 < 20 ms',
      floorText,
    );
  }
}
