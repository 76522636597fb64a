/**
 * The client-credentials token (`POST /v1/accessTokens`, `_authentication.md`): minted once even when
 * many calls need it at the same moment, reused until shortly before it expires, replaced when Hostaway
 * rejects it, and optionally kept in a `TokenStore` (the docs ask clients to store tokens rather than
 * mint per request): an owner-only file, so that a restarted stdio server does not mint a new one, or a
 * store replicas share, so that one replica mints for all of them.
 *
 * Neither the API key nor the token is ever logged; every auth event leaves an audit line.
 */
import { AccessTokenResponse, OAuthErrorBody } from '../hostaway/schemas.js';
import type { Logger } from '../logging.js';
import { raceAbort } from './abort.js';
import { errorForStatus, HostawayError } from './errors.js';
import { FileTokenStore, type StoredToken, type TokenStore } from './token-store.js';
import type { RawRequest, RawResponse } from './transport.js';

export interface TokenManagerOptions {
  accountId: string;
  apiKey: string;
  /** Renew this long before expiry (capped at half the token's lifetime). */
  refreshMarginMs: number;
  /** The docs: a new token works 1 second after it is issued. */
  activationDelayMs: number;
  /** Where to keep the token between runs; none when undefined (and no `store` is given). */
  tokenFile: string | undefined;
  /** Where to keep the token instead of `tokenFile`: a store replicas share, say. */
  store?: TokenStore;
  /**
   * With a shared store: how long to wait for another replica's mint (it holds the lock) before giving
   * up with a retryable error. Two minutes by default: a mint may queue for its budget turn.
   */
  sharedWaitMs?: number;
  /** With a shared store: how often to look for the token another replica is minting. */
  sharedPollMs?: number;
  /** Sends the mint request (through the rate budget). */
  send: (req: RawRequest) => Promise<RawResponse>;
  logger: Logger;
  now?: () => number;
}

/** Where the held token came from: minted here, read from the file, or from the shared store. */
export type TokenSource = 'minted' | 'file' | 'shared';

interface HeldToken extends StoredToken {
  source: TokenSource;
}

export interface TokenState {
  state: 'none' | 'valid' | 'renewing_soon';
  source: TokenSource | null;
  expiresAt: string | null;
  mints: number;
}

const MIN_REMINT_BACKOFF_MS = 60_000;
const MAX_REMINT_BACKOFF_MS = 3_600_000;
const DEFAULT_SHARED_WAIT_MS = 120_000;
const DEFAULT_SHARED_POLL_MS = 100;

export class TokenManager {
  private held: HeldToken | undefined;
  private minting: Promise<HeldToken> | undefined;
  /** The one read of the token file, which every first caller waits for. */
  private loading: Promise<void> | undefined;
  private mints = 0;
  /** The last token Hostaway rejected: never taken from a shared store again. */
  private rejected: string | undefined;
  private readonly store: TokenStore | undefined;
  /** A rejected token is not replaced again before this time (see `invalidate`). */
  private noRemintUntil = 0;
  private remintBackoffMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
    this.store =
      options.store ??
      (options.tokenFile
        ? new FileTokenStore({
            file: options.tokenFile,
            accountId: options.accountId,
            apiKey: options.apiKey,
            logger: options.logger,
          })
        : undefined);
  }

  /** A token good to use now: the held one, the stored one, or a fresh one. */
  async get(signal?: AbortSignal): Promise<string> {
    this.loading ??= this.loadFromFile();
    await this.loading;
    const held = this.held;
    if (held && !this.dueForRenewal(held)) return held.value;
    return (await raceAbort(this.renew(), signal)).value;
  }

  /**
   * Hostaway rejected `token` (403): forget it so that the next `get` mints, and say whether a new token
   * is coming. A token minted meanwhile by another caller is kept, so a burst of rejections mints once.
   * When the tokens themselves are not the problem (a 403 that persists with a fresh one), minting on
   * every call would only spend the budget: after a replacement, the next one waits one minute, then
   * two, four... up to an hour, until a request with a token succeeds again.
   */
  invalidate(token: string): boolean {
    if (this.held?.value !== token) return true;
    const now = this.now();
    if (now < this.noRemintUntil) {
      this.options.logger.warn(
        {
          audit: 'auth',
          event: 'token_rejected_again',
          retryMintInS: Math.ceil((this.noRemintUntil - now) / 1000),
        },
        'Hostaway rejected a freshly minted access token too; not minting another yet',
      );
      return false;
    }
    this.options.logger.warn(
      { audit: 'auth', event: 'token_rejected', source: this.held.source },
      'Hostaway rejected the access token; a new one will be minted',
    );
    this.held = undefined;
    this.rejected = token;
    this.remintBackoffMs = Math.min(
      Math.max(this.remintBackoffMs * 2, MIN_REMINT_BACKOFF_MS),
      MAX_REMINT_BACKOFF_MS,
    );
    this.noRemintUntil = now + this.remintBackoffMs;
    return true;
  }

  /** A request with `token` was accepted: rejections from now on are news again. */
  accepted(token: string): void {
    if (this.held?.value === token) {
      this.remintBackoffMs = 0;
      this.noRemintUntil = 0;
    }
  }

  state(): TokenState {
    const h = this.held;
    return {
      state: !h ? 'none' : this.dueForRenewal(h) ? 'renewing_soon' : 'valid',
      source: h?.source ?? null,
      expiresAt: h ? new Date(h.expiresAt).toISOString() : null,
      mints: this.mints,
    };
  }

  private dueForRenewal(t: StoredToken): boolean {
    const margin = Math.min(this.options.refreshMarginMs, (t.expiresAt - t.issuedAt) / 2);
    return this.now() >= t.expiresAt - margin;
  }

  private renew(): Promise<HeldToken> {
    // Single flight: everyone who needs a token now waits for the same request, which no single
    // caller's cancellation stops.
    const store = this.store;
    this.minting ??= (store?.kind === 'shared' ? this.fromShared(store) : this.mintAndStore()).finally(() => {
      this.minting = undefined;
    });
    return this.minting;
  }

  private async mintAndStore(): Promise<HeldToken> {
    const token = await this.mintOnce();
    await this.store?.set(token);
    return token;
  }

  /**
   * The token from a store replicas share. The stored one when it is good (not due for renewal, not the
   * one Hostaway just rejected); otherwise one replica takes the lock and mints, and the others wait for
   * its token to appear instead of minting their own. The minter stores its token only if the stored
   * one is still the one it saw under the lock (compare-and-replace), so that a slow minter whose lock
   * ran out does not overwrite a newer token; replicas converge on whatever is stored.
   *
   * When the store cannot be reached the token is minted here and kept in memory: Redis being down
   * costs one mint per replica, not the service.
   */
  private async fromShared(store: TokenStore): Promise<HeldToken> {
    const pollMs = this.options.sharedPollMs ?? DEFAULT_SHARED_POLL_MS;
    const deadline = Date.now() + (this.options.sharedWaitMs ?? DEFAULT_SHARED_WAIT_MS);
    let waited = false;
    let minted: HeldToken | undefined;
    try {
      for (;;) {
        const stored = this.usable(await store.get());
        if (stored) return this.take(stored, waited);
        const lock = await store.lock();
        if (lock) {
          try {
            // Read again under the lock: the replica that held it before us may have just stored one.
            const current = await store.get();
            const good = this.usable(current);
            if (good) return this.take(good, waited);
            minted = await this.mintOnce();
            if (await store.compareAndReplace(current?.value, minted)) return minted;
            const theirs = this.usable(await store.get());
            if (theirs) return this.take(theirs, waited);
            return minted;
          } finally {
            await lock.release();
          }
        }
        if (!waited) {
          waited = true;
          this.options.logger.info(
            { audit: 'auth', event: 'token_wait_shared' },
            'Another replica is minting the access token; waiting for it',
          );
        }
        if (Date.now() >= deadline)
          throw new HostawayError(
            'upstream',
            'Another replica has been minting the Hostaway access token for too long. Try again shortly.',
            { retryable: true },
          );
        // Jittered, so that waiting replicas do not knock in step.
        await sleep(pollMs * (0.5 + Math.random()));
      }
    } catch (err) {
      if (err instanceof HostawayError) throw err;
      this.options.logger.warn(
        {
          audit: 'auth',
          event: 'token_store_unavailable',
          error: err instanceof Error ? err.name : 'unknown',
        },
        'The shared token store cannot be reached; minting a token for this replica alone',
      );
      return minted ?? this.mintOnce();
    }
  }

  /** The stored token when it is good to hand out: not due for renewal, not the one just rejected. */
  private usable(t: StoredToken | undefined): StoredToken | undefined {
    return t !== undefined && t.value !== this.rejected && !this.dueForRenewal(t) ? t : undefined;
  }

  private take(t: StoredToken, waited: boolean): HeldToken {
    const token: HeldToken = { ...t, source: 'shared' };
    this.held = token;
    this.options.logger.info(
      {
        audit: 'auth',
        event: 'token_loaded',
        source: 'shared',
        expiresAt: new Date(t.expiresAt).toISOString(),
      },
      waited
        ? 'Using the access token another replica just minted'
        : 'Using the access token the replicas share',
    );
    return token;
  }

  private async mintOnce(): Promise<HeldToken> {
    const { logger } = this.options;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.accountId,
      client_secret: this.options.apiKey,
      scope: 'general',
    }).toString();
    const res = await this.options.send({
      method: 'POST',
      path: 'accessTokens',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
      body,
    });
    if (res.status !== 200) {
      const parsed = safeJson(res.text);
      const oauth = OAuthErrorBody.safeParse(parsed);
      logger.warn(
        {
          audit: 'auth',
          event: 'token_mint_failed',
          status: res.status,
          error: oauth.success ? oauth.data.error : undefined,
        },
        'Hostaway refused to issue an access token',
      );
      if (res.status === 400 || res.status === 401 || res.status === 403)
        throw new HostawayError(
          'bad_credentials',
          `Hostaway refused to issue an access token (HTTP ${res.status}${oauth.success ? `, ${oauth.data.error}` : ''}). Check HOSTAWAY_ACCOUNT_ID (the account id) and HOSTAWAY_API_KEY (the API client secret from the Hostaway dashboard).`,
          { status: res.status },
        );
      throw errorForStatus(
        res.status,
        parsed,
        'the access token request',
        retryAfter(res.headers['retry-after']),
      );
    }
    const parsed = AccessTokenResponse.safeParse(safeJson(res.text));
    if (!parsed.success)
      throw new HostawayError(
        'upstream',
        'Hostaway answered the access token request with something other than a token. Try again shortly.',
        {
          retryable: true,
        },
      );
    const issuedAt = this.now();
    const token: HeldToken = {
      value: parsed.data.access_token,
      issuedAt,
      expiresAt: issuedAt + parsed.data.expires_in * 1000,
      source: 'minted',
    };
    this.mints++;
    logger.info(
      { audit: 'auth', event: 'token_minted', expiresAt: new Date(token.expiresAt).toISOString() },
      'Minted a Hostaway access token',
    );
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: sleeping 0 ms only yields one timer tick
    if (this.options.activationDelayMs > 0) await sleep(this.options.activationDelayMs);
    this.held = token;
    return token;
  }

  /** A file store is read once, at the first call; a shared store whenever a token is needed. */
  private async loadFromFile(): Promise<void> {
    const store = this.store;
    if (store?.kind !== 'file') return;
    const stored = await store.get();
    if (!stored || this.dueForRenewal(stored)) return;
    this.held = { ...stored, source: 'file' };
    this.options.logger.info(
      {
        audit: 'auth',
        event: 'token_loaded',
        expiresAt: new Date(stored.expiresAt).toISOString(),
      },
      'Reusing the stored Hostaway access token',
    );
  }
}

export function retryAfter(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: no body to read.
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
