/**
 * Resources: each listing's house facts at hostaway://listings/{id}, as a resource template whose id
 * completes from listing names, listed a page of listings at a time (after the fixed resources of
 * change-resources.ts), and read through the Hostaway client (its rate budget and cache apply, as for
 * a tool).
 */
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { HostawayError, scrubSecrets } from '../client/errors.js';
import type { ListedResource } from './change-resources.js';
import type { Completers } from './completions.js';
import { houseFacts, LISTING_URI_PREFIX, listingUri } from './house-facts.js';
import type { Runtime } from './runtime.js';

/** Listings per resources/list page: one Hostaway listings request each. */
export const LISTINGS_PAGE = 100;
const MIME = 'text/markdown';

export function registerResources(
  server: McpServer,
  runtime: Runtime,
  complete: Completers,
  /**
   * Fixed resources (the inbox, the changes feed, the views this caller renders), listed first on the
   * first page; asked when the list is answered, since whether views are listed depends on the caller.
   */
  fixed: () => readonly ListedResource[] = () => [],
): void {
  const deadline = (signal: AbortSignal) =>
    AbortSignal.any([signal, AbortSignal.timeout(runtime.config.toolDeadlineMs)]);

  /** One page of the account's listings as resources, from `offset`. */
  const page = async (offset: number, signal: AbortSignal) => {
    const p = await runtime.client.listings.list({ limit: LISTINGS_PAGE, offset }, deadline(signal));
    const next = offset + p.items.length;
    return {
      resources: p.items.map((l) => ({
        uri: listingUri(l.id),
        name: l.name,
        title: l.name,
        description: `House facts of ${l.name}${l.city ? ` in ${l.city}` : ''}: address, check-in and check-out, house rules, amenities, time zone, max guests`,
        mimeType: MIME,
      })),
      nextCursor:
        p.items.length > 0 && (p.count === null ? p.items.length === LISTINGS_PAGE : next < p.count)
          ? encodeCursor(next)
          : undefined,
    };
  };

  server.registerResource(
    'listing',
    new ResourceTemplate(`${LISTING_URI_PREFIX}{id}`, {
      // The first page; resources/list itself is answered below, page by page.
      list: async (ctx) => ({ resources: (await page(0, ctx.mcpReq.signal)).resources }),
      complete: { id: (value) => complete.listingIds(value) },
    }),
    {
      title: 'Listing house facts',
      description:
        "A listing's house facts for answering guests: address, check-in and check-out hours (local time), house rules, amenities, time zone, max guests. Door codes and wifi passwords are left out.",
      mimeType: MIME,
    },
    async (uri, variables, ctx) => {
      const raw = String(variables.id ?? '');
      if (!/^\d{1,12}$/.test(raw) || Number(raw) < 1)
        throw new ResourceNotFoundError(uri.href, `No listing "${raw}": listing ids are whole numbers`);
      try {
        const listing = await runtime.client.listings.get(Number(raw), deadline(ctx.mcpReq.signal));
        return { contents: [{ uri: uri.href, mimeType: MIME, text: houseFacts(listing) }] };
      } catch (err) {
        if (err instanceof HostawayError && err.kind === 'not_found')
          throw new ResourceNotFoundError(
            uri.href,
            `No listing ${raw} in this Hostaway account: resources/list or hostaway_search_listings gives the listing ids`,
          );
        throw failure(err, runtime, `reading ${uri.href}`);
      }
    },
  );

  // The SDK's resources/list answers the template's list callback in one piece, without a cursor. An
  // account may hold thousands of listings, so the list is paged here instead: the fixed resources
  // first, then the listings a page at a time.
  server.server.setRequestHandler('resources/list', async (request, ctx) => {
    const cursor = request.params?.cursor;
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    try {
      const listings = await page(offset, ctx.mcpReq.signal);
      return offset === 0 ? { ...listings, resources: [...fixed(), ...listings.resources] } : listings;
    } catch (err) {
      throw failure(err, runtime, 'listing the listings');
    }
  });
}

/** A failure as a protocol error that says what happened, never a secret; our own bugs logged, not told. */
function failure(err: unknown, runtime: Runtime, what: string): Error {
  if (err instanceof ProtocolError) return err;
  if (err instanceof HostawayError) {
    runtime.logger.warn({ outcome: err.kind, status: err.status, what }, 'resource request failed');
    return new ProtocolError(ProtocolErrorCode.InternalError, scrubSecrets(err.message, runtime.secrets));
  }
  runtime.logger.error({ err, what }, 'resource handler crashed');
  return new ProtocolError(
    ProtocolErrorCode.InternalError,
    `${what} failed unexpectedly; the server log has the details`,
  );
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    'Invalid cursor: pass the nextCursor of a resources/list answer',
  );
}
