/**
 * Redis for the tests: the server on this machine (a namespace of its own per test, its keys deleted
 * afterwards), and dedicated servers on spare ports for the tests that stop and start one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A budget namespace no other test (or run) uses. */
export const freshNamespace = (label: string) => `test-${label}-${randomBytes(5).toString('hex')}`;

/** Deletes every key of the namespaces. */
export async function dropNamespaces(namespaces: readonly string[], url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for (const ns of namespaces) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `{${ns}}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Keys of the namespace now. */
export async function keysOf(namespace: string, url = REDIS_URL): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.keys(`{${namespace}}:*`);
  } finally {
    redis.disconnect();
  }
}

/** A TCP port nothing listens on (now). */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const run = promisify(execFile);

/** A redis-server of its own on `port`, without persistence; resolves once it answers. */
export async function startRedisServer(port: number): Promise<void> {
  await run('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
  ]);
  for (let i = 0; i < 100; i++) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

/** Stops the redis-server on `port` (if it still runs). */
export function stopRedisServer(port: number): void {
  try {
    execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
  } catch {
    // already gone: redis-cli exits non-zero when the server closes the connection or is not there
  }
}

/**
 * The largest number of `times` inside any span of `spanMs` (half-open: [t, t + spanMs)), the measure
 * Hostaway's limits are written in.
 */
export function maxInAnySpan(times: readonly number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= spanMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
