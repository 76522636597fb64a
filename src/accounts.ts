/**
 * HOSTAWAY_ACCOUNTS_FILE: several Hostaway accounts served by one server (an agency runs more than one).
 * Each entry names the account, its id and the file holding its API key, never the key itself:
 *
 *   {"accounts": [
 *     {"name": "lisbon", "accountId": "12345", "apiKeyFile": "/run/secrets/lisbon-key"},
 *     {"name": "porto", "accountId": "67890", "apiKeyFile": "/run/secrets/porto-key"}
 *   ]}
 *
 * With more than one account, every tool takes an `account` argument (one of these names). Problems name
 * the file and the entry, never a key.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import {
  type EntriesFileResult,
  type EntriesFileSpec,
  loadEntriesFile,
  parseEntriesFile,
} from './entries-file.js';

/** One account the server serves. */
export interface AccountSpec {
  /** What callers name it by (the `account` argument): lowercase letters, digits and dashes. */
  name: string;
  accountId: string;
  apiKey: string;
  /** Another API address for this account (tests against a sandbox); Hostaway's own when absent. */
  baseUrl?: string;
  /** Where its access token is kept between runs (live mode). */
  tokenFile?: string;
}

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const Entry = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .regex(
      ACCOUNT_NAME,
      'name must be 1 to 40 lowercase letters, digits or dashes, starting with a letter or digit',
    ),
  accountId: z
    .union([z.string(), z.number()], { error: 'accountId must be the numeric account id' })
    .transform(String)
    .refine((v) => /^\d+$/.test(v), 'accountId must be the numeric account id'),
  apiKeyFile: z.string({ error: 'apiKeyFile must be a path' }).min(1, 'apiKeyFile must be a path'),
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).optional(),
});

export type AccountsFileResult = { ok: true; accounts: AccountSpec[] } | { ok: false; problems: string[] };

/** How an accounts file is read: each entry's key file is read as the entry is accepted. */
function accountsFile(readKey: (path: string) => string): EntriesFileSpec<typeof Entry, AccountSpec> {
  const byId = new Map<string, string>();
  return {
    setting: 'HOSTAWAY_ACCOUNTS_FILE',
    list: 'accounts',
    entry: Entry,
    name: ACCOUNT_NAME,
    fields: 'name, accountId, apiKeyFile (the key lives in its own file)',
    shape: 'an object with name, accountId and apiKeyFile',
    accept({ name, accountId, apiKeyFile, baseUrl }) {
      const sameId = byId.get(accountId);
      if (sameId !== undefined)
        return { problem: `account ${accountId} is also "${sameId}": list each account once` };
      byId.set(accountId, name);
      let apiKey: string;
      try {
        apiKey = readKey(apiKeyFile).trim();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        return { problem: `cannot read its apiKeyFile "${apiKeyFile}" (${code})` };
      }
      if (!apiKey) return { problem: `its apiKeyFile "${apiKeyFile}" is empty` };
      return { name, accountId, apiKey, ...(baseUrl ? { baseUrl } : {}) };
    },
  };
}

const accountsResult = (r: EntriesFileResult<AccountSpec>): AccountsFileResult =>
  r.ok ? { ok: true, accounts: r.entries } : r;

/** Parses an accounts file's text, reading each key file; `file` only names it in problems. */
export function parseAccountsFile(
  text: string,
  file: string,
  readKey: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): AccountsFileResult {
  return accountsResult(parseEntriesFile(accountsFile(readKey), text, file));
}

/** Reads and parses an accounts file. */
export function loadAccountsFile(file: string): AccountsFileResult {
  return accountsResult(
    loadEntriesFile(
      accountsFile((path) => readFileSync(path, 'utf8')),
      file,
    ),
  );
}
