/** 1. Overhead of a tool call (stdio, MCP over HTTP, REST) over the same request made directly to the sandbox. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv, MCP_HTTP_HEADERS, spawnHttp, token } from '../lib/servers.js';
import { median, ms, pct, timeCalls } from '../lib/stats.js';

export async function overhead(sandbox: Sandbox): Promise<void> {
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
  // The same tool through the REST surface of the same server: the same call path, no JSON-RPC.
  const viaRest = () =>
    fetch(new URL(`/api/v1/get_listing?listingId=${ids[i++ % ids.length]}`, http.url)).then((r) => r.text());
  await timeCalls(200, viaRest);
  const restTimes = await timeCalls(N, viaRest);
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
  await http.stop();

  const d50 = median(directTimes);
  const s50 = median(stdioTimes);
  const h50 = median(httpTimes);
  const r50 = median(restTimes);
  results.overhead = {
    calls: N,
    directMs: { p50: d50, p95: pct(directTimes, 95) },
    stdioMs: { p50: s50, p95: pct(stdioTimes, 95), overheadP50: s50 - d50, ratio: s50 / d50 },
    httpMs: { p50: h50, p95: pct(httpTimes, 95), overheadP50: h50 - d50, ratio: h50 / d50 },
    restMs: { p50: r50, p95: pct(restTimes, 95), overheadP50: r50 - d50, ratio: r50 / d50 },
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
    'same tool over REST, p50 / p95',
    `${ms(r50)} / ${ms(pct(restTimes, 95))} (x${(r50 / d50).toFixed(2)}; MCP over HTTP x${(h50 / r50).toFixed(2)} of REST)`,
    '',
  );
  report('REST overhead, p50', ms(r50 - d50), '< 2 ms');
  report(
    'HTTP floor: GET /health vs MCP ping, p50',
    `${ms(median(healthTimes))} vs ${ms(median(pingTimes))} (ping +${ms(median(pingTimes) - median(healthTimes))})`,
    '',
  );
}
