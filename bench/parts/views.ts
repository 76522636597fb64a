/**
 * 16. Views (MCP Apps): each page's size as a client receives it (the resources/read answer), as HTML
 * and gzipped, and what its first paint costs: the upstream requests and the answer size of the tool
 * call it draws, cold, plus the call the numbers view makes itself for its second grouping. Sizes and
 * counts, so the machine's load does not change them.
 */
import { gzipSync } from 'node:zlib';
import type { Sandbox } from '../../src/sandbox/index.js';
import { RESOURCE_MIME_TYPE, viewUri } from '../../src/server/apps.js';
import { VIEW_NAMES } from '../../src/tools/define.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv } from '../lib/servers.js';
import { requestsSince } from '../lib/upstream.js';

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const UI = { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } };

/** The call each view draws first, as a model would make it, and the calls the view adds on load. */
const FIRST_PAINT: Record<(typeof VIEW_NAMES)[number], Array<[string, Record<string, unknown>]>> = {
  calendar: [['hostaway_availability_calendar', { month: '2026-12' }]],
  inbox: [['hostaway_inbox_triage', {}]],
  numbers: [
    ['hostaway_portfolio_metrics', { from: '2026-09-01', to: '2026-11-30', groupBy: 'listing' }],
    ['hostaway_portfolio_metrics', { from: '2026-09-01', to: '2026-11-30', groupBy: 'month' }],
  ],
};

export async function views(sandbox: Sandbox): Promise<void> {
  process.stderr.write('16. views\n');
  const { runtime, client } = await inMemoryServer(liveEnv(sandbox), {}, { extensions: UI });
  const out: Record<string, unknown> = {};
  try {
    for (const name of VIEW_NAMES) {
      const read = await client.readResource({ uri: viewUri(name) });
      const html = (read.contents[0] as { text: string }).text;
      const page = {
        answerBytes: Buffer.byteLength(JSON.stringify(read)),
        htmlBytes: Buffer.byteLength(html),
        gzipBytes: gzipSync(html, { level: 9 }).length,
      };
      runtime.client.clearCache();
      const since = sandbox.requests.lastSeq;
      const calls = [];
      for (const [tool, args] of FIRST_PAINT[name]) {
        const before = sandbox.requests.lastSeq;
        const r = await client.callTool({ name: tool, arguments: args });
        if (r.isError) throw new Error(`${tool}: ${JSON.stringify(r.content)}`);
        calls.push({
          tool,
          upstreamRequests: requestsSince(sandbox, before).length,
          structuredBytes: Buffer.byteLength(JSON.stringify(r.structuredContent)),
        });
      }
      const upstream = requestsSince(sandbox, since).length;
      out[name] = { ...page, firstPaint: { upstreamRequests: upstream, calls } };
      report(
        `views: ${name} page (resources/read)`,
        `${kb(page.answerBytes)}, gzip ${kb(page.gzipBytes)}`,
        'small, no data inside',
      );
      report(
        `views: ${name} first paint, cold`,
        `${upstream} upstream requests, data ${kb(calls.reduce((s, c) => s + c.structuredBytes, 0))}`,
        'within the rate budget',
      );
    }
  } finally {
    await client.close();
    await runtime.close();
  }
  results.views = out;
}
