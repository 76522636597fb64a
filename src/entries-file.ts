/**
 * The settings files that hold a list of named entries (HOSTAWAY_ACCOUNTS_FILE, MCP_TOKENS_FILE):
 * `{"<list>": [{"name": ..., ...}, ...]}`. One reading for both: the JSON, the list, each entry against
 * its schema, unique names, and every problem named by file and entry (`tokens[2] "ci"`), never with a
 * value from the file, which may be a secret.
 */
import { readFileSync } from 'node:fs';
import type * as z from 'zod';

export type EntriesFileResult<T> = { ok: true; entries: T[] } | { ok: false; problems: string[] };

export interface EntriesFileSpec<S extends z.ZodType, T> {
  /** The setting that names the file, for problems: `HOSTAWAY_ACCOUNTS_FILE`. */
  setting: string;
  /** The top-level field holding the list: `accounts`. */
  list: string;
  /** One entry's schema (a strict object with a `name`). */
  entry: S;
  /** Which names may label an entry in problems (an invalid one is left out of the label). */
  name: RegExp;
  /** The fields an entry may have, for an unknown field: `name, accountId, apiKeyFile`. */
  fields: string;
  /** What an entry must be, for one that is not an object: `an object with name and scopes`. */
  shape: string;
  /**
   * Turns a valid entry into what the file gives, or a problem (without the `where: label:` prefix).
   * Runs after the name was found unique.
   */
  accept(entry: z.output<S>): T | { problem: string };
}

export function parseEntriesFile<S extends z.ZodType<{ name: string }>, T>(
  spec: EntriesFileSpec<S, T>,
  text: string,
  file: string,
): EntriesFileResult<T> {
  const where = `${spec.setting} (${file})`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text around the fault, which may be a secret: keep only where it is.
    const at = /(line \d+ column \d+|position \d+)/.exec(String((err as Error).message))?.[1];
    return { ok: false, problems: [`${where} is not valid JSON${at ? ` (at ${at})` : ''}`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, problems: [`${where}: the file is {"${spec.list}": [...]}`] };
  const outer: string[] = [];
  const unknown = Object.keys(json).filter((k) => k !== spec.list);
  if (unknown.length)
    outer.push(`${where}: unknown field(s) ${unknown.join(', ')}: the file is {"${spec.list}": [...]}`);
  const list = (json as Record<string, unknown>)[spec.list];
  if (!Array.isArray(list)) outer.push(`${where}: ${spec.list} must be a list of entries`);
  else if (list.length === 0) outer.push(`${where}: ${spec.list} is empty`);
  if (outer.length || !Array.isArray(list)) return { ok: false, problems: outer };

  const problems: string[] = [];
  const entries: T[] = [];
  const byName = new Map<string, number>();
  list.forEach((raw, index) => {
    const rawName = (raw as { name?: unknown } | null)?.name;
    const label =
      typeof rawName === 'string' && spec.name.test(rawName)
        ? `${spec.list}[${index}] "${rawName}"`
        : `${spec.list}[${index}]`;
    const entry = spec.entry.safeParse(raw);
    if (!entry.success) {
      for (const i of entry.error.issues)
        problems.push(
          i.code === 'unrecognized_keys'
            ? `${where}: ${label}: unknown field(s) ${i.keys.join(', ')}: use ${spec.fields}`
            : i.code === 'invalid_type' && i.path.length === 0
              ? `${where}: ${label}: must be ${spec.shape}`
              : `${where}: ${label}: ${i.message}`,
        );
      return;
    }
    const { name } = entry.data;
    const previous = byName.get(name);
    if (previous !== undefined) {
      problems.push(
        `${where}: ${label}: the name is also used by ${spec.list}[${previous}]: names must be unique`,
      );
      return;
    }
    byName.set(name, index);
    const accepted = spec.accept(entry.data);
    if (accepted && typeof accepted === 'object' && 'problem' in accepted)
      problems.push(`${where}: ${label}: ${accepted.problem}`);
    else entries.push(accepted as T);
  });
  return problems.length ? { ok: false, problems } : { ok: true, entries };
}

/** Reads the file, then parses it as above. */
export function loadEntriesFile<S extends z.ZodType<{ name: string }>, T>(
  spec: EntriesFileSpec<S, T>,
  file: string,
): EntriesFileResult<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [
        `${spec.setting}: cannot read "${file}" (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
    };
  }
  return parseEntriesFile(spec, text, file);
}
