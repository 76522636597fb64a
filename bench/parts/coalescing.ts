/** 3. Coalescing and cache: 100 identical concurrent calls; a repeated workload. */
import type { Client } from '@modelcontextprotocol/client';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv } from '../lib/servers.js';
import { describeRequests, requestsSince } from '../lib/upstream.js';

export async function coalescing(sandbox: Sandbox): Promise<void> {
  process.stderr.write('3. coalescing and cache\n');
  const run = async (cache: boolean) => {
    const server = await inMemoryServer(liveEnv(sandbox, { HOSTAWAY_CACHE: String(cache) }));
    await server.client.callTool({ name: 'hostaway_connection_status', arguments: {} });
    return server;
  };
  const upstream = (since: number) => requestsSince(sandbox, since).length;

  const a = await run(true);
  await a.runtime.client.listings.list({ limit: 1 }); // token
  let since = sandbox.requests.lastSeq;
  await Promise.all(
    Array.from({ length: 100 }, () =>
      a.client.callTool({
        name: 'hostaway_search_reservations',
        arguments: { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-30' },
      }),
    ),
  );
  // Every upstream request counts: the search, and the listing names the answer shows.
  const identicalLog = requestsSince(sandbox, since);

  const routine = [
    ['hostaway_search_reservations', { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-25' }],
    ['hostaway_search_reservations', { departureFrom: '2026-11-25', departureTo: '2026-11-25' }],
    ['hostaway_list_conversations', { waitingOnly: true }],
    ['hostaway_get_availability', { listingId: 40160, startDate: '2026-12-01', endDate: '2026-12-31' }],
    ['hostaway_get_listing', { listingId: 40160 }],
    ['hostaway_finance_report', { from: '2026-10-01', to: '2026-10-31' }],
  ] as const;
  const workload = async (client: Client) => {
    const before = sandbox.requests.lastSeq;
    for (let round = 0; round < 10; round++)
      for (const [name, args] of routine) await client.callTool({ name, arguments: args });
    return upstream(before);
  };
  const withCache = await workload(a.client);
  const b = await run(false);
  const withoutCache = await workload(b.client);
  since = sandbox.requests.lastSeq;
  await Promise.all(
    Array.from({ length: 100 }, () =>
      b.client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40161 } }),
    ),
  );
  const identicalNoCacheLog = requestsSince(sandbox, since);
  results.coalescing = {
    identicalConcurrent: 100,
    searchReservations: {
      upstream: identicalLog.length,
      requests: describeRequests(identicalLog),
    },
    getListingWithCacheOff: {
      upstream: identicalNoCacheLog.length,
      requests: describeRequests(identicalNoCacheLog),
    },
    workloadCalls: routine.length * 10,
    upstreamWithCache: withCache,
    upstreamWithoutCache: withoutCache,
  };
  report(
    '100 identical concurrent reservation searches: all upstream requests',
    `${identicalLog.length} (${describeRequests(identicalLog)})`,
    '1 per distinct request',
  );
  report(
    '100 identical concurrent listing reads, cache off: all upstream requests',
    `${identicalNoCacheLog.length} (${describeRequests(identicalNoCacheLog)})`,
    '1 per distinct request',
  );
  report(
    `repeated workload (${routine.length * 10} calls): upstream requests`,
    `${withCache} with cache, ${withoutCache} without (x${(withoutCache / Math.max(1, withCache)).toFixed(1)})`,
    '',
  );
  for (const x of [a, b]) {
    await x.client.close();
    await x.runtime.close();
  }
}
