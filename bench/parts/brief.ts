/**
 * 10. Operations brief: upstream requests for one brief on 25 listings, cold and warm, and its size
 * against the raw JSON of the requests it made; then briefs on 200 listings with Hostaway's limits
 * enforced by the sandbox and the client's default budget: time, requests, 429s, and what was cut.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createRuntime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { report, results } from '../lib/report.js';
import { liveEnv, NOW } from '../lib/servers.js';
import { describeRequests, recordingProxy, requestsSince } from '../lib/upstream.js';

const TOKEN = '/v1/accessTokens';

/**
 * A server in live mode against `sandbox` whose present is the sandbox's (not the machine's), so that
 * "today" is the day the seeded stays are laid out around; and an SDK client connected in memory.
 */
async function inMemoryServer(sandbox: Sandbox, env: Record<string, string>) {
  const runtime = await createRuntime(loadConfig({ env, envFile: '/dev/null' }), {
    logger: silentLogger,
    client: { token: { activationDelayMs: 0, file: undefined } },
    now: () => sandbox.store().now(),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await buildServer(runtime).connect(serverSide);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(clientSide);
  return { runtime, client };
}

export async function brief(sandbox: Sandbox): Promise<void> {
  process.stderr.write('10. operations brief\n');
  const proxy = await recordingProxy(sandbox);
  const { runtime, client } = await inMemoryServer(
    sandbox,
    liveEnv(sandbox, { HOSTAWAY_BASE_URL: proxy.url }),
  );
  const call = async () => {
    proxy.clear();
    const r = await client.callTool({ name: 'hostaway_operations_brief', arguments: {} });
    if (r.isError) throw new Error(`brief failed: ${JSON.stringify(r.content)}`);
    const requests = proxy.seen.filter((q) => !q.path.startsWith(TOKEN));
    const text = (r.content as Array<{ text: string }>).map((x) => x.text).join('');
    return {
      requests,
      rawBytes: requests.reduce((n, q) => n + q.bytes, 0),
      textBytes: Buffer.byteLength(text),
      structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent)),
      cut: (r.structuredContent as { cut: string[] }).cut,
    };
  };
  const cold = await call();
  const warm = await call();
  await client.close();
  await runtime.close();
  await proxy.close();
  report(
    'brief, 25 listings, today: upstream requests cold / warm (token apart)',
    `${cold.requests.length} / ${warm.requests.length} (${describeRequests(cold.requests)})`,
    '<= 6 / 0',
  );
  report(
    'brief, 25 listings: answer against the raw JSON of its requests',
    `${cold.textBytes} B text (${((cold.textBytes / cold.rawBytes) * 100).toFixed(1)} %), ${cold.structuredBytes} B structured (${((cold.structuredBytes / cold.rawBytes) * 100).toFixed(1)} %) of ${cold.rawBytes} B raw`,
    '',
  );

  // 200 listings, Hostaway's limits on both sides: 15 per IP and 20 per account in any 10 s.
  const big = await startSandbox({ now: NOW, listings: 200, requestLogCapacity: 10_000 });
  const server = await inMemoryServer(
    big,
    liveEnv(big, {
      HOSTAWAY_RATE_LIMIT_PER_IP: '15',
      HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
      HOSTAWAY_MAX_IN_FLIGHT: '10',
    }),
  );
  const large: Array<Record<string, unknown>> = [];
  for (const [label, args] of [
    ['today', {}],
    ['a week', { from: 'today', to: '+6' }],
  ] as const) {
    const since = big.requests.lastSeq;
    const started = performance.now();
    const r = await server.client.callTool({ name: 'hostaway_operations_brief', arguments: args });
    const ms = performance.now() - started;
    const log = requestsSince(big, since);
    const out = r.structuredContent as { cut: string[]; counts: Record<string, number> } | undefined;
    const row = {
      label,
      ms,
      isError: Boolean(r.isError),
      upstream: log.length,
      upstreamRequests: describeRequests(log),
      responses429: log.filter((e) => e.status === 429).length,
      cut: out?.cut.filter((c) => !c.includes('shown (raise limit)')) ?? [],
      counts: out?.counts,
    };
    large.push(row);
    report(
      `brief, 200 listings, ${label}, Hostaway's limits on`,
      `${(ms / 1000).toFixed(2)} s, ${log.length} upstream (${describeRequests(log)}), ${row.responses429} x 429${row.isError ? ', ERROR' : ''}`,
      '0 x 429',
    );
    for (const c of row.cut) report('  cut', c, '');
  }
  await server.client.close();
  await server.runtime.close();
  await big.close();

  results.brief = {
    listings25: {
      cold: {
        ...cold,
        requests: cold.requests.map((q) => `${q.method} ${q.path} -> ${q.status}, ${q.bytes} B`),
      },
      warm: { upstream: warm.requests.length },
    },
    listings200: large,
  };
}
