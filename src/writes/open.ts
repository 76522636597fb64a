/**
 * Opens the write store chosen at start-up:
 * - `memory`: demo mode's default; nothing is kept.
 * - `embedded`: live mode's default. PGlite (PostgreSQL compiled to WebAssembly: no server, nothing
 *   compiled at install) in a per-user data directory, one directory per Hostaway account. One process
 *   at a time: a lock file keeps a second server process from opening the same directory.
 * - `postgres`: `DATABASE_URL`, for a team or several replicas: the same SQL and migrations.
 * Both SQL stores load their driver only when chosen, so a read-only server never pays for them.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryWriteStore } from './memory-store.js';
import { migrate, type SqlExecutor, SqlWriteStore } from './sql-store.js';
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
  if (spec.kind === 'memory') return new MemoryWriteStore();
  const sql =
    spec.kind === 'embedded' ? await openEmbedded(spec.dir) : await openPostgres(spec.url, spec.schema);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
  return new SqlWriteStore(sql, spec.kind);
}

async function openEmbedded(dir: string): Promise<SqlExecutor> {
  mkdirSync(dir, { recursive: true });
  const unlock = lockDirectory(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(join(dir, 'pgdata'));
    return {
      query: (text, params) => db.query(text, params),
      transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) })),
      async close() {
        await db.close();
        unlock();
      },
    } as SqlExecutor;
  } catch (err) {
    unlock();
    throw err;
  }
}

/**
 * PGlite is single-process: a second process on the same directory would corrupt it. The lock file
 * holds the owner's pid; a lock whose owner is gone (killed, crashed) is taken over.
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
  if (schema) await pool.query(`create schema if not exists "${schema.replace(/"/g, '')}"`);
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
  } as SqlExecutor;
}
