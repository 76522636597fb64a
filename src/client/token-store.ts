/**
 * Where the access token is kept beside the memory of the process that uses it, behind one small
 * interface: an owner-only file (one process, between its runs) or a store that replicas share (Redis,
 * in src/stores), where one replica mints under a lock while the others wait for the token to appear.
 *
 * Either way the stored token is bound to the credentials it was minted with (the account id and a
 * fingerprint of the API key): a token for other credentials is never handed out.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { Logger } from '../logging.js';

export interface StoredToken {
  value: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
}

/** A held mint lock; `release` lets the next replica in (it never throws). */
export interface TokenLock {
  release(): Promise<void>;
}

export interface TokenStore {
  /**
   * `file`: one process's own, read once at start and written after each mint. `shared`: other
   * replicas read and write it too, so it is read whenever a token is needed and written under `lock`.
   */
  readonly kind: 'file' | 'shared';
  /** The stored token for these credentials; undefined when there is none, or none usable. */
  get(): Promise<StoredToken | undefined>;
  /** Stores `token` whatever is there. */
  set(token: StoredToken): Promise<void>;
  /**
   * Stores `next` only if the stored token is still `expected` (undefined: none, or none usable for
   * these credentials), atomically; says whether it did. A replica replacing a rejected token passes the
   * rejected one, so that of several replicas that saw the rejection only the first replaces it.
   */
  compareAndReplace(expected: string | undefined, next: StoredToken): Promise<boolean>;
  /**
   * The mint lock, or undefined when another holder has it (then wait for the token to appear rather
   * than mint). A lock whose holder dies runs out by itself.
   */
  lock(): Promise<TokenLock | undefined>;
}

/** The first 16 hex digits of SHA-256 over `accountId:apiKey`: names the credentials, reveals nothing. */
export function credentialFingerprint(accountId: string, apiKey: string): string {
  return createHash('sha256').update(`${accountId}:${apiKey}`).digest('hex').slice(0, 16);
}

const TokenFile = z.object({
  version: z.literal(1),
  accountId: z.string(),
  keyFingerprint: z.string(),
  accessToken: z.string().min(1),
  issuedAt: z.number(),
  expiresAt: z.number(),
});

export interface FileTokenStoreOptions {
  file: string;
  accountId: string;
  apiKey: string;
  logger: Logger;
}

const NO_LOCK: TokenLock = { release: async () => {} };

/**
 * The token in an owner-only JSON file (version 1), so that a restarted stdio server does not mint
 * again. One process owns it: its lock is the token manager's own single flight, so `lock` always
 * grants. Reads and writes never throw: a file that cannot be used is reported and left aside.
 */
export class FileTokenStore implements TokenStore {
  readonly kind = 'file';

  constructor(private readonly options: FileTokenStoreOptions) {}

  async get(): Promise<StoredToken | undefined> {
    const { file } = this.options;
    let text: string;
    try {
      if (!(await this.ownerOnly(file))) return undefined;
      // Stryker disable next-line StringLiteral: equivalent: without an encoding we get a Buffer, which JSON.parse reads as UTF-8 all the same
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const stored = this.parse(text);
    if (!stored) {
      this.options.logger.info(
        { audit: 'auth', event: 'token_file_ignored' },
        'Stored token is for other credentials or unreadable; ignoring it',
      );
      return undefined;
    }
    return stored;
  }

  async set(token: StoredToken): Promise<void> {
    const { file } = this.options;
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      const content: z.infer<typeof TokenFile> = {
        version: 1,
        accountId: this.options.accountId,
        keyFingerprint: credentialFingerprint(this.options.accountId, this.options.apiKey),
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

  /** Compares and writes in two steps: atomic within this process, which is the file's only user. */
  async compareAndReplace(expected: string | undefined, next: StoredToken): Promise<boolean> {
    let current: string | undefined;
    try {
      current = this.parse(await readFile(this.options.file, 'utf8'))?.value;
    } catch {
      current = undefined;
    }
    if (current !== expected) return false;
    await this.set(next);
    return true;
  }

  async lock(): Promise<TokenLock> {
    return NO_LOCK;
  }

  private parse(text: string): StoredToken | undefined {
    const stored = TokenFile.safeParse(safeJson(text));
    if (
      !stored.success ||
      stored.data.accountId !== this.options.accountId ||
      stored.data.keyFingerprint !== credentialFingerprint(this.options.accountId, this.options.apiKey)
    )
      return undefined;
    return {
      value: stored.data.accessToken,
      issuedAt: stored.data.issuedAt,
      expiresAt: stored.data.expiresAt,
    };
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
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: no body to read.
  }
  return undefined;
}
