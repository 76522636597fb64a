/**
 * How fast the sandbox answers list requests with the rate limits off, so that it is never the
 * bottleneck of the server's own benchmarks. Also times start-up with 100 listings.
 *
 *   npm run bench:sandbox
 *
 * Prints medians of three runs per endpoint (autocannon, 10 connections, 3 s each).
 */
import autocannon from 'autocannon';
import { startSandbox } from '../src/sandbox/index.js';
import { mintToken } from '../test/helpers/sandbox.js';

const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const s = await startSandbox({ listings: 100, rateLimits: false, now: '2026-11-25' });
  starts.push(performance.now() - t);
  await s.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const sandbox = await startSandbox({
  listings: 25,
  rateLimits: false,
  now: '2026-11-25',
  requestLogCapacity: 1000,
});
const token = await mintToken(sandbox);
const targets: Array<[string, string]> = [
  ['listings (25)', '/listings'],
  ['reservations (limit 20)', '/reservations?limit=20'],
  [
    'reservations (arrivals this week)',
    '/reservations?arrivalStartDate=2026-11-25&arrivalEndDate=2026-12-01',
  ],
  ['calendar (30 days)', '/listings/40160/calendar?startDate=2026-12-01&endDate=2026-12-30'],
  ['conversation messages', '/conversations/200001/messages'],
];

console.log(
  `start-up with 100 listings: median ${median(starts).toFixed(0)} ms over ${starts.length} starts`,
);
console.log('endpoint'.padEnd(36), 'req/s (median of 3)'.padStart(20), 'p99 ms'.padStart(8));
for (const [name, path] of targets) {
  const runs: Array<{ rps: number; p99: number }> = [];
  for (let i = 0; i < 3; i++) {
    const result = await autocannon({
      url: `${sandbox.url}${path}`,
      connections: 10,
      duration: 3,
      headers: { authorization: `Bearer ${token}` },
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    runs.push({ rps: result.requests.average, p99: result.latency.p99 });
  }
  console.log(
    name.padEnd(36),
    median(runs.map((r) => r.rps))
      .toFixed(0)
      .padStart(20),
    median(runs.map((r) => r.p99))
      .toFixed(1)
      .padStart(8),
  );
}
await sandbox.close();
