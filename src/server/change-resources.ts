/**
 * The resources account changes move, and the notices that they moved:
 * - `hostaway://changes`: the "what's new" feed (hostaway_whats_new, last 24 hours);
 * - `hostaway://inbox`: the guests waiting for a reply (hostaway_inbox_triage);
 * - `hostaway://reservations/{id}`: one reservation (hostaway_get_reservation).
 * Each is read through its tool's definition, on the one call path, so it says what the tool says.
 *
 * A client that subscribes hears `notifications/resources/updated` when a change touches one: on a
 * 2025-era connection through `resources/subscribe` (handled here, per connection), on a 2026-era one
 * through `subscriptions/listen` (the SDK's entry routes the same notices onto the subscriptions). Over
 * HTTP the notices go through the handler's event bus instead (http.ts), since its server instances
 * live for one request.
 */
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../tools/define.js';
import { type Caller, invoke, resourceAccountId } from './call.js';
import { CHANGES_URI, INBOX_URI, RESERVATION_URI_PREFIX, resourcesTouched } from './changes/effects.js';
import type { Runtime } from './runtime.js';

const MIME = 'text/plain';

export interface ChangeResourceOptions {
  caller: Caller;
  /** Only the tools this caller is offered back a resource. */
  tools: readonly ToolDefinition[];
  /** Whether this server instance lives as long as its connection (stdio, in memory): it then sends notices itself. */
  notifies: boolean;
  /** 2025-era connections subscribe per resource; 2026-era ones through subscriptions/listen. */
  era: 'legacy' | 'modern';
  /** With several accounts, the one these resources read (the caller's first); absent with one. */
  account?: string;
}

/** A fixed resource as resources/list shows it. */
export interface ListedResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
  _meta?: Record<string, unknown>;
}

/** Registers them; returns the fixed ones, for resources/list (whose pages are answered in resources.ts). */
export function registerChangeResources(
  server: McpServer,
  runtime: Runtime,
  options: ChangeResourceOptions,
): ListedResource[] {
  const listed: ListedResource[] = [];
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  const read = async (tool: string, args: Record<string, unknown>, uri: string, signal: AbortSignal) => {
    const def = byName.get(tool);
    if (!def) throw new ResourceNotFoundError(uri, `${uri} is not offered to this caller`);
    const scoped = options.account === undefined ? args : { ...args, account: options.account };
    const outcome = await invoke(runtime, def, scoped, { caller: options.caller, signal });
    if (!outcome.ok) {
      if (outcome.kind === 'not_found') throw new ResourceNotFoundError(uri, outcome.message);
      throw new ProtocolError(ProtocolErrorCode.InternalError, outcome.message);
    }
    return { contents: [{ uri, mimeType: MIME, text: outcome.text }] };
  };

  const fixed = (name: string, uri: string, tool: string, title: string, description: string) => {
    if (!byName.has(tool)) return;
    const meta = { title, description, mimeType: MIME };
    server.registerResource(name, uri, meta, (u, ctx) => read(tool, {}, u.href, ctx.mcpReq.signal));
    listed.push({ uri, name, ...meta });
  };
  fixed(
    'changes',
    CHANGES_URI,
    'hostaway_whats_new',
    "What's new",
    'New bookings, changes, cancellations and guest messages of the last 24 hours, oldest first. Subscribe to hear when it grows.',
  );
  fixed(
    'inbox',
    INBOX_URI,
    'hostaway_inbox_triage',
    'Inbox: guests waiting for a reply',
    'Who waits for a reply, most urgent first. Subscribe to hear when a guest writes.',
  );
  if (byName.has('hostaway_get_reservation'))
    server.registerResource(
      'reservation',
      new ResourceTemplate(`${RESERVATION_URI_PREFIX}{id}`, { list: undefined }),
      {
        title: 'Reservation',
        description:
          'One reservation: guest, stay, channel, money, status. Subscribe to hear when it changes or its guest writes.',
        mimeType: MIME,
      },
      (uri, variables, ctx) => {
        const raw = String(variables.id ?? '');
        if (!/^\d{1,12}$/.test(raw) || Number(raw) < 1)
          throw new ResourceNotFoundError(
            uri.href,
            `No reservation "${raw}": reservation ids are whole numbers`,
          );
        return read('hostaway_get_reservation', { reservationId: Number(raw) }, uri.href, ctx.mcpReq.signal);
      },
    );
  server.server.registerCapabilities({ resources: { subscribe: true } });

  if (!options.notifies) return listed;
  const subscribed = new Set<string>();
  if (options.era === 'legacy') {
    server.server.setRequestHandler('resources/subscribe', async (request) => {
      subscribed.add(request.params.uri);
      return {};
    });
    server.server.setRequestHandler('resources/unsubscribe', async (request) => {
      subscribed.delete(request.params.uri);
      return {};
    });
  }
  // Notices name these resources, which read one account: another account's changes are not theirs.
  const mine = resourceAccountId(runtime, options.caller);
  const stop = runtime.changes.hub.listen((change) => {
    if (change.account !== mine) return;
    for (const uri of resourcesTouched(change)) {
      // On a 2026-era connection every notice goes out and the SDK's router keeps those a subscription asked for.
      if (options.era === 'legacy' && !subscribed.has(uri)) continue;
      server.server.sendResourceUpdated({ uri }).catch((err: unknown) => {
        runtime.logger.debug({ err: String(err), uri }, 'resource update notice not sent');
      });
    }
  });
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
  return listed;
}
