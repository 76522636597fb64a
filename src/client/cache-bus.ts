/**
 * Cache invalidations between replicas. Each replica keeps its own read cache (a hit costs no round
 * trip); a write through any of them drops the kinds of read it touched on all of them, through a bus.
 *
 * Why a broadcast and not versioned keys in a shared store: with versions, every read, hits included,
 * would first ask Redis for the namespace's version, which is most of what the local cache saves. A
 * broadcast costs one message per write and nothing per read. What it gives up: a message can be lost
 * while a replica's connection is down; the bus then tells the replica to drop everything once it is
 * back (a `resync`), and the TTLs bound staleness in any case. Within one replica an invalidation also
 * bumps a generation counter, so that a read in flight when it arrives is not cached afterwards.
 *
 * Messages are small: the namespaces and who sent them, never a response body.
 */
import * as z from 'zod';
import { type CacheNamespace, DEFAULT_TTLS_MS } from './options.js';

export const CACHE_NAMESPACES = Object.keys(DEFAULT_TTLS_MS) as CacheNamespace[];

export interface CacheInvalidation {
  /** The kinds of read to drop. */
  namespaces: CacheNamespace[];
  /** The sending client's instance id, so that it can pass over its own message. */
  source: string;
}

export type CacheInvalidationHandler = (invalidation: CacheInvalidation) => void;

export interface CacheBus {
  /** Tells the other replicas; never throws (a failure is the bus's to log). */
  publish(invalidation: CacheInvalidation): Promise<void>;
  /** Calls `handler` for each invalidation from anyone; returns how to stop. */
  subscribe(handler: CacheInvalidationHandler): () => void;
}

/** One replica alone: nobody to tell, nothing to hear. */
export const noCacheBus: CacheBus = {
  publish: async () => {},
  subscribe: () => () => {},
};

/** The longest message read; anything longer is not ours. */
export const MAX_INVALIDATION_BYTES = 1_024;

const Wire = z.object({
  v: z.literal(1),
  s: z.string().max(100),
  ns: z.array(z.string()).max(CACHE_NAMESPACES.length * 2),
});

export function encodeInvalidation(invalidation: CacheInvalidation): string {
  return JSON.stringify({ v: 1, s: invalidation.source, ns: invalidation.namespaces });
}

/** The invalidation a message carries, with unknown namespaces left out; undefined when it is not one. */
export function decodeInvalidation(message: string): CacheInvalidation | undefined {
  if (message.length > MAX_INVALIDATION_BYTES) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const wire = Wire.safeParse(parsed);
  if (!wire.success) return undefined;
  const known = new Set<string>(CACHE_NAMESPACES);
  return {
    source: wire.data.s,
    namespaces: wire.data.ns.filter((n): n is CacheNamespace => known.has(n)),
  };
}

/** What a bus hands its subscribers when messages may have been lost (a reconnect): drop everything. */
export function resyncInvalidation(): CacheInvalidation {
  return { namespaces: [...CACHE_NAMESPACES], source: '' };
}
