/**
 * The client-credentials token (`POST /v1/accessTokens`, `_authentication.md`): minted once even when
 * many calls need it at the same moment, reused until shortly before it expires, replaced when Hostaway
 * rejects it, and optionally kept in an owner-only file so that a restarted stdio server does not mint
 * a new one (the docs ask clients to store tokens rather than mint per request).
 *
 * Neither the API key nor the token is ever logged; every auth event leaves an audit line.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { AccessTokenResponse, OAuthErrorBody } from '../hostaway/schemas.js';
import type { Logger } from '../logging.js';
import { raceAbort } from './abort.js';
import { errorForStatus, HostawayError } from './errors.js';
import type { RawRequest, RawResponse } from './transport.js';

export interface TokenManagerOptions {
  accountId: string;
  apiKey: string;
  /** Renew this long before expiry (capped at half the token's lifetime). */
  refreshMarginMs: number;
  /** The docs: a new token works 1 second after it is issued. */
  activationDelayMs: number;
  /** Where to keep the token between runs; none when undefined. */
  tokenFile: string | undefined;
  /** Sends the mint request (through the rate budget). */
  send: (req: RawRequest) => Promise<RawResponse>;
  logger: Logger;
  now?: () => number;
}

interface HeldToken {
  value: string;
  issuedAt: number;
  expiresAt: number;
  source: 'minted' | 'file';
}

const TokenFile = z.object({
  version: z.literal(1),
  accountId: z.string(),
  keyFingerprint: z.string(),
  accessToken: z.string().min(1),
  issuedAt: z.number(),
  expiresAt: z.number(),
});

export interface TokenState {
  state: 'none' | 'valid' | 'renewing_soon';
  source: 'minted' | 'file' | null;
  expiresAt: string | null;
  mints: number;
}

const MIN_REMINT_BACKOFF_MS = 60_000;
const MAX_REMINT_BACKOFF_MS = 3_600_000;

export class TokenManager {
  private held: HeldToken | undefined;
  private minting: Promise<HeldToken> | undefined;
  /** The one read of the token file, which every first caller waits for. */
  private loading: Promise<void> | undefined;
  private mints = 0;
  /** A rejected token is not replaced again before this time (see `invalidate`). */
  private noRemintUntil = 0;
  private remintBackoffMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A token good to use now: the held one, the stored one, or a fresh one. */
  async get(signal?: AbortSignal): Promise<string> {
    this.loading ??= this.loadFromFile();
    await this.loading;
    const held = this.held;
    if (held && !this.dueForRenewal(held)) return held.value;
    return (await raceAbort(this.mint(), signal)).value;
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

  private dueForRenewal(t: HeldToken): boolean {
    const margin = Math.min(this.options.refreshMarginMs, (t.expiresAt - t.issuedAt) / 2);
    return this.now() >= t.expiresAt - margin;
  }

  private mint(): Promise<HeldToken> {
    // Single flight: everyone who needs a token now waits for the same request, which no single
    // caller's cancellation stops.
    this.minting ??= this.mintOnce().finally(() => {
      this.minting = undefined;
    });
    return this.minting;
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
    await this.saveToFile(token);
    return token;
  }

  private fingerprint(): string {
    return createHash('sha256')
      .update(`${this.options.accountId}:${this.options.apiKey}`)
      .digest('hex')
      .slice(0, 16);
  }

  private async loadFromFile(): Promise<void> {
    const file = this.options.tokenFile;
    // Stryker disable next-line ConditionalExpression: equivalent: readFile(undefined) rejects, and the catch below returns
    if (!file) return;
    let text: string;
    try {
      if (!(await this.ownerOnly(file))) return;
      // Stryker disable next-line StringLiteral: equivalent: without an encoding we get a Buffer, which JSON.parse reads as UTF-8 all the same
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    const stored = TokenFile.safeParse(safeJson(text));
    if (
      !stored.success ||
      stored.data.accountId !== this.options.accountId ||
      stored.data.keyFingerprint !== this.fingerprint()
    ) {
      this.options.logger.info(
        { audit: 'auth', event: 'token_file_ignored' },
        'Stored token is for other credentials or unreadable; ignoring it',
      );
      return;
    }
    const token: HeldToken = {
      value: stored.data.accessToken,
      issuedAt: stored.data.issuedAt,
      expiresAt: stored.data.expiresAt,
      source: 'file',
    };
    if (this.dueForRenewal(token)) return;
    this.held = token;
    this.options.logger.info(
      { audit: 'auth', event: 'token_loaded', expiresAt: new Date(token.expiresAt).toISOString() },
      'Reusing the stored Hostaway access token',
    );
  }

  /**
   * A token file others can read is a leaked token: tighten it to owner-only and say so, or, when that
   * is not allowed, leave it unused (a new token is minted instead).
   */
  private async ownerOnly(file: string): Promise<boolean> {
    const mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) === 0) return true;
    const shown = `0${mode.toString(8)}`;
    try {
      await chmod(file, 0o600);
      this.options.logger.warn(
        { audit: 'auth', event: 'token_file_tightened', mode: shown },
        `The stored token file was readable by others (mode ${shown}); it is now owner-only (0600)`,
      );
      return true;
    } catch {
      this.options.logger.warn(
        { audit: 'auth', event: 'token_file_refused', mode: shown },
        `The stored token file is readable by others (mode ${shown}) and cannot be tightened; not using it`,
      );
      return false;
    }
  }

  private async saveToFile(token: HeldToken): Promise<void> {
    const file = this.options.tokenFile;
    if (!file) return;
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      const content: z.infer<typeof TokenFile> = {
        version: 1,
        accountId: this.options.accountId,
        keyFingerprint: this.fingerprint(),
        accessToken: token.value,
        issuedAt: token.issuedAt,
        expiresAt: token.expiresAt,
      };
      // Owner-only from the first byte, then an atomic rename over the old file.
      await writeFile(tmp, JSON.stringify(content), { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    } catch (err) {
      this.options.logger.warn(
        {
          audit: 'auth',
          event: 'token_file_write_failed',
          error: (err as NodeJS.ErrnoException).code ?? 'unknown',
        },
        'Could not store the access token; it will be minted again next run',
      );
    }
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
