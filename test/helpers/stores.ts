/**
 * The write stores the tests run on: in memory, embedded SQLite (in a fresh directory) and
 * the PostgreSQL server on this machine (a schema of its own per test file, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { WriteStoreSpec } from '../../src/writes/open.js';

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const STORE_KINDS = ['memory', 'embedded', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A fresh, empty store of the kind, and how to remove what it left. */
export function freshStoreSpec(kind: StoreKind): { spec: WriteStoreSpec; cleanup: () => Promise<void> } {
  if (kind === 'memory') return { spec: { kind }, cleanup: async () => {} };
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'hostaway-mcp-store-'));
    return { spec: { kind, dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return {
    spec: { kind, url: DATABASE_URL, schema },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
