/**
 * A chat client that renders views, for tests: the SDK's MCP client, declaring the MCP Apps extension,
 * talks to our server (demo mode) over Streamable HTTP; headless Chromium (Debian's, through
 * playwright-core) runs the host page (host-page.ts, bundled here with esbuild) whose AppBridge holds
 * the view in a sandboxed frame. What the model would do (call a tool, read the view the tool names)
 * happens here; what the person does (click, type) happens in the frame.
 */
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { build } from 'esbuild';
import { type Browser, chromium, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { RESOURCE_MIME_TYPE } from '../../src/server/apps.js';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { startTestRuntime } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOST_ORIGIN = 'http://host.test';
export const UI_EXTENSION = { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } };

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

export interface ViewCall {
  name: string;
  arguments: Record<string, unknown>;
  result: ToolResult;
  /** Requests the sandbox received while the call ran (nothing else runs meanwhile in these tests). */
  upstreamRequests: number;
}

export interface AppHost {
  client: Client;
  page: Page;
  /** Tool calls the view made through the host, in order. */
  calls: ViewCall[];
  /** What the view asked the host to add to the model's context, in order. */
  modelContext: unknown[];
  /** Requests the page or the view tried to make beyond the host page itself. */
  network: string[];
  /** Calls the tool as the model would, then opens the view it names with its answer. */
  show(
    tool: string,
    args: Record<string, unknown>,
  ): Promise<{ view: FrameLocator; result: ToolResult; html: string }>;
  /** Saves the page as a PNG when APPS_SCREENSHOT_DIR is set (screenshots stay out of the repository). */
  screenshot(name: string, element?: Locator): Promise<void>;
  close(): Promise<void>;
}

/** What host-page.ts puts on the page's window (its own types are the browser's). */
interface BrowserHost {
  openView(html: string, input: Record<string, unknown>, result: unknown): Promise<void>;
}

let hostScript: Promise<string> | undefined;
function bundleHostPage(): Promise<string> {
  hostScript ??= build({
    entryPoints: [fileURLToPath(new URL('./browser/host-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  }).then((r) => r.outputFiles[0]!.text);
  return hostScript;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** An MCP client to the runtime's HTTP server, declaring the extension unless told not to. */
export async function connectHttp(
  runtime: Runtime,
  { views = true }: { views?: boolean } = {},
): Promise<{ client: Client; http: HttpServerHandle }> {
  const http = await startHttpServer(runtime);
  const client = new Client(
    { name: 'apps-test-host', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' }, capabilities: views ? { extensions: UI_EXTENSION } : {} },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  return { client, http };
}

export async function openAppHost(runtime: Runtime, browser: Browser): Promise<AppHost> {
  const { client, http } = await connectHttp(runtime);
  const page = await browser.newPage({ viewport: { width: 1320, height: 1020 } });
  const calls: ViewCall[] = [];
  const network: string[] = [];
  const modelContext: unknown[] = [];
  const script = await bundleHostPage();
  await page.route(`${HOST_ORIGIN}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module">${script}</script></body></html>`,
    }),
  );
  page.on('request', (r) => {
    if (!r.url().startsWith(HOST_ORIGIN)) network.push(r.url());
  });
  await page.exposeFunction(
    'hostCallTool',
    async (params: { name: string; arguments?: Record<string, unknown> }) => {
      const before = runtime.sandbox?.requests.lastSeq ?? 0;
      const result = await client.callTool({ name: params.name, arguments: params.arguments ?? {} });
      const upstreamRequests = (runtime.sandbox?.requests.lastSeq ?? 0) - before;
      calls.push({ name: params.name, arguments: params.arguments ?? {}, result, upstreamRequests });
      return result;
    },
  );
  await page.exposeFunction('hostModelContext', async (params: unknown) => {
    modelContext.push(params);
  });
  await page.goto(`${HOST_ORIGIN}/`);
  await page.waitForFunction(() => typeof (globalThis as unknown as BrowserHost).openView === 'function');

  const { tools } = await client.listTools();
  return {
    client,
    page,
    calls,
    modelContext,
    network,
    async show(tool, args) {
      const def = tools.find((t) => t.name === tool);
      const uri = (def?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
      if (!uri) throw new Error(`${tool} names no view`);
      const result = await client.callTool({ name: tool, arguments: args });
      const read = await client.readResource({ uri });
      const content = read.contents[0] as { text: string; mimeType: string };
      if (content.mimeType !== RESOURCE_MIME_TYPE) throw new Error(`${uri} is ${content.mimeType}`);
      await page.evaluate(
        ([html, input, answer]) => (globalThis as unknown as BrowserHost).openView(html, input, answer),
        [content.text, args, result] as const,
      );
      return { view: page.frameLocator('iframe'), result, html: content.text };
    },
    async screenshot(name, element) {
      const dir = process.env.APPS_SCREENSHOT_DIR;
      if (!dir) return;
      const path = `${dir}/${name}.png`;
      await (element ? element.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
    },
    async close() {
      await page.close();
      await client.close();
      await http.close();
    },
  };
}

/** A demo runtime, a browser and a host for the tests of one file: opened before them, closed after. */
export function withAppHost(): { runtime: Runtime; browser: Browser; host: AppHost } {
  const suite = {} as { runtime: Runtime; browser: Browser; host: AppHost };
  beforeAll(async () => {
    suite.runtime = await startTestRuntime();
    suite.browser = await launchBrowser();
    suite.host = await openAppHost(suite.runtime, suite.browser);
  }, 60_000);
  afterAll(async () => {
    await suite.host?.close();
    await suite.browser?.close();
    await suite.runtime?.close();
  });
  return suite;
}
