/**
 * The write store in SQL, written once in PostgreSQL's dialect for both the embedded default (SQLite,
 * whose executor adapts the few differences) and a PostgreSQL server: the same statements, the same
 * migrations. Times are epoch milliseconds in `bigint` columns, so that every store agrees on them to
 * the millisecond; JSON is `jsonb` in PostgreSQL and text in SQLite, read back the same.
 */
import type {
  AuditEntry,
  AuditFilter,
  Intent,
  IntentState,
  NewAuditEntry,
  NewIntent,
  WriteStore,
} from './store.js';

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs `fn` in one transaction on one connection. */
  transaction<T>(fn: (q: Pick<SqlExecutor, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  dialect: 'postgres' | 'sqlite';
}

const T = {
  migrations: 'hostaway_mcp_migrations',
  intents: 'hostaway_mcp_write_intents',
  audit: 'hostaway_mcp_write_audit',
};

/** Applied in order, once each, under a lock (several replicas may start together). Never edit one. */
const MIGRATIONS: readonly string[] = [
  `create table ${T.intents} (
     id text primary key,
     tool text not null,
     target text not null,
     args_digest text not null,
     content_digest text not null,
     payload jsonb not null,
     preview jsonb not null,
     caller text not null,
     created_at bigint not null,
     expires_at bigint not null,
     state text not null,
     lease_until bigint,
     snapshot jsonb,
     outcome jsonb,
     updated_at bigint not null
   );
   create table ${T.audit} (
     seq bigserial primary key,
     at bigint not null,
     intent_id text,
     tool text not null,
     action text not null,
     target text,
     digest text,
     caller text not null,
     correlation_id text,
     result text not null,
     detail jsonb
   );
   create index ${T.audit}_at on ${T.audit} (at);
   create index ${T.audit}_intent on ${T.audit} (intent_id);`,
];

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_452_019;

export async function migrate(sql: SqlExecutor): Promise<void> {
  await sql.transaction(async (q) => {
    // SQLite has one writer by construction (and a lock file keeps other processes out).
    if (sql.dialect === 'postgres') await q.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query(
      `create table if not exists ${T.migrations} (version int primary key, applied_at bigint not null)`,
    );
    const { rows } = await q.query<{ version: number }>(`select version from ${T.migrations}`);
    const applied = new Set(rows.map((r) => Number(r.version)));
    for (const [i, statement] of MIGRATIONS.entries()) {
      const version = i + 1;
      if (applied.has(version)) continue;
      for (const part of statement.split(';').filter((s) => s.trim())) await q.query(part);
      await q.query(`insert into ${T.migrations} (version, applied_at) values ($1, $2)`, [
        version,
        Date.now(),
      ]);
    }
  });
}

interface IntentRow {
  id: string;
  tool: string;
  target: string;
  args_digest: string;
  content_digest: string;
  payload: Record<string, unknown>;
  preview: Record<string, unknown>;
  caller: string;
  created_at: string | number;
  expires_at: string | number;
  state: IntentState;
  lease_until: string | number | null;
  snapshot: unknown;
  outcome: Record<string, unknown> | null;
  updated_at: string | number;
}

/** jsonb arrives parsed from PostgreSQL, as text from SQLite. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function intentFromRow(r: IntentRow): Intent {
  return {
    id: r.id,
    tool: r.tool,
    target: r.target,
    argsDigest: r.args_digest,
    contentDigest: r.content_digest,
    payload: json(r.payload),
    preview: json(r.preview),
    caller: r.caller,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    state: r.state,
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
    snapshot: json(r.snapshot ?? null),
    outcome: json(r.outcome ?? null),
    updatedAt: Number(r.updated_at),
  };
}

/** Audit entries and finished intents older than this are deleted (undo needs recent ones only). */
const RETENTION_MS = 180 * 24 * 3_600_000;
/** Pruning runs once every this many audit entries. */
const PRUNE_EVERY = 1_000;

export class SqlWriteStore implements WriteStore {
  private audited = 0;

  constructor(
    private readonly sql: SqlExecutor,
    readonly kind: 'embedded' | 'postgres',
  ) {}

  async createIntent(i: NewIntent): Promise<void> {
    await this.sql.query(
      `insert into ${T.intents} (id, tool, target, args_digest, content_digest, payload, preview,
         caller, created_at, expires_at, state, updated_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, 'pending', $9)`,
      [
        i.id,
        i.tool,
        i.target,
        i.argsDigest,
        i.contentDigest,
        JSON.stringify(i.payload),
        JSON.stringify(i.preview),
        i.caller,
        i.createdAt,
        i.expiresAt,
      ],
    );
  }

  async getIntent(id: string): Promise<Intent | undefined> {
    const { rows } = await this.sql.query<IntentRow>(`select * from ${T.intents} where id = $1`, [id]);
    return rows[0] ? intentFromRow(rows[0]) : undefined;
  }

  async claim(id: string, now: number, leaseUntil: number): Promise<Intent | undefined> {
    const { rows } = await this.sql.query<IntentRow>(
      `update ${T.intents} set state = 'committing', lease_until = $2, updated_at = $3
       where id = $1 and state = 'pending' and expires_at > $3 returning *`,
      [id, leaseUntil, now],
    );
    return rows[0] ? intentFromRow(rows[0]) : undefined;
  }

  async takeOver(id: string, now: number, leaseUntil: number): Promise<Intent | undefined> {
    const { rows } = await this.sql.query<IntentRow>(
      `update ${T.intents} set lease_until = $2, updated_at = $3
       where id = $1 and state in ('committing', 'unknown') and (lease_until is null or lease_until <= $3)
       returning *`,
      [id, leaseUntil, now],
    );
    return rows[0] ? intentFromRow(rows[0]) : undefined;
  }

  async saveSnapshot(id: string, snapshot: unknown, now: number): Promise<void> {
    await this.sql.query(`update ${T.intents} set snapshot = $2::jsonb, updated_at = $3 where id = $1`, [
      id,
      JSON.stringify(snapshot),
      now,
    ]);
  }

  async finish(
    id: string,
    state: Exclude<IntentState, 'pending'>,
    outcome: Record<string, unknown>,
    now: number,
    leaseUntil: number | null,
  ): Promise<void> {
    await this.sql.query(
      `update ${T.intents} set state = $2, outcome = $3::jsonb, lease_until = $5, updated_at = $4
       where id = $1`,
      [id, state, JSON.stringify(outcome), now, leaseUntil],
    );
  }

  async audit(e: NewAuditEntry): Promise<void> {
    if (++this.audited % PRUNE_EVERY === 0) await this.prune(e.at - RETENTION_MS);
    await this.sql.query(
      `insert into ${T.audit} (at, intent_id, tool, action, target, digest, caller, correlation_id,
         result, detail)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [
        e.at,
        e.intentId,
        e.tool,
        e.action,
        e.target,
        e.digest,
        e.caller,
        e.correlationId,
        e.result,
        e.detail === null ? null : JSON.stringify(e.detail),
      ],
    );
  }

  async recentAudit(f: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (f.tool) add('tool = ?', f.tool);
    if (f.action) add('action = ?', f.action);
    if (f.intentId) add('intent_id = ?', f.intentId);
    if (f.result) add('result = ?', f.result);
    if (f.since !== undefined) add('at >= ?', f.since);
    params.push(f.limit);
    const { rows } = await this.sql.query<Record<string, unknown>>(
      `select * from ${T.audit} ${where.length ? `where ${where.join(' and ')}` : ''}
       order by seq desc limit $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: Number(r.at),
      intentId: (r.intent_id as string | null) ?? null,
      tool: r.tool as string,
      action: r.action as AuditEntry['action'],
      target: (r.target as string | null) ?? null,
      digest: (r.digest as string | null) ?? null,
      caller: r.caller as string,
      correlationId: (r.correlation_id as string | null) ?? null,
      result: r.result as string,
      detail: json<Record<string, unknown> | null>(r.detail ?? null),
    }));
  }

  private async prune(before: number): Promise<void> {
    await this.sql.query(`delete from ${T.audit} where at < $1`, [before]);
    await this.sql.query(`delete from ${T.intents} where updated_at < $1 and state <> 'committing'`, [
      before,
    ]);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
