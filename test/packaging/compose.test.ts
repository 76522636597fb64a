/**
 * compose.yaml, without a Docker engine: valid against the Compose Specification's rules, wired
 * consistently (the server's settings match the sandbox's, PostgreSQL's and Redis's), and run outside
 * containers: the sandbox service's command and two replicas of the image's command with the server
 * service's environment, service names mapped to this machine (the sandbox on a free port, PostgreSQL
 * to the test database in a schema of its own), where a write previewed on one replica is confirmed on
 * the other through the shared PostgreSQL store.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_REDIS_PREFIX } from '../../src/stores/redis-token-store.js';
import { healthcheck, parseDockerfile, type Stage, stageCommand, stageEnv } from '../helpers/dockerfile.js';
import { schemaValidator } from '../helpers/json-schema.js';
import { ROOT as root, runHere, stop, waitFor } from '../helpers/processes.js';
import { REDIS_URL, removeKeys, testRedis } from '../helpers/shared-redis.js';
import { DATABASE_URL, freshStoreSpec } from '../helpers/stores.js';

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

// Compose reads YAML merge keys (`<<: *image`).
const raw = parse(readFileSync(join(root, 'compose.yaml'), 'utf8'), { merge: true }) as Compose;

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` from `env`. */
function interpolate<T>(value: T, env: Record<string, string>): T {
  if (typeof value === 'string')
    return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const set = env[name];
      if (set) return set;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    }) as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

const token = randomBytes(18).toString('hex');
const compose = interpolate(raw, {
  MCP_AUTH_TOKEN: token,
  HOSTAWAY_TOKEN_KEY: randomBytes(32).toString('hex'),
});
const { mcp, sandbox, postgres, redis } = compose.services as Record<string, Service>;
const image = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8')).stages.at(-1) as Stage;

/** A flag's value in an argv. */
const flag = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];

describe('compose.yaml', () => {
  const validate = schemaValidator(join(root, 'test/fixtures/schemas/compose-spec-subset.schema.json'));

  it('is valid against the Compose Specification, which catches a misspelt or misplaced key', () => {
    expect(validate(raw)).toEqual([]);
    const broken = [
      (c: Compose) => Object.assign(c.services.mcp!, { enviroment: {} }),
      (c: Compose) => Object.assign(c.services.mcp!.depends_on!.redis!, { condition: 'healthy' }),
      (c: Compose) => Object.assign(c.services.redis!.healthcheck!, { every: '5s' }),
      (c: Compose) => Object.assign(c, { service: {} }),
    ];
    for (const breakIt of broken) {
      const copy = structuredClone(raw);
      breakIt(copy);
      expect(validate(copy)).not.toEqual([]);
    }
  });

  it('refuses to start the server without MCP_AUTH_TOKEN, which the image needs on 0.0.0.0', () => {
    expect(() => interpolate(raw, {})).toThrow(/MCP_AUTH_TOKEN is required/);
    // Nor without the key that encrypts the access token the replicas share through Redis.
    expect(() => interpolate(raw, { MCP_AUTH_TOKEN: token })).toThrow(/HOSTAWAY_TOKEN_KEY is required/);
    expect(stageEnv(image).MCP_HTTP_HOST).toBe('0.0.0.0');
  });

  it('runs replicas of this image, one host port each, after the services they need are healthy', () => {
    expect(mcp?.build).toBe('.');
    expect(sandbox?.build).toBe('.');
    const replicas = mcp?.deploy?.replicas ?? 1;
    expect(replicas).toBeGreaterThanOrEqual(2);
    const [range = '', target] = (mcp?.ports?.[0] ?? '').split(/:(?=\d+$)/);
    const [from, to = from] = range.split('-').map(Number);
    expect(to! - from! + 1).toBe(replicas);
    expect(target).toBe(stageEnv(image).MCP_HTTP_PORT);
    expect(mcp?.depends_on).toEqual({
      sandbox: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    // Each dependency checks its own health; the server has the image's HEALTHCHECK.
    for (const s of [sandbox, postgres, redis]) expect(s?.healthcheck?.test[0]).toBe('CMD');
    expect(healthcheck(image)).toBeDefined();
    for (const s of Object.values(compose.services))
      for (const v of s.volumes ?? []) expect(Object.keys(compose.volumes)).toContain(v.split(':')[0]);
  });

  it("wires the server to the sandbox's account, PostgreSQL's database and Redis", () => {
    const env = mcp!.environment!;
    const argv = sandbox!.command!;
    expect(argv.slice(0, 3)).toEqual(['node', 'dist/cli.js', 'sandbox']);
    expect(new URL(env.HOSTAWAY_BASE_URL!)).toMatchObject({
      hostname: 'sandbox',
      port: flag(argv, '--port'),
      pathname: '/v1',
    });
    expect(flag(argv, '--host')).toBe('0.0.0.0');
    expect(env.HOSTAWAY_ACCOUNT_ID).toBe(flag(argv, '--account-id'));
    expect(env.HOSTAWAY_API_KEY).toBe(flag(argv, '--client-secret'));
    const db = new URL(env.DATABASE_URL!);
    const pgEnv = postgres!.environment!;
    expect(db).toMatchObject({
      hostname: 'postgres',
      port: '5432',
      username: pgEnv.POSTGRES_USER,
      password: pgEnv.POSTGRES_PASSWORD,
      pathname: `/${pgEnv.POSTGRES_DB}`,
    });
    expect(new URL(env.REDIS_URL!)).toMatchObject({ protocol: 'redis:', hostname: 'redis', port: '6379' });
    expect(redis?.command).toContain('--appendonly');
    // The server takes these settings: live mode, on the sandbox, with the shared PostgreSQL store.
    const config = loadConfig({ env: { ...stageEnv(image), ...env }, envFile: '/dev/null' });
    expect(config.mode).toBe('live');
    expect(config.client.baseUrl).toBe(env.HOSTAWAY_BASE_URL);
    expect(config.writeStore).toEqual({ kind: 'postgres', url: env.DATABASE_URL });
    expect(config.writes).toBe(true);
    expect(config.redisUrl).toBe(env.REDIS_URL);
    expect(config.tokenKey).toHaveLength(32);
    // The replicas share Hostaway's rate budget through Redis; alone, each takes its share of it.
    expect(config.sharedBudget).toEqual({ url: env.REDIS_URL, replicas: mcp!.deploy!.replicas });
  });
});

describe('compose.yaml run outside containers: the sandbox and two replicas on one PostgreSQL store', () => {
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'hostaway-compose-'));
  const store = freshStoreSpec('postgres');
  const origins: string[] = [];

  /** Starts an argv read from the files and waits for `pattern` on its output. */
  function start(argv: string[], env: Record<string, string>, pattern: RegExp): Promise<string> {
    const child = runHere(argv, { PATH: process.env.PATH ?? '', HOME: scratch, ...env });
    children.push(child);
    return waitFor(child, pattern);
  }

  beforeAll(async () => {
    const schema = store.spec.kind === 'postgres' ? (store.spec.schema as string) : '';
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();

    // The sandbox service's own command, on a free port.
    const argv = sandbox!.command!.map((a, i, all) => (all[i - 1] === '--port' ? '0' : a));
    const sandboxUrl = await start(argv, {}, /listening on (http:\/\/\S+\/v1)/);
    const sandboxPort = new URL(sandboxUrl).port;

    // Service names and container paths mapped to this machine; everything else as compose sets it.
    const env = {
      ...stageEnv(image),
      ...mcp!.environment!,
      HOSTAWAY_BASE_URL: mcp!.environment!.HOSTAWAY_BASE_URL!.replace(
        'sandbox:4010',
        `127.0.0.1:${sandboxPort}`,
      ),
      DATABASE_URL: `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      REDIS_URL,
      HOSTAWAY_DATA_DIR: join(scratch, 'data'),
      MCP_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    };
    for (let i = 0; i < (mcp!.deploy!.replicas ?? 1); i++) {
      const url = await start(
        stageCommand(image),
        { ...env, HOSTAWAY_TOKEN_FILE: join(scratch, `token-${i}.json`) },
        /"url":"(http:\/\/[^"]+)"/,
      );
      origins.push(new URL(url).origin.replace('0.0.0.0', '127.0.0.1'));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map(stop));
    await store.cleanup();
    // What the replicas left in Redis under the deployment's prefix for the compose account.
    const redis = testRedis();
    await removeKeys(redis, `${DEFAULT_REDIS_PREFIX}:token:${mcp!.environment!.HOSTAWAY_ACCOUNT_ID}`);
    await redis.quit();
    rmSync(scratch, { recursive: true, force: true });
  });

  const connect = async (origin: string) => {
    const client = new Client({ name: 'compose-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  };

  it('serves live mode on every replica, connected to the sandbox with the configured account', async () => {
    expect(origins).toHaveLength(2);
    for (const origin of origins) {
      expect(await (await fetch(`${origin}/health`)).json()).toMatchObject({ status: 'ok', mode: 'live' });
      const ready = (await (await fetch(`${origin}/ready`)).json()) as { checks: Record<string, unknown> };
      expect(ready.checks.budget).toEqual({ ok: true });
      const client = await connect(origin);
      const status = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
      expect(status.structuredContent).toMatchObject({
        mode: 'live',
        connection: { state: 'live-ok' },
        accountId: mcp!.environment!.HOSTAWAY_ACCOUNT_ID,
      });
      await client.close();
    }
  });

  it('the replicas share one access token through Redis: one minted it, the other uses it', async () => {
    const sources: unknown[] = [];
    for (const origin of origins) {
      const client = await connect(origin);
      const status = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
      sources.push((status.structuredContent as { token: { source: string } }).token.source);
      await client.close();
    }
    expect(sources.sort()).toEqual(['minted', 'shared']);
  });

  it('confirms on one replica a write previewed on the other: they share the PostgreSQL store', async () => {
    const [a, b] = await Promise.all(origins.map(connect));
    try {
      const listings = await a!.callTool({ name: 'hostaway_search_listings', arguments: { limit: 1 } });
      const [listing] = (listings.structuredContent as { listings: Array<{ id: number }> }).listings;
      const args = { title: 'Compose check', listingId: listing!.id };
      const preview = await a!.callTool({ name: 'hostaway_create_task', arguments: args });
      const previewed = preview.structuredContent as { status: string; confirmationId: string };
      expect(previewed.status).toBe('preview');
      const done = await b!.callTool({
        name: 'hostaway_create_task',
        arguments: { ...args, confirmationId: previewed.confirmationId },
      });
      expect(done.structuredContent).toMatchObject({
        status: 'done',
        result: { taskId: expect.any(Number) },
      });
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });
});
