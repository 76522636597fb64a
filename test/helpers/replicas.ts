/**
 * Replicas of the HTTP server as separate processes on one Redis (a server of the caller's own, from
 * ./redis.js), against one sandbox: for the three-replica test and the benchmark that reports its figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Sandbox } from '../../src/sandbox/index.js';
import { ROOT, waitFor } from './processes.js';
import { DATABASE_URL } from './stores.js';

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await gone;
}

export interface Replica {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
}

/** One replica in live mode against the sandbox, sharing through the Redis at `redisPort`. */
export async function startReplica(
  sandbox: Sandbox,
  options: {
    redisPort: number;
    tokenKey: string;
    windowMs: number;
    replicas: number;
    /** The write store the replicas share (PostgreSQL); several replicas with writes on need one. */
    databaseUrl: string;
  },
): Promise<Replica> {
  const child = spawn(process.execPath, ['dist/cli.js', 'http', '--port', '0'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
      HOSTAWAY_API_KEY: sandbox.clientSecret,
      HOSTAWAY_BASE_URL: sandbox.url,
      HOSTAWAY_TOKEN_FILE: '/dev/null/none',
      HOSTAWAY_RATE_WINDOW_MS: String(options.windowMs),
      HOSTAWAY_RATE_LIMIT_PER_IP: '15',
      HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '20',
      HOSTAWAY_WRITES: 'true',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${options.redisPort}`,
      HOSTAWAY_REPLICAS: String(options.replicas),
      HOSTAWAY_TOKEN_KEY: options.tokenKey,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await waitFor(child, /"url":"(http:\/\/[^"]+)"/);
  // The pipe is drained from here on: a replica must never block on its log.
  child.stderr?.resume();
  return { child, base: url.replace(/\/mcp$/, '') };
}

/**
 * What Hostaway saw from `since` on: requests, 429s, tokens minted, and the least time the limits
 * allow them (every request counts per IP, 15 a window: request k starts no sooner than floor(k/15)
 * windows in) beside the time they took.
 */
export function upstreamSince(sandbox: Sandbox, since: number, windowMs: number, perIp = 15) {
  const log = sandbox.requests.list(since);
  const minted = log.filter((e) => e.method === 'POST' && e.path === '/v1/accessTokens').length;
  const tooMany = log.filter((e) => e.status === 429).length;
  const leastMs = Math.floor((log.length - 1) / perIp) * windowMs;
  const spanMs = log.length > 1 ? (log.at(-1)?.at ?? 0) - (log[0]?.at ?? 0) : 0;
  return { count: log.length, minted, tooMany, leastMs, spanMs };
}

/** A PostgreSQL schema of the caller's own for the replicas' write store, and its removal. */
export async function sharedWriteStore(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `replicas_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    url: `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** A REST read of one reservation through a replica. */
export const getReservation = (r: Replica, id: number) =>
  fetch(`${r.base}/api/v1/get_reservation?reservationId=${id}`).then(async (res) => ({
    status: res.status,
    body: await res.text(),
  }));
