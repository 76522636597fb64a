/**
 * The interactive views (the MCP Apps extension, `io.modelcontextprotocol/ui`): the calendar, the inbox
 * and the numbers, each a `ui://` page that a client renders in a sandboxed frame beside the answer of
 * the tool that names it. The pages are built from views/ by scripts/build-views.mjs into dist/views/,
 * one self-contained HTML file each (script and style inline, their hashes in the page's own
 * content-security policy); they get their data by calling our tools through the host, on the same call
 * path, validation, rate budget and preview/confirm protocol as any other call.
 *
 * Negotiated, never assumed: a tool names its view (`_meta.ui.resourceUri`) and the pages are listed
 * and readable only for a client that declared the extension with the MCP Apps MIME type, in its
 * `initialize` (2025 era) or on the request itself (2026 era). Every other client sees the tools and
 * resources exactly as before. The answers themselves never change: text and structured content are
 * the same whether a view shows them or not.
 */
import { readFileSync } from 'node:fs';
import { EXTENSION_ID, getUiCapability, RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type McpServer,
  type RegisteredTool,
  type Transport,
} from '@modelcontextprotocol/server';
import type { AppViewMode } from '../config.js';
import { VIEW_NAMES, type ViewName } from '../tools/define.js';
import type { ListedResource } from './change-resources.js';

export { EXTENSION_ID, RESOURCE_MIME_TYPE };

export const VIEWS: Record<ViewName, { title: string; description: string }> = {
  calendar: {
    title: 'Availability calendar',
    description:
      'Listings down, days across: reserved (guest, channel), pending, blocked and free days with price and minimum stay, today marked in each listing zone.',
  },
  inbox: {
    title: 'Guest inbox',
    description:
      'Waiting guests by urgency with their last message and stay, and a reply box that previews, then sends through the two-step write protocol.',
  },
  numbers: {
    title: 'Portfolio numbers',
    description: 'Occupancy, ADR, RevPAR and revenue by month and by listing, as charts beside the table.',
  },
};

export const viewUri = (name: ViewName): string => `ui://hostaway/${name}.html`;

/**
 * What the page asks of the host: no network at all (it gets everything through tool calls), no frames,
 * and a border. Empty lists are the extension's most restrictive policy.
 */
const RESOURCE_UI_META = { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true };

/** Whether this client renders views: it declared the extension with the MCP Apps MIME type. */
export function declaresViews(capabilities: Parameters<typeof getUiCapability>[0]): boolean {
  return getUiCapability(capabilities)?.mimeTypes?.includes(RESOURCE_MIME_TYPE) === true;
}

/**
 * The question "does this caller render views?", asked when a list or read is answered. Not earlier: an
 * HTTP instance is built before the SDK records the 2026-era request's declared capabilities on it, and
 * a stdio instance before the `initialize` that declares them.
 */
export function viewsOffered(server: McpServer, mode: AppViewMode): () => boolean {
  if (mode === 'off') return () => false;
  const declared = declaredOnRequests(server);
  return () => {
    // Deprecated in the SDK for new code, but the accessor that answers for 2025-era connections (from
    // initialize) and for 2026-era HTTP instances (the SDK seeds it from the request's envelope).
    const capabilities = server.server.getClientCapabilities() ?? declared();
    if (capabilities) return declaresViews(capabilities);
    // No declaration to read (a 2025-era HTTP request after its initialize): only `always` assumes.
    return mode === 'always';
  };
}

/**
 * The capabilities a 2026-era client declares on each request of a connection that lives on (stdio),
 * which the SDK does not record on the instance: the latest request's, read as each message arrives,
 * before it is handled. The hook goes in when the SDK starts the transport, after it has set its own
 * handler and before the first message can arrive.
 */
function declaredOnRequests(server: McpServer): () => ClientCapabilities | undefined {
  let declared: ClientCapabilities | undefined;
  const protocol = server.server;
  const connect = protocol.connect.bind(protocol);
  protocol.connect = (transport: Transport) => {
    const start = transport.start.bind(transport);
    transport.start = () => {
      const deliver = transport.onmessage;
      transport.onmessage = (message, extra) => {
        const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
        const capabilities = meta?.[CLIENT_CAPABILITIES_META_KEY];
        if (capabilities && typeof capabilities === 'object') declared = capabilities as ClientCapabilities;
        deliver?.(message, extra);
      };
      return start();
    };
    return connect(transport);
  };
  return () => declared;
}

/**
 * Names the view in a tool's `_meta` for a caller that renders views, and leaves `_meta` out for every
 * other caller. The SDK reads `_meta` off the registered tool when it answers `tools/list`, so a getter
 * decides then. Both keys: `ui.resourceUri`, and the older flat key some hosts still read.
 */
export function linkView(tool: RegisteredTool, view: ViewName, offered: () => boolean): void {
  const meta = { ui: { resourceUri: viewUri(view) }, 'ui/resourceUri': viewUri(view) };
  Object.defineProperty(tool, '_meta', {
    configurable: true,
    enumerable: true,
    get: () => (offered() ? meta : undefined),
    set: () => undefined,
  });
}

/**
 * The pages whose tools this caller is offered, readable only when `offered()`; returns what
 * resources/list shows of them (nothing when not offered), for resources.ts, which answers the list.
 */
export function registerViews(
  server: McpServer,
  views: ReadonlySet<ViewName>,
  offered: () => boolean,
): () => ListedResource[] {
  const listed: ListedResource[] = [];
  if (views.size === 0) return () => listed;
  server.server.registerCapabilities({ extensions: { [EXTENSION_ID]: {} } });
  for (const name of VIEW_NAMES) {
    if (!views.has(name)) continue;
    const uri = viewUri(name);
    const meta = {
      title: VIEWS[name].title,
      description: VIEWS[name].description,
      mimeType: RESOURCE_MIME_TYPE,
      _meta: { ui: RESOURCE_UI_META },
    };
    listed.push({ uri, name: VIEWS[name].title, ...meta });
    const registered = server.registerResource(VIEWS[name].title, uri, meta, () => ({
      contents: [
        { uri, mimeType: RESOURCE_MIME_TYPE, text: viewHtml(name), _meta: { ui: RESOURCE_UI_META } },
      ],
    }));
    // The SDK reads `enabled` when it lists and before it reads: decided per caller, as above.
    Object.defineProperty(registered, 'enabled', {
      configurable: true,
      enumerable: true,
      get: offered,
      set: () => undefined,
    });
  }
  return () => (offered() ? listed : []);
}

const built = new Map<ViewName, string>();

/**
 * A page as the build left it: read once, then kept (some 340 KB each, mostly the Apps SDK and zod).
 * Two levels up from here is the package root, from src/server/ as from dist/server/ or dist/chunks/.
 */
export function viewHtml(name: ViewName): string {
  let html = built.get(name);
  if (html === undefined) {
    const file = new URL(`../../dist/views/${name}.html`, import.meta.url);
    try {
      html = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`The ${name} view is not built: run npm run build.`);
    }
    built.set(name, html);
  }
  return html;
}
