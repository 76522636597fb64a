/**
 * The embedded store's engine: SQLite compiled to WebAssembly (sql.js): nothing to compile at install,
 * about 100 ms to open, a few megabytes of memory. The database lives in memory and is written to its
 * file after every statement that changes it (to a temporary file, flushed, then renamed over the old
 * one), before the statement's promise resolves: a write intent is on disk before anything is sent,
 * and a process killed at any moment leaves the previous or the new file, never half of one.
 *
 * PGlite (PostgreSQL in WebAssembly) was measured first and rejected as the default: 7–20 s to create
 * its database on first use and 300–700 MB of resident memory, for a store of a few thousand rows.
 *
 * Statements are written once, in PostgreSQL's dialect; this executor adapts the few differences:
 * `$1` parameters become `?1`, `::jsonb` casts go (JSON is kept as text), the DDL types map, and
 * `for update` goes (SQLite has one writer at a time, and its transactions are serial here anyway).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Database, SqlValue } from 'sql.js';
import type { SqlExecutor } from './sql-store.js';

export async function openSqlite(file: string): Promise<SqlExecutor> {
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  const db: Database = existsSync(file) ? new SQL.Database(readFileSync(file)) : new SQL.Database();
  let chain: Promise<unknown> = Promise.resolve();
  /** One statement or transaction at a time, in order: each is atomic as SQLite runs it. */
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => {});
    return next;
  };
  let dirty = false;
  const run = <R>(text: string, params: unknown[] = []): { rows: R[] } => {
    const stmt = db.prepare(toSqlite(text));
    try {
      stmt.bind(params.map(toSqlValue));
      const rows: R[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as R);
      if (!/^\s*select/i.test(text)) dirty = true;
      return { rows };
    } finally {
      stmt.free();
    }
  };
  const persist = () => {
    if (!dirty) return;
    const bytes = db.export();
    const temp = `${file}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    dirty = false;
  };
  return {
    query: <R>(text: string, params?: unknown[]) =>
      serial(() => {
        const result = run<R>(text, params);
        persist();
        return result;
      }),
    transaction: (fn) =>
      serial(async () => {
        db.run('begin');
        try {
          const result = await fn({
            query: async <R>(text: string, params?: unknown[]) => run<R>(text, params),
          });
          db.run('commit');
          persist();
          return result;
        } catch (err) {
          db.run('rollback');
          dirty = false;
          throw err;
        }
      }),
    close: () =>
      serial(() => {
        persist();
        db.close();
      }),
    dialect: 'sqlite',
  };
}

/** PostgreSQL's spelling to SQLite's, for the statements this project writes. */
function toSqlite(text: string): string {
  return text
    .replace(/\$(\d+)/g, '?$1')
    .replace(/::jsonb/g, '')
    .replace(/\s+for update\b/gi, '')
    .replace(/\bbigserial primary key\b/g, 'integer primary key autoincrement')
    .replace(/\bjsonb\b/g, 'text');
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string' || value instanceof Uint8Array) return value;
  return JSON.stringify(value);
}
