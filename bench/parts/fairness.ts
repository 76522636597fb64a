/**
 * 12. Fair share: one caller's batch of 100 uncached tool calls, and another caller's single call made
 * while the batch is still queued, under Hostaway's limits (time scale 1/10): how many requests reached
 * Hostaway after the single call arrived and before its own, and its wait, against the same call made
 * under the batch's own name (no fair share). Budget spent before it arrived cannot be given back: the
 * wait includes the rest of the window it arrived in.
 */
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { FULL_ACCESS, invoke } from '../../src/server/call.js';
import { createRuntime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv, NOW } from '../lib/servers.js';
import { requestsSince } from '../lib/upstream.js';

export async function fairness(): Promise<void> {
  process.stderr.write('12. fairness\n');
  const windowMs = 1_000;
  const LIMITS = { perIp: { limit: 15, windowMs }, perAccount: { limit: 20, windowMs } };
  const requestTime = windowMs / LIMITS.perIp.limit;
  const def = enabledTools({ readOnly: false, writes: false, toolsets: undefined }).find(
    (t) => t.name === 'hostaway_get_reservation',
  );
  if (!def) throw new Error('hostaway_get_reservation is missing');

  async function round(singleCaller: string) {
    const sandbox = await startSandbox({ now: NOW, rateLimits: LIMITS });
    const config = loadConfig({
      env: {
        ...liveEnv(sandbox, {
          HOSTAWAY_RATE_LIMIT_PER_IP: '15',
          HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
          HOSTAWAY_RATE_WINDOW_MS: String(windowMs),
          HOSTAWAY_CACHE: 'false',
        }),
      },
      envFile: '/dev/null',
    });
    const runtime = await createRuntime(config, { logger: silentLogger });
    const call = (caller: string, reservationId: number) =>
      invoke(
        runtime,
        def as NonNullable<typeof def>,
        { reservationId },
        {
          caller: { name: caller, scopes: FULL_ACCESS, surface: 'rest' },
          signal: new AbortController().signal,
        },
      );
    // Warm the token and listing names, so that both rounds queue only reservation reads.
    await call('warm-up', 1_000_000);
    const batchStarted = performance.now();
    const batch = Array.from({ length: 100 }, (_, k) => call('batch', 1_000_001 + k));
    // Well into the burst, with most of the batch still waiting its turn.
    await new Promise((r) => setTimeout(r, 2 * windowMs + windowMs / 2));
    const arrivedAt = sandbox.requests.lastSeq;
    const singleStarted = performance.now();
    const single = await call(singleCaller, 1_000_200);
    const singleMs = performance.now() - singleStarted;
    // How many requests reached Hostaway between the single call's arrival and its own request.
    const own = requestsSince(sandbox, arrivedAt).find((e) => e.path.endsWith('/1000200'));
    const servedAhead = own ? own.seq - arrivedAt - 1 : Number.NaN;
    const answers = await Promise.all(batch);
    const batchMs = performance.now() - batchStarted;
    const tooMany = requestsSince(sandbox, 0).filter((e) => e.status === 429).length;
    await runtime.close();
    await sandbox.close();
    const failed = answers.filter((a) => !a.ok).length + (single.ok ? 0 : 1);
    return { singleMs, servedAhead, batchMs, tooMany, failed };
  }

  const fair = await round('someone else');
  const unfair = await round('batch');
  results.fairness = { requestTimeMs: requestTime, fair, sameCaller: unfair };
  report(
    "another caller's single call during a batch of 100 (1/10 scale)",
    `${fair.servedAhead} requests went ahead of it; waited ${fair.singleMs.toFixed(0)} ms (batch ${(fair.batchMs / 1000).toFixed(1)} s; ${fair.tooMany} x 429, ${fair.failed} errors)`,
    'a few requests',
  );
  report(
    'the same call under the batch caller’s name (no fair share)',
    `${unfair.servedAhead} requests went ahead of it; waited ${unfair.singleMs.toFixed(0)} ms (x${(unfair.singleMs / fair.singleMs).toFixed(1)})`,
    '',
  );
}
