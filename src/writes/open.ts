/**
 * Opens the write store chosen at start-up:
 * - `memory`: demo mode's default; nothing is kept.
 * - `embedded`: live mode's default. SQLite compiled to WebAssembly (no server, nothing compiled at
 *   install) in a per-user data directory, one directory per Hostaway account. One process at a time:
 *   a lock file keeps a second server process from opening the same directory.
 * - `postgres`: `DATABASE_URL`, for a team or several replicas: the same SQL and migrations.
 * Both SQL stores load their driver only when chosen, so a read-only server never pays for them; the
 * stores themselves are loaded when the first write opens one, so a server starts without them.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlExecutor } from './sql-store.js';
import type { WriteStore } from './store.js';

export type WriteStoreSpec =
  | { kind: 'memory' }
  | { kind: 'embedded'; dir: string }
  | {
      kind: 'postgres';
      url: string /** Tests isolate themselves in a schema of their own. */;
      schema?: string;
    };

export class WriteStoreError extends Error {
  override name = 'WriteStoreError';
}

export async function openWriteStore(spec: WriteStoreSpec): Promise<WriteStore> {
  if (spec.kind === 'memory') {
    const { MemoryWriteStore } = await import('./memory-store.js');
    return new MemoryWriteStore();
  }
  const { migrate, SqlWriteStore } = await import('./sql-store.js');
  const sql = await openSqlExecutor(spec);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
  return new SqlWriteStore(sql, spec.kind);
}

/** The SQL connection of a SQL store, not migrated (`openWriteStore` migrates it). */
export function openSqlExecutor(spec: Exclude<WriteStoreSpec, { kind: 'memory' }>): Promise<SqlExecutor> {
  return spec.kind === 'embedded' ? openEmbedded(spec.dir) : openPostgres(spec.url, spec.schema);
}

async function openEmbedded(dir: string): Promise<SqlExecutor> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unlock = lockDirectory(dir);
  try {
    const { openSqlite } = await import('./sqlite.js');
    const sql = await openSqlite(join(dir, 'writes.sqlite'));
    return {
      ...sql,
      async close() {
        await sql.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/**
 * The embedded store is single-process: a second process on the same file would overwrite the first's
 * writes. The lock file holds the owner's pid; a lock whose owner is gone (killed, crashed) is taken
 * over.
 */
function lockDirectory(dir: string): () => void {
  const file = join(dir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner))
        throw new WriteStoreError(
          `the write store in ${dir} is in use by another server process (pid ${owner}). Run one server per account, or set DATABASE_URL to share a PostgreSQL store between processes.`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new WriteStoreError(`could not lock the write store in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPostgres(url: string, schema: string | undefined): Promise<SqlExecutor> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A dropped idle connection must not crash the process; the next query opens a new one.
  pool.on('error', () => {});
  // Two processes creating the schema at once may both miss it; the loser's duplicate is harmless.
  if (schema)
    await pool
      .query(`create schema if not exists "${schema.replace(/"/g, '')}"`)
      .catch((err: { code?: string }) => {
        if (err.code !== '23505' && err.code !== '42P06') throw err;
      });
  return {
    query: async (text, params) => pool.query(text, params as unknown[]),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          query: async <R>(text: string, params?: unknown[]) =>
            (await client.query(text, params)) as unknown as { rows: R[] },
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    dialect: 'postgres',
  } as SqlExecutor;
}
