/**
 * The Hostaway access token shared by replicas through Redis: one replica mints under a lock, the
 * others find the token stored and use it, so one account mints once however many replicas serve it.
 *
 * Keys, in the deployment's hash tag (one slot on a cluster):
 * - `<prefix>:token:<accountId>`: the token sealed with AES-256-GCM under HOSTAWAY_TOKEN_KEY, with the
 *   account id and the API key's fingerprint as associated data; it expires with the token.
 * - `<prefix>:token:<accountId>:lock`: the mint lock, `SET NX PX` with a value of its own holder's,
 *   renewed while held and released by compare-and-delete, so that a holder whose lock ran out never
 *   frees the next holder's.
 *
 * Never a bearer token in plain text: the store refuses to exist without a 32-byte key.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as z from 'zod';
import { openToken, sealToken, TOKEN_KEY_BYTES } from '../client/token-crypto.js';
import {
  credentialFingerprint,
  type StoredToken,
  type TokenLock,
  type TokenStore,
} from '../client/token-store.js';
import { type Logger, silentLogger } from '../logging.js';

/** The hash tag every key of ours lives under unless the deployment names another. */
export const DEFAULT_REDIS_PREFIX = '{hostaway-mcp}';

export interface RedisTokenStoreOptions {
  /** A connection in normal (not subscriber) mode; its owner closes it. */
  redis: Redis;
  /** HOSTAWAY_TOKEN_KEY: 32 bytes. */
  key: Buffer;
  accountId: string;
  apiKey: string;
  prefix?: string;
  /** The mint lock's lease; renewed every third of it while held. */
  lockTtlMs?: number;
  logger?: Logger;
}

const Sealed = z.object({
  accessToken: z.string().min(1),
  issuedAt: z.number(),
  expiresAt: z.number(),
});

/** SET the key to ARGV[2] (for ARGV[3] ms) only if it still holds ARGV[1] ('' for: nothing). */
const COMPARE_AND_REPLACE = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Deletes the lock only if this holder still has it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Extends the lock only if this holder still has it. */
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const MIN_KEY_TTL_MS = 1_000;

export class RedisTokenStore implements TokenStore {
  readonly kind = 'shared';
  readonly tokenKey: string;
  readonly lockKey: string;
  private readonly redis: Redis;
  private readonly key: Buffer;
  private readonly aad: string;
  private readonly lockTtlMs: number;
  private readonly logger: Logger;
  /** The last stored value reported as unusable, so that polling replicas say it once. */
  private reported: string | undefined;

  constructor(options: RedisTokenStoreOptions) {
    if (!Buffer.isBuffer(options.key) || options.key.length !== TOKEN_KEY_BYTES)
      throw new Error(
        'The shared token store needs HOSTAWAY_TOKEN_KEY (32 bytes: 64 hex digits or base64) to encrypt the access token; it never stores one in plain text',
      );
    this.redis = options.redis;
    this.key = options.key;
    const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.tokenKey = `${prefix}:token:${options.accountId}`;
    this.lockKey = `${this.tokenKey}:lock`;
    this.aad = `hostaway-mcp access token v1\0${options.accountId}\0${credentialFingerprint(options.accountId, options.apiKey)}`;
    this.lockTtlMs = options.lockTtlMs ?? 15_000;
    this.logger = options.logger ?? silentLogger;
  }

  async get(): Promise<StoredToken | undefined> {
    const raw = await this.redis.get(this.tokenKey);
    return raw === null ? undefined : this.open(raw, true);
  }

  async set(token: StoredToken): Promise<void> {
    await this.redis.set(this.tokenKey, this.seal(token), 'PX', keyTtl(token));
  }

  /**
   * Reads and decrypts what is stored, compares it with `expected`, and swaps in `next` by a script that
   * checks the stored bytes are still the ones read: atomic, though the comparison is of plaintexts.
   */
  async compareAndReplace(expected: string | undefined, next: StoredToken): Promise<boolean> {
    const raw = await this.redis.get(this.tokenKey);
    const current = raw === null ? undefined : this.open(raw, false)?.value;
    if (current !== expected) return false;
    const replaced = await this.redis.eval(
      COMPARE_AND_REPLACE,
      1,
      this.tokenKey,
      raw ?? '',
      this.seal(next),
      String(keyTtl(next)),
    );
    return replaced === 1;
  }

  async lock(): Promise<TokenLock | undefined> {
    const holder = randomBytes(16).toString('hex');
    const ttl = this.lockTtlMs;
    const taken = await this.redis.set(this.lockKey, holder, 'PX', ttl, 'NX');
    if (taken !== 'OK') return undefined;
    // A mint can wait for its budget turn longer than one lease: the lease is renewed while we hold
    // it, and runs out by itself ttl after this process dies.
    const renew = setInterval(
      () => {
        this.redis.eval(EXTEND, 1, this.lockKey, holder, String(ttl)).catch(() => {
          // Not renewed: it runs out, and another replica may mint; compare-and-replace keeps order.
        });
      },
      Math.max(1, Math.floor(ttl / 3)),
    );
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        try {
          await this.redis.eval(RELEASE, 1, this.lockKey, holder);
        } catch {
          // Not released: it runs out by itself.
        }
      },
    };
  }

  private seal(token: StoredToken): string {
    const plaintext = JSON.stringify({
      accessToken: token.value,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
    });
    return sealToken(this.key, this.aad, plaintext);
  }

  private open(raw: string, report: boolean): StoredToken | undefined {
    const opened = openToken(this.key, this.aad, raw);
    const parsed = opened.ok ? Sealed.safeParse(safeJson(opened.plaintext)) : undefined;
    if (parsed?.success)
      return {
        value: parsed.data.accessToken,
        issuedAt: parsed.data.issuedAt,
        expiresAt: parsed.data.expiresAt,
      };
    if (report && this.reported !== raw) {
      this.reported = raw;
      const reason = opened.ok ? 'format' : opened.reason;
      this.logger.warn(
        { audit: 'auth', event: 'token_shared_ignored', reason },
        reason === 'other_key'
          ? 'The shared access token was encrypted with another HOSTAWAY_TOKEN_KEY; a new one will be minted (give every replica the same key)'
          : reason === 'not_authentic'
            ? 'The shared access token is for other credentials or was altered; a new one will be minted'
            : 'The shared access token is unreadable; a new one will be minted',
      );
    }
    return undefined;
  }
}

/** The stored token lives as long as the token itself. */
function keyTtl(token: StoredToken): number {
  return Math.max(MIN_KEY_TTL_MS, Math.round(token.expiresAt - Date.now()));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
