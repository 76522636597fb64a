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
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ACCOUNT_NAME } from '../../accounts.js';
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

const File = z.strictObject({
  tokens: z.array(z.unknown(), { error: 'tokens must be a list of entries' }).min(1, 'tokens is empty'),
});

export type TokensFileResult = { ok: true; tokens: NamedToken[] } | { ok: false; problems: string[] };

/** Parses a tokens file's text; `file` only names it in problems. */
export function parseTokensFile(text: string, file: string): TokensFileResult {
  const where = `MCP_TOKENS_FILE (${file})`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text around the fault, which may be a token: keep only where it is.
    const at = /(line \d+ column \d+|position \d+)/.exec(String((err as Error).message))?.[1];
    return { ok: false, problems: [`${where} is not valid JSON${at ? ` (at ${at})` : ''}`] };
  }
  const file_ = File.safeParse(json);
  if (!file_.success)
    return {
      ok: false,
      problems: file_.error.issues.map((i) =>
        i.code === 'unrecognized_keys'
          ? `${where}: unknown field(s) ${i.keys.join(', ')}: the file is {"tokens": [...]}`
          : `${where}: ${i.message}`,
      ),
    };

  const problems: string[] = [];
  const tokens: NamedToken[] = [];
  const byName = new Map<string, number>();
  const byHash = new Map<string, string>();
  file_.data.tokens.forEach((raw, index) => {
    const rawName = (raw as { name?: unknown } | null)?.name;
    const label =
      typeof rawName === 'string' && NAME.test(rawName)
        ? `tokens[${index}] "${rawName}"`
        : `tokens[${index}]`;
    const entry = Entry.safeParse(raw);
    if (!entry.success) {
      for (const i of entry.error.issues)
        problems.push(
          i.code === 'unrecognized_keys'
            ? `${where}: ${label}: unknown field(s) ${i.keys.join(', ')}: use name, sha256 or token, scopes, accounts`
            : i.code === 'invalid_type' && i.path.length === 0
              ? `${where}: ${label}: must be an object with name, sha256 or token, and scopes`
              : `${where}: ${label}: ${i.message}`,
        );
      return;
    }
    const { name, scopes, accounts } = entry.data;
    const sha256 = entry.data.sha256?.toLowerCase() ?? hashToken(entry.data.token as string);
    const previous = byName.get(name);
    if (previous !== undefined) {
      problems.push(`${where}: ${label}: the name is also used by tokens[${previous}]: names must be unique`);
      return;
    }
    byName.set(name, index);
    const same = byHash.get(sha256);
    if (same !== undefined) {
      problems.push(`${where}: ${label}: the same token as "${same}": give each one its own token`);
      return;
    }
    byHash.set(sha256, name);
    tokens.push({
      name,
      sha256,
      scopes: [...new Set(scopes)],
      ...(accounts ? { accounts: [...new Set(accounts)] } : {}),
    });
  });
  return problems.length ? { ok: false, problems } : { ok: true, tokens };
}

/** Reads and parses a tokens file. */
export function loadTokensFile(file: string): TokensFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [
        `MCP_TOKENS_FILE: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
    };
  }
  return parseTokensFile(text, file);
}
