/**
 * What the endpoint families share (listings.ts, reservations.ts, conversations.ts, operations.ts,
 * webhooks.ts): the one request spec the client's call path takes, the page shapes, and the walk through
 * an offset-paged list. Each family is a function of the client's `call`, so that it never sees the
 * token, the budget or the cache.
 */
import * as z from 'zod';
import type { Reservation } from '../hostaway/schemas.js';
import type { CacheNamespace } from './options.js';
import type { RawRequest } from './transport.js';

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined | null;
export type Query = Record<string, QueryValue>;

/** One request through the call path. */
export interface CallSpec<S extends z.ZodType> {
  method: RawRequest['method'];
  path: string;
  query?: Query;
  json?: unknown;
  form?: Query;
  /** Schema of the whole parsed body. */
  schema: S;
  /** What this is, in words, for messages: "listing 40160", "the reservations list". */
  what: string;
  /** Safe to send twice (GET, PUT of absolute values, DELETE). */
  idempotent: boolean;
  cache?: CacheNamespace;
  invalidates?: readonly CacheNamespace[];
  signal?: AbortSignal;
  /** Finance CSV: the body is text, not an envelope. */
  text?: boolean;
}

/** The client's call path, as the endpoint families use it. */
export type Call = <S extends z.ZodType>(spec: CallSpec<S>) => Promise<z.output<S>>;

export interface Page<T> {
  items: T[];
  /** Records matching the filters, as Hostaway counts them. */
  count: number | null;
  limit: number | null;
  offset: number | null;
}

export interface ReservationPage extends Page<z.infer<typeof Reservation>> {
  /** Pass as `afterId` for the next page; null on the last page. */
  nextCursor: number | null;
}

/** How one read is made. */
export interface ReadOptions {
  /** Past the cache, straight to Hostaway (the poller, which looks for what changed). */
  fresh?: boolean;
}

export interface WalkOptions {
  /** Stop after this many items (a hard cap, whatever the account holds). */
  maxItems?: number;
  pageSize?: number;
  onProgress?: (progress: { fetched: number; total: number | null; pages: number }) => void;
  signal?: AbortSignal;
}

/** A write's answer when only its success matters. */
export const AnyEnvelope = z.looseObject({ status: z.literal('success') });

export function page<T>(envelope: {
  result: T[];
  count?: number | null;
  limit?: number | null;
  offset?: number | null;
}): Page<T> {
  return {
    items: envelope.result,
    count: envelope.count ?? null,
    limit: envelope.limit ?? null,
    offset: envelope.offset ?? null,
  };
}

/** Walks an offset-paged list to the end or to `maxItems`. */
export async function walkOffset<T>(
  fetchPage: (limit: number, offset: number, signal?: AbortSignal) => Promise<Page<T>>,
  options: WalkOptions,
) {
  const pageSize = options.pageSize ?? 100;
  const max = options.maxItems ?? 5_000;
  const items: T[] = [];
  let pages = 0;
  let total: number | null = null;
  for (let offset = 0; items.length < max; offset += pageSize) {
    const p = await fetchPage(pageSize, offset, options.signal);
    pages++;
    total ??= p.count;
    items.push(...p.items.slice(0, max - items.length));
    options.onProgress?.({ fetched: items.length, total, pages });
    if (p.items.length < pageSize || (total !== null && offset + pageSize >= total)) break;
  }
  return { items, total, truncated: total !== null && items.length < total };
}
