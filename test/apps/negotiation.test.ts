/**
 * The extension is negotiated, never assumed: a client that declares MCP Apps (with its MIME type) sees
 * the three tools name their views and can list and read the pages; any other client sees the tools and
 * resources as before; the answers are the same either way. Both eras: 2025 in memory (declared in
 * initialize) and 2026 over HTTP (declared on each request); MCP_APPS=off and =always as documented.
 */
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_MIME_TYPE } from '../../src/server/apps.js';
import { startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { startTestRuntime } from '../helpers/server.js';
import { UI_EXTENSION } from './host.js';

const LINKED = {
  hostaway_availability_calendar: 'ui://hostaway/calendar.html',
  hostaway_inbox_triage: 'ui://hostaway/inbox.html',
  hostaway_portfolio_metrics: 'ui://hostaway/numbers.html',
};
const PAGES = Object.values(LINKED).sort();

type Era = 'legacy' | 'modern';
type Capabilities = ConstructorParameters<typeof Client>[1] extends infer O
  ? O extends { capabilities?: infer C }
    ? C
    : never
  : never;

async function clientFor(runtime: Runtime, era: Era, capabilities: Capabilities) {
  if (era === 'legacy') {
    const [c, s] = InMemoryTransport.createLinkedPair();
    const server = buildServer(runtime);
    await server.connect(s);
    const client = new Client({ name: 'negotiation', version: '1.0.0' }, { capabilities });
    await client.connect(c);
    const close = async () => {
      await client.close();
      await server.close();
    };
    return { client, close };
  }
  const http = await startHttpServer(runtime);
  const client = new Client(
    { name: 'negotiation', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' }, capabilities },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  const close = async () => {
    await client.close();
    await http.close();
  };
  return { client, close };
}

async function seen(client: Client) {
  const { tools } = await client.listTools();
  const links = Object.fromEntries(
    tools
      .filter((t) => t._meta !== undefined)
      .map((t) => [t.name, (t._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri]),
  );
  const { resources } = await client.listResources();
  const pages = resources.filter((r) => r.uri.startsWith('ui://'));
  return { tools, links, pages };
}

describe.each<Era>(['legacy', 'modern'])('MCP Apps negotiation, %s era', (era) => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('links the views and serves the pages to a client that declares the extension', async () => {
    const { client, close } = await clientFor(runtime, era, { extensions: UI_EXTENSION });
    try {
      const { links, pages } = await seen(client);
      expect(links).toEqual(LINKED);
      expect(pages.map((p) => p.uri).sort()).toEqual(PAGES);
      expect(pages.every((p) => p.mimeType === RESOURCE_MIME_TYPE)).toBe(true);
      const tool = (await client.listTools()).tools.find((t) => t.name === 'hostaway_inbox_triage')!;
      expect(tool._meta).toEqual({
        ui: { resourceUri: LINKED.hostaway_inbox_triage },
        'ui/resourceUri': LINKED.hostaway_inbox_triage,
      });
      const read = await client.readResource({ uri: LINKED.hostaway_inbox_triage });
      const page = read.contents[0] as { mimeType: string; text: string; _meta?: { ui?: { csp?: unknown } } };
      expect(page.mimeType).toBe(RESOURCE_MIME_TYPE);
      expect(page._meta?.ui?.csp).toEqual({ connectDomains: [], resourceDomains: [] });
      expect(page.text).toMatch(/^<!doctype html>/);
      // Nothing of the account's credentials rides along: the page is the same for every account.
      expect(runtime.secrets.length).toBeGreaterThan(0);
      for (const secret of runtime.secrets) expect(page.text).not.toContain(secret);
      if (era === 'legacy')
        expect(client.getServerCapabilities()?.extensions).toHaveProperty(['io.modelcontextprotocol/ui']);
    } finally {
      await close();
    }
  });

  it('shows a client without the extension the tools and resources as before, and the same answers', async () => {
    const plain = await clientFor(runtime, era, {});
    // Declared, but for another kind of page: not ours to assume either.
    const other = await clientFor(runtime, era, {
      extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/x-other'] } },
    });
    const views = await clientFor(runtime, era, { extensions: UI_EXTENSION });
    try {
      for (const c of [plain, other]) {
        const { tools, links, pages } = await seen(c.client);
        expect(links).toEqual({});
        expect(tools.every((t) => t._meta === undefined)).toBe(true);
        expect(pages).toEqual([]);
        await expect(c.client.readResource({ uri: LINKED.hostaway_inbox_triage })).rejects.toThrow();
      }
      // The tools list differs only by the links.
      const strip = (tools: Awaited<ReturnType<typeof seen>>['tools']) => tools.map(({ _meta, ...t }) => t);
      expect(strip((await seen(views.client)).tools)).toEqual(strip((await seen(plain.client)).tools));
      for (const [name, args] of [
        ['hostaway_inbox_triage', { limit: 3 }],
        [
          'hostaway_portfolio_metrics',
          { from: '2026-11-01', to: '2026-11-30', groupBy: 'month', compare: false, paceMonths: 0 },
        ],
      ] as const) {
        const a = await plain.client.callTool({ name, arguments: args });
        const b = await views.client.callTool({ name, arguments: args });
        expect(b.content).toEqual(a.content);
        expect(b.structuredContent).toEqual(a.structuredContent);
      }
    } finally {
      await plain.close();
      await other.close();
      await views.close();
    }
  });
});

describe.each<Era>(['legacy', 'modern'])(
  'over stdio, as a client spawns the server (demo mode), %s era',
  (era) => {
    it('offers the views to a client that declares them, and only to it', async () => {
      for (const declares of [true, false]) {
        const client = new Client(
          { name: `stdio-${era}`, version: '1.0.0' },
          {
            ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}),
            capabilities: declares ? { extensions: UI_EXTENSION } : {},
          },
        );
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: ['dist/cli.js'],
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' },
            stderr: 'pipe',
          }),
        );
        try {
          const { links, pages } = await seen(client);
          expect(links).toEqual(declares ? LINKED : {});
          expect(pages.map((p) => p.uri).sort()).toEqual(declares ? PAGES : []);
          if (declares) {
            const read = await client.readResource({ uri: LINKED.hostaway_portfolio_metrics });
            expect((read.contents[0] as { text: string }).text).toContain('<title>Portfolio numbers</title>');
          }
        } finally {
          await client.close();
        }
      }
    }, 30_000);
  },
);

describe('MCP_APPS', () => {
  it('off: no client is offered the views, even one that declares them', async () => {
    const runtime = await startTestRuntime({ env: { MCP_APPS: 'off' } });
    const { client, close } = await clientFor(runtime, 'legacy', { extensions: UI_EXTENSION });
    try {
      const { links, pages } = await seen(client);
      expect([links, pages]).toEqual([{}, []]);
      expect(client.getServerCapabilities()?.extensions).toBeUndefined();
    } finally {
      await close();
      await runtime.close();
    }
  });

  it('always: a 2025-era HTTP client, whose declaration the stateless server cannot see, is offered them', async () => {
    for (const [mode, expected] of [
      ['auto', {}],
      ['always', LINKED],
    ] as const) {
      const runtime = await startTestRuntime({ env: { MCP_APPS: mode } });
      const http = await startHttpServer(runtime);
      const client = new Client(
        { name: 'legacy-http', version: '1.0.0' },
        { versionNegotiation: { mode: 'legacy' }, capabilities: { extensions: UI_EXTENSION } },
      );
      try {
        await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
        expect((await seen(client)).links).toEqual(expected);
      } finally {
        await client.close();
        await http.close();
        await runtime.close();
      }
    }
  });
});
