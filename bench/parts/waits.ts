/**
 * 7. The waits the client promises to keep short, timed here rather than bounded in the tests: a
 * cancelled caller leaves the rate-limit queue at once; a slow answer ends at the read timeout; a
 * retry sequence takes its delays and little more.
 */
import type { HostawayError } from '../../src/client/errors.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../../test/helpers/client.js';
import { report, results } from '../lib/report.js';
import { median, ms, pct } from '../lib/stats.js';

export async function waits(sandbox: Sandbox): Promise<void> {
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
