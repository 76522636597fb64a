/**
 * The write store in SQL, written once in PostgreSQL's dialect for both the embedded default (SQLite,
 * whose executor adapts the few differences) and a PostgreSQL server: the same statements, the same
 * migrations. Times are epoch milliseconds in `bigint` columns, so that every store agrees on them to
 * the millisecond; JSON is `jsonb` in PostgreSQL and text in SQLite, read back the same.
 */
import {
  type AccountChange,
  type ChangeSummary,
  planRecord,
  type RecordedChange,
  type RecordOutcome,
} from '../domain/account-changes.js';
import type {
  AuditEntry,
  AuditFilter,
  ChangeRetention,
  ChangesFilter,
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
  /** One row per account with changes: the lock that orders its writers, and its newest seq. */
  changeAccounts: 'hostaway_mcp_change_accounts',
  /** Per account and entity: the newest version kept and its summary. */
  changeEntities: 'hostaway_mcp_change_entities',
  changes: 'hostaway_mcp_changes',
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
  `create table ${T.changeAccounts} (
     account text primary key,
     latest_seq bigint not null
   );
   create table ${T.changeEntities} (
     account text not null,
     entity text not null,
     version text not null,
     summary jsonb not null,
     updated_at bigint not null,
     primary key (account, entity)
   );
   create table ${T.changes} (
     seq bigserial primary key,
     account text not null,
     key text not null,
     kind text not null,
     entity text not null,
     version text not null,
     reservation_id bigint,
     listing_id bigint,
     conversation_id bigint,
     source text not null,
     summary jsonb not null,
     received_at bigint not null
   );
   create unique index ${T.changes}_key on ${T.changes} (account, key);
   create index ${T.changes}_account_seq on ${T.changes} (account, seq);
   create index ${T.changes}_entity on ${T.changes} (account, entity);
   create index ${T.changes}_received on ${T.changes} (received_at);`,
];

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_452_019;

/** Brings the schema up to date; `through` stops at an older version (to build an older store in tests). */
export async function migrate(sql: SqlExecutor, through = MIGRATIONS.length): Promise<void> {
  await sql.transaction(async (q) => {
    // SQLite has one writer by construction (and a lock file keeps other processes out).
    if (sql.dialect === 'postgres') await q.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query(
      `create table if not exists ${T.migrations} (version int primary key, applied_at bigint not null)`,
    );
    const { rows } = await q.query<{ version: number }>(`select version from ${T.migrations}`);
    const applied = new Set(rows.map((r) => Number(r.version)));
    for (const [i, statement] of MIGRATIONS.slice(0, through).entries()) {
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

interface ChangeRow {
  seq: string | number;
  account: string;
  key: string;
  kind: RecordedChange['kind'];
  entity: string;
  version: string;
  reservation_id: string | number | null;
  listing_id: string | number | null;
  conversation_id: string | number | null;
  source: RecordedChange['source'];
  summary: unknown;
  received_at: string | number;
  current_summary: unknown;
}

const numberOrNull = (value: string | number | null) => (value === null ? null : Number(value));

function changeFromRow(r: ChangeRow): RecordedChange {
  return {
    account: r.account,
    key: r.key,
    kind: r.kind,
    entity: r.entity,
    version: r.version,
    reservationId: numberOrNull(r.reservation_id),
    listingId: numberOrNull(r.listing_id),
    conversationId: numberOrNull(r.conversation_id),
    source: r.source,
    summary: json<ChangeSummary>(r.summary),
    seq: Number(r.seq),
    receivedAt: Number(r.received_at),
    current: json<ChangeSummary | null>(r.current_summary ?? null),
  };
}

/** Thrown inside a transaction to roll it back when a concurrent writer recorded the same fact. */
class DuplicateChange extends Error {}

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

  async recordChange(change: AccountChange, now: number): Promise<RecordOutcome> {
    const { account } = change;
    try {
      return await this.sql.transaction(async (q): Promise<RecordOutcome> => {
        // One writer per account at a time, across processes: the lock makes the duplicate check, the
        // read of the kept version and the write one step, and makes seq grow in commit order within
        // the account (a reader paging by seq never sees a later number before an earlier one).
        await q.query(
          `insert into ${T.changeAccounts} (account, latest_seq) values ($1, 0) on conflict (account) do nothing`,
          [account],
        );
        await q.query(`select latest_seq from ${T.changeAccounts} where account = $1 for update`, [account]);
        const seen = await q.query(`select seq from ${T.changes} where account = $1 and key = $2`, [
          account,
          change.key,
        ]);
        if (seen.rows.length) return { outcome: 'duplicate' };
        const { rows: kept } = await q.query<{ version: string; summary: unknown }>(
          `select version, summary from ${T.changeEntities} where account = $1 and entity = $2`,
          [account, change.entity],
        );
        const plan = planRecord(
          change,
          kept[0] ? { version: kept[0].version, summary: json<ChangeSummary>(kept[0].summary) } : null,
        );
        if (plan.stale) return { outcome: 'stale', keptVersion: plan.keptVersion };
        if (plan.keep)
          await q.query(
            `insert into ${T.changeEntities} (account, entity, version, summary, updated_at)
             values ($1, $2, $3, $4::jsonb, $5)
             on conflict (account, entity) do update
             set version = excluded.version, summary = excluded.summary, updated_at = excluded.updated_at`,
            [account, change.entity, plan.keep.version, JSON.stringify(plan.keep.summary), now],
          );
        // The unique (account, key) index is the last guard: a fact recorded meanwhile undoes this one.
        const { rows } = await q.query<{ seq: string | number }>(
          `insert into ${T.changes} (account, key, kind, entity, version, reservation_id, listing_id,
             conversation_id, source, summary, received_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
           on conflict (account, key) do nothing
           returning seq`,
          [
            account,
            change.key,
            plan.kind,
            change.entity,
            change.version,
            change.reservationId,
            change.listingId,
            change.conversationId,
            change.source,
            JSON.stringify(plan.summary),
            now,
          ],
        );
        if (!rows[0]) throw new DuplicateChange();
        const seq = Number(rows[0].seq);
        await q.query(`update ${T.changeAccounts} set latest_seq = $2 where account = $1`, [account, seq]);
        return {
          outcome: 'recorded',
          change: {
            ...change,
            kind: plan.kind,
            summary: plan.summary,
            seq,
            receivedAt: now,
            current: plan.current,
          },
        };
      });
    } catch (err) {
      if (err instanceof DuplicateChange) return { outcome: 'duplicate' };
      throw err;
    }
  }

  async changesSince(f: ChangesFilter): Promise<RecordedChange[]> {
    if (f.limit <= 0 || f.kinds?.length === 0) return [];
    const params: unknown[] = [f.account, f.afterSeq, f.limit, f.receivedSince ?? 0, ...(f.kinds ?? [])];
    const kinds = f.kinds ? `and c.kind in (${f.kinds.map((_, i) => `$${i + 5}`).join(', ')})` : '';
    const { rows } = await this.sql.query<ChangeRow>(
      `select c.*, e.summary as current_summary
       from ${T.changes} c
       left join ${T.changeEntities} e on e.account = c.account and e.entity = c.entity
       where c.account = $1 and c.seq > $2 and c.received_at >= $4 ${kinds}
       order by c.seq limit $3`,
      params,
    );
    return rows.map(changeFromRow);
  }

  async latestChangeSeq(account: string): Promise<number> {
    const { rows } = await this.sql.query<{ latest_seq: string | number }>(
      `select latest_seq from ${T.changeAccounts} where account = $1`,
      [account],
    );
    return rows[0] ? Number(rows[0].latest_seq) : 0;
  }

  async pruneChanges({ olderThan, keepAtMost }: ChangeRetention): Promise<number> {
    return this.sql.transaction(async (q) => {
      // Every account's writers wait meanwhile, so no entity is deleted under a change being recorded.
      await q.query(`select account from ${T.changeAccounts} order by account for update`);
      const aged = await q.query(`delete from ${T.changes} where received_at < $1 returning seq`, [
        olderThan,
      ]);
      const beyond = await q.query(
        `delete from ${T.changes} where seq in (
           select seq from (
             select seq, row_number() over (partition by account order by seq desc) as newer
             from ${T.changes}
           ) ranked
           where newer > $1
         )
         returning seq`,
        [keepAtMost],
      );
      await q.query(
        `delete from ${T.changeEntities}
         where updated_at < $1 and not exists (
           select 1 from ${T.changes} c
           where c.account = ${T.changeEntities}.account and c.entity = ${T.changeEntities}.entity
         )`,
        [olderThan],
      );
      return aged.rows.length + beyond.rows.length;
    });
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
