/**
 * `npm run bench`: the figures we promise, measured side by side in one run against the sandbox.
 * Prints a table and writes bench/results/latest.json. Medians and ratios, never pass/fail: the goals
 * are printed beside the figures for a person to judge.
 *
 *   1. overhead of a tool call (stdio, HTTP) over the same request made directly to the sandbox
 *   2. rate budget: a burst of 300 tool calls, and one of 100 client reads, against Hostaway's limits
 *      (time scale 1/10; `--full`: Hostaway's real 10 s windows, minutes), set against the least time
 *      the limits allow
 *   3. coalescing and cache: 100 identical concurrent calls; a repeated workload
 *   4. context size: our answers against the raw Hostaway JSON of exactly the requests they made
 *   5. cold start to the answer to `initialize` (beside a bare `node -e 0`), and resident memory at
 *      idle and after 10,000, 20,000 and 30,000 calls
 *   6. throughput of cached tool calls over Streamable HTTP in both protocol eras, beside `/health` of
 *      the same server (autocannon in a process of its own), with p99
 *   7. waits: how soon a cancelled caller is released, a read timeout ends, a retry sequence ends
 *   8. tools list: its size as a client receives it, and the share of output schemas, input schemas
 *      and descriptions
 *   9. writes: per write store, the first write (store open) and its memory, preview and confirm
 *      latency, and duplicates when answers are lost (must be 0)
 *  10. operations brief: upstream requests cold and warm on 25 listings, its size against the raw JSON
 *      it draws from; on 200 listings with Hostaway's limits on, time, requests, 429s and what was cut
 *  11. metrics: upstream requests for a quarter's portfolio metrics on 25 listings, cold and warm, the
 *      least time they take at Hostaway's limits, and the answer's size against the raw JSON read
 *  12. fairness: another caller's single call during one caller's batch of 100, at Hostaway's limits
 *  13. limiters: three replicas sharing one limit through Redis with our Lua store and with the
 *      popular libraries: the most admitted in any window span, and the budget used (needs Redis)
 *  14. replicas: 600 calls over three server processes sharing through Redis, and on their own budgets
 *  15. changes: a booking made in Hostaway until the webhook has made it visible, and an hour of account
 *      activity found by polling (upstream requests) against the same hour by webhook
 *  16. views (MCP Apps): each page's size as a client receives it, and the upstream requests and data
 *      its first paint costs
 *
 * `npm run bench -- context coalescing` runs only the parts named (always in the order above);
 * `npm run bench -- --full budget` runs the rate budget at Hostaway's real time scale. Each part lives
 * in bench/parts/, the helpers they share in bench/lib/. Every figure is printed beside its floor, the
 * least the same thing can cost, measured in the same run.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import { printAndWrite, results } from './lib/report.js';
import { NOW } from './lib/servers.js';
import { brief } from './parts/brief.js';
import { rateBudget } from './parts/budget.js';
import { changes } from './parts/changes.js';
import { coalescing } from './parts/coalescing.js';
import { coldStartAndMemory } from './parts/coldstart.js';
import { contextSize } from './parts/context.js';
import { fairness } from './parts/fairness.js';
import { limiterLibraries } from './parts/limiters.js';
import { metrics } from './parts/metrics.js';
import { overhead } from './parts/overhead.js';
import { replicas } from './parts/replicas.js';
import { throughput } from './parts/throughput.js';
import { toolsList } from './parts/toolslist.js';
import { views } from './parts/views.js';
import { waits } from './parts/waits.js';
import { writes } from './parts/writes.js';

/** Every part by the name that selects it, in the order they run. */
const PARTS: Array<[string, (sandbox: Sandbox, options: { full: boolean }) => Promise<void>]> = [
  ['overhead', overhead],
  ['budget', (_, { full }) => rateBudget({ full })],
  ['coalescing', coalescing],
  ['context', contextSize],
  ['coldstart', coldStartAndMemory],
  ['throughput', throughput],
  ['waits', waits],
  ['toolslist', toolsList],
  ['writes', writes],
  ['brief', brief],
  ['metrics', metrics],
  ['fairness', () => fairness()],
  ['limiters', () => limiterLibraries()],
  ['replicas', () => replicas()],
  ['changes', () => changes()],
  ['views', views],
];

const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args.filter((a) => a !== '--full');
const unknown = only.filter((n) => !PARTS.some(([name]) => name === n));
if (unknown.length) {
  console.error(`unknown part(s): ${unknown.join(', ')}; the parts: ${PARTS.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
const want = (n: string) => only.length === 0 || only.includes(n);
results.options = { full, parts: PARTS.map(([n]) => n).filter(want) };
await mkdtemp(join(tmpdir(), 'hostaway-bench-'));
// The shared sandbox keeps its latest requests, oldest dropped first: as many as any part reads back
// after a call (a few hundred; `requestsSince` fails the run if some were dropped), not one per call of
// the run. A default run sends it a few thousand.
const sandbox = await startSandbox({ now: NOW, rateLimits: false, requestLogCapacity: 10_000 });
for (const [name, run] of PARTS) if (want(name)) await run(sandbox, { full });
results.sharedSandboxRequests = sandbox.requests.lastSeq;
await sandbox.close();
await printAndWrite();
