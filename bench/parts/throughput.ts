/** 6. Throughput of cached tool calls over Streamable HTTP (autocannon), with p99. */
import autocannon from 'autocannon';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv, MCP_HTTP_HEADERS, spawnHttp } from '../lib/servers.js';
import { median } from '../lib/stats.js';

export async function throughput(sandbox: Sandbox): Promise<void> {
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
  await http.stop();
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
