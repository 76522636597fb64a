/**
 * The server's configuration, from (highest first) command-line flags, the environment, and a `.env`
 * file; validated once at start, with errors that name the setting to fix. Secrets may come from files
 * (`HOSTAWAY_API_KEY_FILE`, `MCP_AUTH_TOKEN_FILE`) so that they need not sit in the environment; named
 * tokens come from their own file (`MCP_TOKENS_FILE`), which may hold only their SHA-256.
 *
 * No Hostaway credentials means demo mode: the built-in sandbox starts inside the process.
 */
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import * as z from 'zod';
import { type AccountSpec, loadAccountsFile } from './accounts.js';
import { type ClientOptionsInput, DEFAULT_TTLS_MS } from './client/options.js';
import { parseTokenKey } from './client/token-crypto.js';
import { LOG_LEVELS } from './logging.js';
import { hashToken, loadTokensFile } from './server/auth/tokens-file.js';
import { type AuthSettings, DEFAULT_OAUTH_SCOPES, isSecureUrl } from './server/auth/types.js';
import { TOOLSETS, type Toolset } from './tools/define.js';
import { DEFAULT_WRITE_SETTINGS, type WriteSettings } from './writes/engine.js';
import type { WriteStoreSpec } from './writes/open.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const bool = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
      return z.NEVER;
    });

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number from ${min} to ${max}, got "${v}"`,
        });
        return z.NEVER;
      }
      return Number(v);
    });

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * A tool call's overall deadline: above the rate queue's longest wait (60 s) plus one request's read
 * deadline (30 s), so that it ends calls stuck in retries, not ordinary slow ones.
 */
export const DEFAULT_TOOL_DEADLINE_MS = 120_000;

export const APP_VIEW_MODES = ['auto', 'always', 'off'] as const;
export type AppViewMode = (typeof APP_VIEW_MODES)[number];

/** The settings read from the environment (and .env, and flags mapped onto the same names). */
const Settings = z.object({
  HOSTAWAY_ACCOUNT_ID: z.string().optional(),
  HOSTAWAY_API_KEY: z.string().optional(),
  /** Several accounts in one server: a JSON file naming each (src/accounts.ts). */
  HOSTAWAY_ACCOUNTS_FILE: z.string().optional(),
  HOSTAWAY_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'HOSTAWAY_BASE_URL must be an http(s) URL' })
    .optional(),
  HOSTAWAY_TOKEN_FILE: z.string().optional(),
  HOSTAWAY_READ_ONLY: bool('HOSTAWAY_READ_ONLY'),
  HOSTAWAY_WRITES: bool('HOSTAWAY_WRITES'),
  HOSTAWAY_TOOLSETS: list,
  HOSTAWAY_DATA_DIR: z.string().optional(),
  HOSTAWAY_WRITE_STORE: z
    .enum(['memory', 'embedded', 'postgres'], {
      error: 'HOSTAWAY_WRITE_STORE must be memory, embedded or postgres',
    })
    .optional(),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' })
    .optional(),
  /** Redis for what replicas share: the rate budget, the access token, cache invalidations (src/stores). */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// or rediss:// URL' })
    .optional(),
  /** Replicas sharing the account: each takes 1/N of the budget while Redis is out of reach. */
  HOSTAWAY_REPLICAS: int('HOSTAWAY_REPLICAS', 1, 1_000),
  HOSTAWAY_CONFIRM_TTL_SECONDS: int('HOSTAWAY_CONFIRM_TTL_SECONDS', 10, 86_400),
  HOSTAWAY_WRITE_LEASE_MS: int('HOSTAWAY_WRITE_LEASE_MS', 100, 3_600_000),
  HOSTAWAY_RATE_LIMIT_PER_IP: int('HOSTAWAY_RATE_LIMIT_PER_IP', 1, 1_000_000),
  HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: int('HOSTAWAY_RATE_LIMIT_PER_ACCOUNT', 1, 1_000_000),
  /** The limits' window; Hostaway's is 10 s. Other values are for time-scaled tests and benchmarks. */
  HOSTAWAY_RATE_WINDOW_MS: int('HOSTAWAY_RATE_WINDOW_MS', 100, 3_600_000),
  HOSTAWAY_MAX_IN_FLIGHT: int('HOSTAWAY_MAX_IN_FLIGHT', 1, 100),
  HOSTAWAY_TIMEOUT_MS: int('HOSTAWAY_TIMEOUT_MS', 100, 600_000),
  HOSTAWAY_TOOL_DEADLINE_MS: int('HOSTAWAY_TOOL_DEADLINE_MS', 1_000, 3_600_000),
  HOSTAWAY_CACHE: bool('HOSTAWAY_CACHE'),
  HOSTAWAY_SANDBOX_SEED: int('HOSTAWAY_SANDBOX_SEED', 0, 2 ** 31 - 1),
  HOSTAWAY_SANDBOX_LISTINGS: int('HOSTAWAY_SANDBOX_LISTINGS', 1, 2000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of: ${LOG_LEVELS.join(', ')}` }).optional(),
  MCP_HTTP_HOST: z.string().optional(),
  MCP_HTTP_PORT: int('MCP_HTTP_PORT', 0, 65_535),
  MCP_AUTH_TOKEN: z.string().optional(),
  MCP_ALLOWED_ORIGINS: list,
  MCP_ALLOWED_HOSTS: list,
  MCP_SHUTDOWN_GRACE_SECONDS: int('MCP_SHUTDOWN_GRACE_SECONDS', 0, 3_600),
  MCP_APPS: z
    .enum(APP_VIEW_MODES, { error: `MCP_APPS must be one of: ${APP_VIEW_MODES.join(', ')}` })
    .optional(),
  MCP_TOKENS_FILE: z.string().optional(),
  MCP_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'MCP_PUBLIC_URL must be an http(s) URL' }).optional(),
  MCP_OAUTH_ISSUER: z
    .url({ protocol: /^https?$/, error: 'MCP_OAUTH_ISSUER must be an http(s) URL' })
    .optional(),
  MCP_OAUTH_AUDIENCE: list,
  MCP_OAUTH_JWKS_URL: z
    .url({ protocol: /^https?$/, error: 'MCP_OAUTH_JWKS_URL must be an http(s) URL' })
    .optional(),
  MCP_OAUTH_SCOPE_READ: z.string().optional(),
  MCP_OAUTH_SCOPE_WRITE: z.string().optional(),
  /** Encrypts the access token wherever replicas share it: 32 bytes, 64 hex digits or base64. */
  HOSTAWAY_TOKEN_KEY: z.string().optional(),
  /** The credentials Hostaway's webhook sends (Basic auth): set both to turn the receiver on. */
  HOSTAWAY_WEBHOOK_LOGIN: z.string().optional(),
  HOSTAWAY_WEBHOOK_PASSWORD: z.string().optional(),
  /** The polling fallback's interval (0: off); 60 s without webhooks, 15 min beside them. */
  HOSTAWAY_POLL_SECONDS: int('HOSTAWAY_POLL_SECONDS', 0, 86_400),
  /** The share of each rate window the poller may use, in percent. */
  HOSTAWAY_POLL_SHARE_PERCENT: int('HOSTAWAY_POLL_SHARE_PERCENT', 1, 50),
  HOSTAWAY_CHANGES_RETENTION_DAYS: int('HOSTAWAY_CHANGES_RETENTION_DAYS', 1, 365),
  HOSTAWAY_CHANGES_MAX: int('HOSTAWAY_CHANGES_MAX', 100, 1_000_000),
});

export interface Config {
  mode: 'live' | 'sandbox';
  /**
   * The Hostaway accounts served, in order (the first is `client`'s): one named "default" from
   * HOSTAWAY_ACCOUNT_ID/HOSTAWAY_API_KEY, several from HOSTAWAY_ACCOUNTS_FILE, none in demo mode (the
   * runtime adds "demo", the sandbox's account).
   */
  accounts: AccountSpec[];
  /** Passed to the Hostaway client (in sandbox mode, the sandbox's URL and demo credentials fill it in). */
  client: Omit<ClientOptionsInput, 'accountId' | 'apiKey' | 'baseUrl'> & {
    accountId?: string;
    apiKey?: string;
    baseUrl?: string;
  };
  readOnly: boolean;
  /**
   * Whether write tools are offered: off by default in live mode, on in demo mode (on the sandbox);
   * read-only mode turns them off whatever this says.
   */
  writes: boolean;
  /** The tool families offered. */
  toolsets: Toolset[];
  /** Where previews, outcomes and the audit log are kept. */
  writeStore: WriteStoreSpec;
  /**
   * Hostaway's rate budget shared by the replicas through Redis (REDIS_URL); `replicas` sizes each
   * one's share while Redis is out of reach. Unset: the budget is this process's own.
   */
  sharedBudget: { url: string; replicas: number } | undefined;
  writeSettings: WriteSettings;
  /** Longest one tool call may take, all its upstream requests, waits and retries included. */
  toolDeadlineMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  sandbox: { seed: number; listings: number };
  http: {
    host: string;
    port: number;
    /** Required whenever the server listens beyond loopback. */
    authToken: string | undefined;
    allowedOrigins: string[];
    allowedHosts: string[];
    /** On SIGTERM, how long calls in flight may take to finish before the server closes anyway. */
    shutdownGraceMs: number;
  };
  /**
   * Who may call over HTTP: MCP_AUTH_TOKEN (also in `http.authToken`), MCP_TOKENS_FILE's named tokens,
   * OAuth access tokens; see src/server/auth.
   */
  auth: AuthSettings;
  /**
   * The interactive views (MCP Apps): `auto` offers them to clients that declare the extension, `always`
   * also to clients whose declaration this server cannot see (2025-era HTTP, stateless), `off` never.
   */
  appViews: AppViewMode;
  /** Redis, where replicas share state (live mode: the access token and cache invalidations). */
  redisUrl: string | undefined;
  /** HOSTAWAY_TOKEN_KEY: encrypts the shared access token (AES-256-GCM); required with REDIS_URL in live mode. */
  tokenKey: Buffer | undefined;
  /** How the server learns of account changes: webhooks (HTTP), a low-rate poll, or both. */
  changes: ChangesSettings;
}

export interface ChangesSettings {
  /** The Basic credentials Hostaway sends; the receiver is off without them. */
  webhook: { login: string; password: string } | undefined;
  /** Null: no polling. */
  pollEveryMs: number | null;
  /** The share of each rate window a look may take (0.1: a tenth). */
  pollShare: number;
  retention: { maxAgeMs: number; maxCount: number };
}

/** Webhooks when credentials are set; polling every minute without them, every 15 minutes beside them. */
function changesSettings(s: z.output<typeof Settings>, problems: string[]): ChangesSettings {
  const login = s.HOSTAWAY_WEBHOOK_LOGIN?.trim() || undefined;
  const password = s.HOSTAWAY_WEBHOOK_PASSWORD?.trim() || undefined;
  if (Boolean(login) !== Boolean(password))
    problems.push(
      'HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD go together: set both (the credentials the Hostaway webhook sends) or neither',
    );
  if (login?.includes(':'))
    problems.push('HOSTAWAY_WEBHOOK_LOGIN must not contain ":" (HTTP Basic credentials)');
  if (password !== undefined && password.length < 16)
    problems.push(
      'HOSTAWAY_WEBHOOK_PASSWORD must be at least 16 characters: it is all that guards the receiver',
    );
  const webhook = login && password ? { login, password } : undefined;
  const seconds = s.HOSTAWAY_POLL_SECONDS ?? (webhook ? 900 : 60);
  return {
    webhook,
    pollEveryMs: seconds === 0 ? null : seconds * 1000,
    pollShare: (s.HOSTAWAY_POLL_SHARE_PERCENT ?? 10) / 100,
    retention: {
      maxAgeMs: (s.HOSTAWAY_CHANGES_RETENTION_DAYS ?? 14) * 86_400_000,
      maxCount: s.HOSTAWAY_CHANGES_MAX ?? 10_000,
    },
  };
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Settings from command-line flags, under the environment names; they win over everything. */
  overrides?: Record<string, string | undefined>;
  /** A .env file; `.env` in the working directory when omitted and present. */
  envFile?: string;
}

/** Whether an IP address (IPv4, IPv6, IPv4-mapped IPv6; brackets allowed) is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  // The URL parser writes IPv6 in its shortest form: ::1, and ::ffff:7f00:1 for ::ffff:127.0.0.1.
  const short = new URL(`http://[${bare}]`).hostname.slice(1, -1);
  return short === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(short);
}

export type HostResolver = (host: string) => Promise<Array<{ address: string }>>;
const resolveAll: HostResolver = (host) => lookup(host, { all: true });

/**
 * Whether a listening host is loopback: an address literal is read as it is; a name is resolved, and
 * counts only when every address it resolves to is loopback (a name that does not resolve does not).
 */
export async function isLoopbackHost(host: string, resolve: HostResolver = resolveAll): Promise<boolean> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return isLoopbackAddress(bare);
  try {
    const addresses = await resolve(bare);
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
  } catch {
    return false;
  }
}

export function loadConfig(options: LoadOptions = {}): Config {
  const problems: string[] = [];
  const env = options.env ?? process.env;
  const fileValues = readEnvFile(options.envFile, problems);
  const raw: Record<string, string | undefined> = {
    ...fileValues,
    ...pick(env),
    ...dropUndefined(options.overrides ?? {}),
  };

  // Secrets from files: HOSTAWAY_API_KEY_FILE and friends.
  for (const name of [
    'HOSTAWAY_ACCOUNT_ID',
    'HOSTAWAY_API_KEY',
    'MCP_AUTH_TOKEN',
    'HOSTAWAY_TOKEN_KEY',
    'HOSTAWAY_WEBHOOK_PASSWORD',
  ]) {
    const file = raw[`${name}_FILE`];
    if (!file) continue;
    if (raw[name]) {
      problems.push(`${name} and ${name}_FILE are both set: keep one`);
      continue;
    }
    try {
      raw[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(
        `${name}_FILE: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }

  const parsed = Settings.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(issue.message);
    throw new ConfigError(problems);
  }
  const s = parsed.data;
  let accountId = s.HOSTAWAY_ACCOUNT_ID?.trim() || undefined;
  let apiKey = s.HOSTAWAY_API_KEY?.trim() || undefined;
  let accounts: AccountSpec[] = [];
  if (s.HOSTAWAY_ACCOUNTS_FILE) {
    if (accountId || apiKey)
      problems.push(
        'HOSTAWAY_ACCOUNTS_FILE is set and so is HOSTAWAY_ACCOUNT_ID or HOSTAWAY_API_KEY: name every account in the accounts file, or use the two settings for one account, not both',
      );
    else {
      const file = loadAccountsFile(s.HOSTAWAY_ACCOUNTS_FILE);
      if (!file.ok) problems.push(...file.problems);
      else {
        accounts = file.accounts;
        accountId = accounts[0]?.accountId;
        apiKey = accounts[0]?.apiKey;
        if (accounts.length > 1 && s.HOSTAWAY_TOKEN_FILE)
          problems.push(
            'HOSTAWAY_TOKEN_FILE is set with several accounts in HOSTAWAY_ACCOUNTS_FILE: each account keeps its token in its own file; unset HOSTAWAY_TOKEN_FILE',
          );
      }
    }
  } else if (accountId && apiKey) accounts = [{ name: 'default', accountId, apiKey }];
  if (accountId && !apiKey)
    problems.push(
      'HOSTAWAY_ACCOUNT_ID is set but HOSTAWAY_API_KEY is not: set both, or neither for demo mode',
    );
  if (apiKey && !accountId)
    problems.push(
      'HOSTAWAY_API_KEY is set but HOSTAWAY_ACCOUNT_ID is not: set both, or neither for demo mode',
    );
  if (accountId && !/^\d+$/.test(accountId))
    problems.push(`HOSTAWAY_ACCOUNT_ID must be the numeric account id, got "${accountId}"`);

  const host = s.MCP_HTTP_HOST ?? '127.0.0.1';
  const authToken = s.MCP_AUTH_TOKEN?.trim() || undefined;
  if (authToken !== undefined && authToken.length < 16)
    problems.push('MCP_AUTH_TOKEN must be at least 16 characters');
  const unknownSets = s.HOSTAWAY_TOOLSETS.filter((t) => !(TOOLSETS as readonly string[]).includes(t));
  if (unknownSets.length)
    problems.push(
      `HOSTAWAY_TOOLSETS names unknown toolsets (${unknownSets.join(', ')}): use any of ${TOOLSETS.join(', ')}`,
    );
  if (s.HOSTAWAY_WRITE_STORE === 'postgres' && !s.DATABASE_URL)
    problems.push('HOSTAWAY_WRITE_STORE is postgres but DATABASE_URL is not set');
  if (s.HOSTAWAY_REPLICAS !== undefined && !s.REDIS_URL)
    problems.push(
      'HOSTAWAY_REPLICAS is set but REDIS_URL is not: replicas share the rate budget through Redis (HOSTAWAY_REPLICAS only sizes the share each takes while Redis is out of reach)',
    );
  const auth = authSettings(s, authToken, problems);
  // A token limited to some accounts must name accounts this server serves ("demo" in demo mode).
  const served = accounts.length ? accounts.map((a) => a.name) : ['demo'];
  for (const t of auth.tokens ?? []) {
    const unknown = (t.accounts ?? []).filter((n) => !served.includes(n));
    if (unknown.length)
      problems.push(
        `MCP_TOKENS_FILE: token "${t.name}" names accounts this server does not serve (${unknown.join(', ')}): use any of ${served.join(', ')}`,
      );
  }
  const redisUrl = s.REDIS_URL?.trim() || undefined;
  const mode = accountId && apiKey ? 'live' : 'sandbox';
  const tokenKey = tokenKeySetting(s.HOSTAWAY_TOKEN_KEY, redisUrl, mode, problems);
  // "Never twice" across replicas needs one outbox: a confirmation claimed on one replica must be seen
  // as claimed on every other. Only PostgreSQL is shared; memory and the embedded file are per replica.
  // (In demo mode each replica has a sandbox, an account, of its own: nothing to share.)
  const writes = !(s.HOSTAWAY_READ_ONLY ?? false) && (s.HOSTAWAY_WRITES ?? mode === 'sandbox');
  if (
    mode === 'live' &&
    (s.HOSTAWAY_REPLICAS ?? 1) > 1 &&
    writes &&
    writeStoreSpec(s, mode, accountId).kind !== 'postgres'
  )
    problems.push(
      `HOSTAWAY_REPLICAS is ${s.HOSTAWAY_REPLICAS} with writes on: the replicas must share one write store, so that a confirmed change is made once whichever replica is asked; set DATABASE_URL (PostgreSQL), or turn writes off`,
    );
  const changes = changesSettings(s, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const windowMs = s.HOSTAWAY_RATE_WINDOW_MS ?? 10_000;
  const perIp = s.HOSTAWAY_RATE_LIMIT_PER_IP ?? (s.HOSTAWAY_RATE_WINDOW_MS ? 15 : undefined);
  const perAccount = s.HOSTAWAY_RATE_LIMIT_PER_ACCOUNT ?? (s.HOSTAWAY_RATE_WINDOW_MS ? 20 : undefined);
  const timeout = s.HOSTAWAY_TIMEOUT_MS;
  const tokenFile = (id: string) =>
    mode === 'live'
      ? accounts.length > 1
        ? defaultTokenFile(id)
        : (s.HOSTAWAY_TOKEN_FILE ?? defaultTokenFile(id))
      : undefined;
  return {
    mode,
    accounts: accounts.map((a) => ({ ...a, tokenFile: tokenFile(a.accountId) })),
    client: {
      accountId,
      apiKey,
      baseUrl: s.HOSTAWAY_BASE_URL,
      limits: {
        ...(perIp ? { perIp: { limit: perIp, windowMs } } : {}),
        ...(perAccount ? { perAccount: { limit: perAccount, windowMs } } : {}),
        // The margin is 1 % of Hostaway's 10 s window: it shrinks with a window scaled down (tests, benches).
        ...(s.HOSTAWAY_RATE_WINDOW_MS ? { marginMs: Math.max(1, Math.round(windowMs / 100)) } : {}),
        ...(s.HOSTAWAY_MAX_IN_FLIGHT ? { maxInFlight: s.HOSTAWAY_MAX_IN_FLIGHT } : {}),
      },
      ...(timeout ? { timeouts: { readMs: timeout } } : {}),
      // As many sockets as requests allowed at once: fewer would queue requests the budget allows.
      ...(s.HOSTAWAY_MAX_IN_FLIGHT ? { maxConnections: s.HOSTAWAY_MAX_IN_FLIGHT } : {}),
      cache: { enabled: s.HOSTAWAY_CACHE ?? true, ttlMs: { ...DEFAULT_TTLS_MS } },
      token: {
        // Live mode keeps the token between runs unless told otherwise; the sandbox's tokens die with it.
        file: mode === 'live' ? (s.HOSTAWAY_TOKEN_FILE ?? defaultTokenFile(accountId as string)) : undefined,
      },
    },
    readOnly: s.HOSTAWAY_READ_ONLY ?? false,
    writes,
    toolsets: s.HOSTAWAY_TOOLSETS.length ? (s.HOSTAWAY_TOOLSETS as Toolset[]) : [...TOOLSETS],
    writeStore: writeStoreSpec(s, mode, accountId),
    sharedBudget: s.REDIS_URL ? { url: s.REDIS_URL, replicas: s.HOSTAWAY_REPLICAS ?? 1 } : undefined,
    writeSettings: {
      ...DEFAULT_WRITE_SETTINGS,
      ...(s.HOSTAWAY_CONFIRM_TTL_SECONDS ? { confirmTtlMs: s.HOSTAWAY_CONFIRM_TTL_SECONDS * 1000 } : {}),
      ...(s.HOSTAWAY_WRITE_LEASE_MS ? { leaseMs: s.HOSTAWAY_WRITE_LEASE_MS } : {}),
    },
    toolDeadlineMs: s.HOSTAWAY_TOOL_DEADLINE_MS ?? DEFAULT_TOOL_DEADLINE_MS,
    logLevel: s.LOG_LEVEL ?? 'info',
    sandbox: { seed: s.HOSTAWAY_SANDBOX_SEED ?? 42, listings: s.HOSTAWAY_SANDBOX_LISTINGS ?? 25 },
    http: {
      host,
      port: s.MCP_HTTP_PORT ?? 3000,
      authToken,
      allowedOrigins: s.MCP_ALLOWED_ORIGINS,
      allowedHosts: s.MCP_ALLOWED_HOSTS,
      shutdownGraceMs: (s.MCP_SHUTDOWN_GRACE_SECONDS ?? 10) * 1000,
    },
    auth,
    appViews: s.MCP_APPS ?? 'auto',
    redisUrl,
    tokenKey,
    changes,
  };
}

/**
 * HOSTAWAY_TOKEN_KEY (or its _FILE), checked: 32 bytes. Replicas in live mode with REDIS_URL share one
 * access token through Redis, and a bearer token is never stored there in plain text, so the key is
 * required then. (Demo mode has a sandbox per process, whose tokens are not shared.)
 */
function tokenKeySetting(
  value: string | undefined,
  redisUrl: string | undefined,
  mode: 'live' | 'sandbox',
  problems: string[],
): Buffer | undefined {
  const text = value?.trim();
  if (text) {
    try {
      return parseTokenKey(text);
    } catch (err) {
      problems.push(`HOSTAWAY_TOKEN_KEY ${(err as Error).message}`);
      return undefined;
    }
  }
  if (redisUrl && mode === 'live')
    problems.push(
      'REDIS_URL is set, so the replicas share one Hostaway access token through Redis, encrypted: set HOSTAWAY_TOKEN_KEY (or HOSTAWAY_TOKEN_KEY_FILE) to 32 random bytes, e.g. the output of `openssl rand -hex 32`, the same on every replica',
    );
  return undefined;
}

/** Checks the HTTP settings that only matter when serving HTTP; says whether the host is loopback. */
export async function checkHttpConfig(
  config: Config,
  resolve: HostResolver = resolveAll,
): Promise<{ loopback: boolean }> {
  const loopback = await isLoopbackHost(config.http.host, resolve);
  const { auth } = config;
  if (!loopback && !config.http.authToken && !auth.token && !auth.tokens?.length && !auth.oauth)
    throw new ConfigError([
      `MCP_HTTP_HOST is ${config.http.host}, which is not a loopback address (nor a name that resolves only to loopback): set MCP_AUTH_TOKEN (at least 16 characters), MCP_TOKENS_FILE, or OAuth (MCP_OAUTH_ISSUER with MCP_PUBLIC_URL) so that only your clients can call the server`,
    ]);
  return { loopback };
}

/** RFC 6749 scope-token characters: printable ASCII but space, `"` and `\\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** MCP_AUTH_TOKEN, MCP_TOKENS_FILE and the OAuth settings, checked together. */
function authSettings(
  s: z.output<typeof Settings>,
  token: string | undefined,
  problems: string[],
): AuthSettings {
  const auth: AuthSettings = { tokens: [] };
  if (token !== undefined) auth.token = token;
  if (s.MCP_TOKENS_FILE) {
    const file = loadTokensFile(s.MCP_TOKENS_FILE);
    if (!file.ok) problems.push(...file.problems);
    else {
      auth.tokens = file.tokens;
      if (token !== undefined) {
        const digest = hashToken(token);
        const same = file.tokens.find((t) => t.sha256 === digest);
        if (same) problems.push(`MCP_AUTH_TOKEN is also in MCP_TOKENS_FILE (as "${same.name}"): keep one`);
        if (file.tokens.some((t) => t.name === 'default'))
          problems.push(
            'MCP_TOKENS_FILE names a token "default", the name MCP_AUTH_TOKEN goes by: rename it',
          );
      }
    }
  }

  const publicUrl = s.MCP_PUBLIC_URL;
  if (publicUrl !== undefined) {
    const u = new URL(publicUrl);
    if (!isSecureUrl(publicUrl))
      problems.push(`MCP_PUBLIC_URL must be https (http only on loopback), got "${publicUrl}"`);
    else if (u.pathname !== '/' || u.search || u.hash)
      problems.push(
        `MCP_PUBLIC_URL must be the server's public origin only, like https://mcp.example.com (the MCP endpoint is its /mcp), got "${publicUrl}"`,
      );
  }
  const issuer = s.MCP_OAUTH_ISSUER?.trim();
  if (issuer === undefined) {
    for (const name of [
      'MCP_OAUTH_AUDIENCE',
      'MCP_OAUTH_JWKS_URL',
      'MCP_OAUTH_SCOPE_READ',
      'MCP_OAUTH_SCOPE_WRITE',
    ] as const) {
      const value = s[name];
      if (value !== undefined && value.length > 0)
        problems.push(`${name} is set but MCP_OAUTH_ISSUER is not: set the issuer to turn OAuth on`);
    }
    return auth;
  }
  if (!isSecureUrl(issuer))
    problems.push(`MCP_OAUTH_ISSUER must be https (http only on loopback), got "${issuer}"`);
  if (/[?#]/.test(issuer)) problems.push('MCP_OAUTH_ISSUER must have no query or fragment (RFC 8414)');
  if (publicUrl === undefined)
    problems.push(
      'MCP_OAUTH_ISSUER is set but MCP_PUBLIC_URL is not: set MCP_PUBLIC_URL to the https origin clients reach this server at (tokens are issued for <MCP_PUBLIC_URL>/mcp)',
    );
  const jwksUrl = s.MCP_OAUTH_JWKS_URL;
  if (jwksUrl !== undefined && !isSecureUrl(jwksUrl))
    problems.push(`MCP_OAUTH_JWKS_URL must be https (http only on loopback), got "${jwksUrl}"`);
  const scopes = {
    read: s.MCP_OAUTH_SCOPE_READ?.trim() || DEFAULT_OAUTH_SCOPES.read,
    write: s.MCP_OAUTH_SCOPE_WRITE?.trim() || DEFAULT_OAUTH_SCOPES.write,
  };
  for (const [name, value] of [
    ['MCP_OAUTH_SCOPE_READ', scopes.read],
    ['MCP_OAUTH_SCOPE_WRITE', scopes.write],
  ] as const)
    if (!SCOPE_TOKEN.test(value))
      problems.push(
        `${name} must be one scope (printable, no spaces, quotes or backslashes), got "${value}"`,
      );
  if (scopes.read === scopes.write)
    problems.push(`MCP_OAUTH_SCOPE_READ and MCP_OAUTH_SCOPE_WRITE must differ (both are "${scopes.read}")`);
  if (publicUrl !== undefined)
    auth.oauth = {
      issuer,
      publicUrl: new URL(publicUrl).origin,
      ...(s.MCP_OAUTH_AUDIENCE.length ? { audience: s.MCP_OAUTH_AUDIENCE } : {}),
      ...(jwksUrl ? { jwksUrl } : {}),
      scopes,
    };
  return auth;
}

function writeStoreSpec(
  s: z.output<typeof Settings>,
  mode: 'live' | 'sandbox',
  accountId: string | undefined,
): WriteStoreSpec {
  const kind =
    s.HOSTAWAY_WRITE_STORE ?? (s.DATABASE_URL ? 'postgres' : mode === 'sandbox' ? 'memory' : 'embedded');
  if (kind === 'postgres') return { kind, url: s.DATABASE_URL as string };
  if (kind === 'memory') return { kind };
  const account = mode === 'sandbox' ? 'demo' : `account-${accountId}`;
  return { kind, dir: join(s.HOSTAWAY_DATA_DIR ?? defaultDataDir(), account) };
}

/** The per-user data directory, where each platform keeps application data. */
function defaultDataDir(): string {
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'hostaway-mcp');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'hostaway-mcp');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'hostaway-mcp');
}

function defaultTokenFile(accountId: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'hostaway-mcp', `token-${accountId}.json`);
}

function readEnvFile(path: string | undefined, problems: string[]): Record<string, string> {
  const file = path ?? '.env';
  if (!path && !existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    problems.push(
      `cannot read the env file "${file}" (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
    return {};
  }
}

function pick(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env))
    if (/^(HOSTAWAY_|MCP_|LOG_LEVEL$|DATABASE_URL$|REDIS_URL$)/.test(k)) out[k] = v;
  return out;
}

function dropUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
