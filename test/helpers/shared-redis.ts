/**
 * The Redis server on this machine, as the shared-state tests use it: a key prefix (hash tag) of each
 * run's own, whose keys are removed afterwards, and HTTP gates to hold an answer while a test acts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

import { REDIS_URL } from './redis.js';

export { REDIS_URL };

/** A hash tag of this run's own, like `{hostaway-mcp-test-1a2b3c4d5e6f}`. */
export function freshPrefix(): string {
  return `{hostaway-mcp-test-${randomBytes(6).toString('hex')}}`;
}

/** Removes every key under `prefix` (SCAN, never KEYS on a shared server). */
export async function removeKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) removed += await redis.del(...keys);
  } while (cursor !== '0');
  return removed;
}

export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export function testRedis(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
}

/**
 * A reverse proxy in front of the sandbox that can hold one answer: `holdNext(match)` makes the next
 * matching request go to the sandbox at once (so the sandbox answers from the data as it is then) and
 * keeps the answer until `release()`. `fetched` resolves once the held answer is in hand.
 */
export interface Gate {
  url: string;
  holdNext(match: (method: string, path: string) => boolean): {
    fetched: Promise<void>;
    release: () => void;
  };
  close(): Promise<void>;
}

export async function startGate(upstreamOrigin: string): Promise<Gate> {
  let pending:
    | { match: (method: string, path: string) => boolean; fetched: () => void; released: Promise<void> }
    | undefined;
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'x-request-id', 'user-agent'])
        if (typeof req.headers[name] === 'string') headers[name] = req.headers[name] as string;
      const path = req.url ?? '/';
      const hold = pending?.match(req.method ?? 'GET', path.split('?')[0] ?? path) ? pending : undefined;
      if (hold) pending = undefined;
      const upstream = await fetch(`${upstreamOrigin}${path}`, {
        method: req.method,
        headers,
        body: body.length > 0 ? body : undefined,
      });
      const text = await upstream.text();
      if (hold) {
        hold.fetched();
        await hold.released;
      }
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(text);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    holdNext(match) {
      let fetched!: () => void;
      let release!: () => void;
      const fetchedP = new Promise<void>((r) => {
        fetched = r;
      });
      const released = new Promise<void>((r) => {
        release = r;
      });
      pending = { match, fetched, released };
      return { fetched: fetchedP, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
