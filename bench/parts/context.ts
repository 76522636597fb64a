/** 4. Context size: our answers against the raw Hostaway JSON of exactly the requests they made. */
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv } from '../lib/servers.js';
import { recordingProxy } from '../lib/upstream.js';

export async function contextSize(sandbox: Sandbox): Promise<void> {
  process.stderr.write('4. context size\n');
  // The seeded account's longest thread, and one of typical length (the median).
  const store = sandbox.store();
  const threads = store
    .searchConversations(undefined)
    .map((c) => ({ id: c.id, messages: store.conversationMessages(c.id, false).length }))
    .sort((a, b) => b.messages - a.messages || a.id - b.id);
  const longest = threads[0] as { id: number; messages: number };
  const typical = threads[Math.floor(threads.length / 2)] as { id: number; messages: number };

  const proxy = await recordingProxy(sandbox);
  const { runtime, client } = await inMemoryServer(liveEnv(sandbox, { HOSTAWAY_BASE_URL: proxy.url }));
  // Listing names (which several answers show) are fetched once and cached: fetch them now, as a
  // session's first call would, so that each case below pays only for its own requests.
  await client.callTool({
    name: 'hostaway_search_reservations',
    arguments: { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-25' },
  });
  const measure = async (label: string, name: string, args: Record<string, unknown>) => {
    proxy.clear();
    const r = await client.callTool({ name, arguments: args });
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
    const requests = proxy.seen;
    if (requests.length === 0) throw new Error(`${name} made no upstream request to compare with`);
    const text = (r.content as Array<{ text: string }>).map((x) => x.text).join('');
    return {
      label,
      requests: requests.map((q) => `${q.method} ${q.path} -> ${q.status}, ${q.bytes} B`),
      rawBytes: requests.reduce((sum, q) => sum + q.bytes, 0),
      textBytes: Buffer.byteLength(text),
      structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent)),
      structured: r.structuredContent as { messages?: unknown[] },
    };
  };
  const conversation = async (which: string, id: number) => {
    const m = await measure('', 'hostaway_get_conversation', { conversationId: id });
    const count = m.structured.messages?.length ?? 0;
    return { ...m, label: `one conversation, ${which} (${count} messages)` };
  };
  const cases = [
    await measure('100 reservations', 'hostaway_search_reservations', {
      arrivalFrom: '2026-09-01',
      arrivalTo: '2026-12-31',
      limit: 100,
    }),
    await conversation('the longest thread', longest.id),
    await conversation('a thread of median length', typical.id),
    await measure('one listing', 'hostaway_get_listing', { listingId: 40160 }),
    await measure("a month's finance report", 'hostaway_finance_report', {
      from: '2026-10-01',
      to: '2026-10-31',
    }),
  ];
  results.contextSize = cases.map(({ structured: _, ...c }) => ({
    ...c,
    textRatio: c.textBytes / c.rawBytes,
    structuredRatio: c.structuredBytes / c.rawBytes,
  }));
  for (const c of cases)
    report(
      `context: ${c.label}, against the ${c.requests.length} request(s) it made`,
      `${c.textBytes} B text (${((c.textBytes / c.rawBytes) * 100).toFixed(1)} %), ${c.structuredBytes} B structured (${((c.structuredBytes / c.rawBytes) * 100).toFixed(1)} %) of ${c.rawBytes} B raw`,
      '<= 10 %',
    );
  await client.close();
  await runtime.close();
  await proxy.close();
}
