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

const File = z.strictObject({
  accounts: z.array(z.unknown(), { error: 'accounts must be a list of entries' }).min(1, 'accounts is empty'),
});

export type AccountsFileResult = { ok: true; accounts: AccountSpec[] } | { ok: false; problems: string[] };

/** Parses an accounts file's text, reading each key file; `file` only names it in problems. */
export function parseAccountsFile(
  text: string,
  file: string,
  readKey: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): AccountsFileResult {
  const where = `HOSTAWAY_ACCOUNTS_FILE (${file})`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: [`${where} is not valid JSON`] };
  }
  const top = File.safeParse(json);
  if (!top.success)
    return {
      ok: false,
      problems: top.error.issues.map((i) =>
        i.code === 'unrecognized_keys'
          ? `${where}: unknown field(s) ${i.keys.join(', ')}: the file is {"accounts": [...]}`
          : `${where}: ${i.message}`,
      ),
    };
  const problems: string[] = [];
  const accounts: AccountSpec[] = [];
  const byName = new Map<string, number>();
  const byId = new Map<string, string>();
  top.data.accounts.forEach((raw, index) => {
    const rawName = (raw as { name?: unknown } | null)?.name;
    const label =
      typeof rawName === 'string' && ACCOUNT_NAME.test(rawName)
        ? `accounts[${index}] "${rawName}"`
        : `accounts[${index}]`;
    const entry = Entry.safeParse(raw);
    if (!entry.success) {
      for (const i of entry.error.issues)
        problems.push(
          i.code === 'unrecognized_keys'
            ? `${where}: ${label}: unknown field(s) ${i.keys.join(', ')}: use name, accountId, apiKeyFile (the key lives in its own file)`
            : i.code === 'invalid_type' && i.path.length === 0
              ? `${where}: ${label}: must be an object with name, accountId and apiKeyFile`
              : `${where}: ${label}: ${i.message}`,
        );
      return;
    }
    const { name, accountId, apiKeyFile, baseUrl } = entry.data;
    const previous = byName.get(name);
    if (previous !== undefined) {
      problems.push(
        `${where}: ${label}: the name is also used by accounts[${previous}]: names must be unique`,
      );
      return;
    }
    byName.set(name, index);
    const sameId = byId.get(accountId);
    if (sameId !== undefined) {
      problems.push(`${where}: ${label}: account ${accountId} is also "${sameId}": list each account once`);
      return;
    }
    byId.set(accountId, name);
    let apiKey: string;
    try {
      apiKey = readKey(apiKeyFile).trim();
    } catch (err) {
      problems.push(
        `${where}: ${label}: cannot read its apiKeyFile "${apiKeyFile}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return;
    }
    if (!apiKey) {
      problems.push(`${where}: ${label}: its apiKeyFile "${apiKeyFile}" is empty`);
      return;
    }
    accounts.push({ name, accountId, apiKey, ...(baseUrl ? { baseUrl } : {}) });
  });
  return problems.length ? { ok: false, problems } : { ok: true, accounts };
}

/** Reads and parses an accounts file. */
export function loadAccountsFile(file: string): AccountsFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [
        `HOSTAWAY_ACCOUNTS_FILE: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
    };
  }
  return parseAccountsFile(text, file);
}
