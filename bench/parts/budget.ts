/**
 * 2. Rate budget: a burst of 300 tool calls, and one of 100 client reads, against Hostaway's limits
 * (time scale 1/10; with `--full`, Hostaway's real 10 s windows: about four and a half minutes), set
 * against the least time the limits allow.
 */
import { startSandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../../test/helpers/client.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv, NOW } from '../lib/servers.js';
import { describeRequests, leastTimeMs, requestsSince } from '../lib/upstream.js';

export async function rateBudget({ full = false }: { full?: boolean } = {}): Promise<void> {
  // Hostaway's limits (15 per IP and 20 per account in any 10 s), by default at time scale 1/10: the
  // same counts in any 1 s, so that a burst takes seconds. The sandbox enforces them and answers 429
  // beyond. `--full` keeps the real windows, where the fixed costs of each window (the margin, one
  // request's latency) weigh a tenth as much.
  const windowMs = full ? 10_000 : 1_000;
  const scale = full ? "Hostaway's time scale" : 'time scale 1/10';
  process.stderr.write(`2. rate budget (${scale})\n`);
  const LIMITS = { perIp: { limit: 15, windowMs }, perAccount: { limit: 20, windowMs } };
  /** The least time for what the sandbox logged, from both limits (see `leastTimeMs`). */
  const least = (log: Array<{ accountId: number | null }>) =>
    leastTimeMs([
      { requests: log.length, ...LIMITS.perIp },
      { requests: log.filter((e) => e.accountId !== null).length, ...LIMITS.perAccount },
    ]);

  // Every bound on waiting counts in windows, as the limits do, so that both scales run the same
  // experiment: at 1/10 these are the defaults (a 60 s wait for a turn, a 120 s tool deadline). Left at
  // those defaults at Hostaway's scale, a burst of 300 at once is another experiment: past 90 waiting
  // (15 a window, for the windows a 60 s wait spans) calls are refused at once, and a wait past 60 s
  // fails (tried once: 89 of the 300 answered, 210 refused at once, 1 gave up at 60 s).
  const maxWaitMs = 60 * windowMs;
  const deadlineMs = 120 * windowMs;

  // Through the whole server: 300 tool calls at once, the default 100 ms margin scaled with the window.
  const marginMs = windowMs / 100;
  let sandbox = await startSandbox({ now: NOW, rateLimits: LIMITS });
  const { runtime, client } = await inMemoryServer(
    {
      ...liveEnv(sandbox),
      HOSTAWAY_RATE_LIMIT_PER_IP: '15',
      HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
      HOSTAWAY_RATE_WINDOW_MS: String(windowMs),
      HOSTAWAY_TOOL_DEADLINE_MS: String(deadlineMs),
    },
    { limits: { ...LIMITS, marginMs, maxWaitMs } },
  );
  const N = 300;
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: N }, (_, k) =>
      client.callTool(
        { name: 'hostaway_get_reservation', arguments: { reservationId: 1_000_001 + k } },
        { timeout: deadlineMs },
      ),
    ),
  );
  const elapsed = performance.now() - started;
  const log = requestsSince(sandbox, 0);
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
    limits: { ...LIMITS, marginMs: 100, maxInFlight: 10, maxWaitMs },
  });
  const readsStarted = performance.now();
  await Promise.all(Array.from({ length: 100 }, (_, k) => reads.reservations.get(1_000_001 + k)));
  const readsElapsed = performance.now() - readsStarted;
  const readsLog = requestsSince(sandbox, 0);
  const readsLeast = least(readsLog);
  const readsTooMany = readsLog.filter((e) => e.status === 429).length;
  await reads.close();
  await sandbox.close();

  results.rateBudget = {
    timeScale: full
      ? '1/1 (15 per IP and 20 per account in any 10 s)'
      : '1/10 (15 per IP and 20 per account in any 1 s)',
    windowMs,
    maxWaitMs,
    toolDeadlineMs: deadlineMs,
    toolCalls: {
      calls: N,
      marginMs,
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
    `burst of ${N} tool calls (${upstream} upstream requests), ${scale}`,
    `${(elapsed / 1000).toFixed(2)} s`,
    '',
    `${(theoretical / 1000).toFixed(2)} s, the least the limits allow`,
  );
  report('  its upstream requests', describeRequests(log), '');
  report(
    'rate budget used (least time / time taken)',
    `${((theoretical / elapsed) * 100).toFixed(1)} %`,
    '>= 95 %',
  );
  report('429 answers received / tool errors', `${tooMany} / ${failed}`, '0 / 0');
  report(
    `client alone: 100 reads at once (${readsLog.length} upstream), 100 ms margin, ${scale}`,
    `${(readsElapsed / 1000).toFixed(2)} s (x${(readsElapsed / readsLeast).toFixed(2)}, ${((readsLeast / readsElapsed) * 100).toFixed(1)} % of the budget); ${readsTooMany} x 429`,
    '',
    `${(readsLeast / 1000).toFixed(2)} s, the least the limits allow`,
  );
}
