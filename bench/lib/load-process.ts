/**
 * The load generator's own process: one autocannon run against one URL, its figures printed as one
 * line of JSON on stdout. Started by `load()` (load.ts), so that generating the load never shares a
 * process (an event loop, a heap, a garbage collector) with the benchmark, the sandbox or the server.
 *
 *   node --import tsx bench/lib/load-process.ts '{"url":"http://127.0.0.1:3000/health","connections":10,"durationSeconds":5}'
 */
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load.js';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const r = await autocannon({
  url: options.url,
  method: options.method ?? 'GET',
  headers: options.headers ?? {},
  ...(options.body === undefined ? {} : { body: options.body }),
  connections: options.connections,
  duration: options.durationSeconds,
});
const result: LoadResult = {
  rps: r.requests.average,
  requests: r.requests.total,
  latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  seconds: r.duration,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
