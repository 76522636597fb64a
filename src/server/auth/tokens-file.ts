/**
 * MCP_TOKENS_FILE: named bearer tokens, one per person or machine, each with its scopes. An entry holds
 * either the token itself or, better, only its SHA-256 (so that the file holds no usable secret):
 *
 *   {"tokens": [
 *     {"name": "alice", "sha256": "<64 hex digits>", "scopes": ["read", "write"]},
 *     {"name": "ci", "token": "<at least 16 characters>", "scopes": ["read"]}
 *   ]}
 *
 * Plain tokens are hashed as they are read; nothing downstream keeps the secret. Problems name the file
 * and the entry, never a token's value.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ACCOUNT_NAME } from '../../accounts.js';
import {
  type EntriesFileResult,
  type EntriesFileSpec,
  loadEntriesFile,
  parseEntriesFile,
} from '../../entries-file.js';
import { MIN_TOKEN_LENGTH, type NamedToken, SCOPES, type Scope } from './types.js';

/** Names appear in logs and the write audit as `token:<name>`: short, printable, no spaces or colons. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

/** Lowercase hex SHA-256 of a token's UTF-8 bytes (what a tokens file's `sha256` holds). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const Entry = z
  .strictObject({
    name: z
      .string({ error: 'name must be a string' })
      .regex(NAME, 'name must be 1 to 64 letters, digits or . _ @ + - (starting with a letter or digit)'),
    sha256: z
      .string({ error: 'sha256 must be a string' })
      .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits, the SHA-256 of the token')
      .optional(),
    token: z
      .string({ error: 'token must be a string' })
      .min(MIN_TOKEN_LENGTH, `token must be at least ${MIN_TOKEN_LENGTH} characters`)
      .optional(),
    scopes: z
      .array(z.enum(SCOPES as [Scope, ...Scope[]], { error: 'scopes may hold only "read" and "write"' }), {
        error: 'scopes must be a list, e.g. ["read"] or ["read", "write"]',
      })
      .min(1, 'scopes must name at least one scope: ["read"] or ["read", "write"]'),
    accounts: z
      .array(
        z
          .string({ error: 'accounts must be a list of account names' })
          .regex(ACCOUNT_NAME, 'accounts must hold account names from HOSTAWAY_ACCOUNTS_FILE'),
        { error: 'accounts must be a list of account names, e.g. ["lisbon"]' },
      )
      .min(1, 'accounts must name at least one account (leave it out for every account)')
      .optional(),
  })
  .refine((e) => (e.sha256 === undefined) !== (e.token === undefined), {
    error: 'give either sha256 or token (not both, not neither)',
  });

export type TokensFileResult = { ok: true; tokens: NamedToken[] } | { ok: false; problems: string[] };

/** How a tokens file is read: plain tokens are hashed here, and no two entries may share a token. */
function tokensFile(): EntriesFileSpec<typeof Entry, NamedToken> {
  const byHash = new Map<string, string>();
  return {
    setting: 'MCP_TOKENS_FILE',
    list: 'tokens',
    entry: Entry,
    name: NAME,
    fields: 'name, sha256 or token, scopes, accounts',
    shape: 'an object with name, sha256 or token, and scopes',
    accept({ name, scopes, accounts, sha256: hash, token }) {
      const sha256 = hash?.toLowerCase() ?? hashToken(token as string);
      const same = byHash.get(sha256);
      if (same !== undefined) return { problem: `the same token as "${same}": give each one its own token` };
      byHash.set(sha256, name);
      return {
        name,
        sha256,
        scopes: [...new Set(scopes)],
        ...(accounts ? { accounts: [...new Set(accounts)] } : {}),
      };
    },
  };
}

const tokensResult = (r: EntriesFileResult<NamedToken>): TokensFileResult =>
  r.ok ? { ok: true, tokens: r.entries } : r;

/** Parses a tokens file's text; `file` only names it in problems. */
export function parseTokensFile(text: string, file: string): TokensFileResult {
  return tokensResult(parseEntriesFile(tokensFile(), text, file));
}

/** Reads and parses a tokens file. */
export function loadTokensFile(file: string): TokensFileResult {
  return tokensResult(loadEntriesFile(tokensFile(), file));
}
