/**
 * One contract for every write store: the transitions that decide "never twice" are atomic, expiry and
 * leases hold, outcomes and the audit log read back as written. Run on memory, embedded
 * (SQLite in WebAssembly) and the PostgreSQL server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountChange, ChangeSummary, RecordOutcome } from '../../src/domain/account-changes.js';
import { openSqlExecutor, openWriteStore, type WriteStoreSpec } from '../../src/writes/open.js';
import { migrate, SqlWriteStore } from '../../src/writes/sql-store.js';
import type { NewAuditEntry, NewIntent, WriteStore } from '../../src/writes/store.js';
import { freshStoreSpec, STORE_KINDS } from '../helpers/stores.js';

const T0 = Date.parse('2026-11-29T08:00:00Z');

function intent(id: string, overrides: Partial<NewIntent> = {}): NewIntent {
  return {
    id,
    tool: 'hostaway_send_message',
    target: 'conversation 1',
    argsDigest: 'a'.repeat(64),
    contentDigest: 'b'.repeat(64),
    payload: { conversationId: 1, body: 'Hello ⟦ünïcode⟧ "quoted"' },
    preview: { text: 'Hello' },
    caller: 'test',
    createdAt: T0,
    expiresAt: T0 + 60_000,
    ...overrides,
  };
}

/** An update of reservation `id` at `version` (a time of day on T0's date, `HH:MM:SS`). */
function fact(
  account: string,
  id: number,
  time: string,
  summary: ChangeSummary,
  overrides: Partial<AccountChange> = {},
): AccountChange {
  const version = `2026-11-29 ${time}`;
  return {
    account,
    key: `reservation:${id}@${version}`,
    kind: 'change',
    entity: `reservation:${id}`,
    version,
    reservationId: id,
    listingId: 70 + id,
    conversationId: null,
    source: 'webhook',
    summary,
    ...overrides,
  };
}

const stay: ChangeSummary = {
  status: 'new',
  guest: 'Ana Silva ⟦ünïcode⟧ "quoted"',
  listingName: 'The Beach House',
  arrival: '2026-12-01',
  departure: '2026-12-04',
  channel: 'airbnbOfficial',
  nights: 3,
  total: 420.5,
  currency: 'EUR',
};

const auditEntry = (at: number): NewAuditEntry => ({
  at,
  intentId: 'cf_before',
  tool: 'hostaway_send_message',
  action: 'preview',
  target: null,
  digest: null,
  caller: 'me',
  correlationId: null,
  result: 'ok',
  detail: null,
});

const recorded = (outcome: RecordOutcome) => {
  if (outcome.outcome !== 'recorded') throw new Error(`expected recorded, got ${JSON.stringify(outcome)}`);
  return outcome.change;
};

describe.each(STORE_KINDS)('write store contract: %s', (kind) => {
  let store: WriteStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = freshStoreSpec(kind);
    cleanup = fresh.cleanup;
    store = await openWriteStore(fresh.spec);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('keeps an intent exactly as written, pending', async () => {
    await store.createIntent(intent('cf_keep'));
    const got = await store.getIntent('cf_keep');
    expect(got).toEqual({
      ...intent('cf_keep'),
      state: 'pending',
      leaseUntil: null,
      snapshot: null,
      outcome: null,
      updatedAt: T0,
    });
    expect(await store.getIntent('cf_missing')).toBeUndefined();
    await expect(store.createIntent(intent('cf_keep'))).rejects.toThrow();
  });

  it('lets exactly one of 50 concurrent claims win', async () => {
    await store.createIntent(intent('cf_race'));
    const claims = await Promise.all(
      Array.from({ length: 50 }, () => store.claim('cf_race', T0 + 1_000, T0 + 31_000)),
    );
    const winners = claims.filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ state: 'committing', leaseUntil: T0 + 31_000, updatedAt: T0 + 1_000 });
    expect((await store.getIntent('cf_race'))?.state).toBe('committing');
  });

  it('refuses to claim an expired intent, and one that is not pending', async () => {
    await store.createIntent(intent('cf_old'));
    expect(await store.claim('cf_old', T0 + 60_000, T0 + 90_000)).toBeUndefined();
    expect((await store.getIntent('cf_old'))?.state).toBe('pending');
    expect(await store.claim('cf_old', T0 + 59_999, T0 + 90_000)).toBeDefined();
    expect(await store.claim('cf_old', T0 + 59_999, T0 + 90_000)).toBeUndefined();
  });

  it('takes over a committing intent only after its lease, once', async () => {
    await store.createIntent(intent('cf_lease'));
    await store.claim('cf_lease', T0, T0 + 10_000);
    expect(await store.takeOver('cf_lease', T0 + 9_999, T0 + 20_000)).toBeUndefined();
    const both = await Promise.all([
      store.takeOver('cf_lease', T0 + 10_000, T0 + 20_000),
      store.takeOver('cf_lease', T0 + 10_000, T0 + 20_000),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    // Done intents are never taken over.
    await store.finish('cf_lease', 'done', { result: { messageId: 7 } }, T0 + 11_000, null);
    expect(await store.takeOver('cf_lease', T0 + 99_000, T0 + 120_000)).toBeUndefined();
  });

  it('records outcomes, snapshots and an unknown outcome with its settle time', async () => {
    await store.createIntent(intent('cf_out'));
    await store.claim('cf_out', T0, T0 + 10_000);
    await store.saveSnapshot('cf_out', { days: [{ date: '2026-12-01', price: 120 }] }, T0 + 1);
    await store.finish('cf_out', 'unknown', { error: 'reset' }, T0 + 2, T0 + 5_000);
    expect(await store.getIntent('cf_out')).toMatchObject({
      state: 'unknown',
      leaseUntil: T0 + 5_000,
      snapshot: { days: [{ date: '2026-12-01', price: 120 }] },
      outcome: { error: 'reset' },
      updatedAt: T0 + 2,
    });
    expect(await store.takeOver('cf_out', T0 + 4_999, T0 + 9_000)).toBeUndefined();
    expect(await store.takeOver('cf_out', T0 + 5_000, T0 + 9_000)).toBeDefined();
  });

  it('reads the audit log back newest first, filtered', async () => {
    const base = {
      tool: 'hostaway_update_calendar',
      target: 'listing 1',
      digest: null,
      caller: 'me',
      correlationId: 'c1',
    };
    await store.audit({
      ...base,
      at: T0 + 1,
      intentId: 'cf_a',
      action: 'preview',
      result: 'ok',
      detail: null,
    });
    await store.audit({
      ...base,
      at: T0 + 2,
      intentId: 'cf_a',
      action: 'confirm',
      result: 'ok',
      detail: null,
    });
    await store.audit({
      ...base,
      at: T0 + 3,
      intentId: 'cf_a',
      action: 'commit',
      result: 'done',
      detail: { days: 3 },
    });
    await store.audit({
      ...base,
      tool: 'other',
      at: T0 + 4,
      intentId: 'cf_b',
      action: 'refused',
      result: 'refused',
      detail: null,
    });
    const all = await store.recentAudit({ tool: 'hostaway_update_calendar', limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['commit', 'confirm', 'preview']);
    expect(all[0]).toMatchObject({
      at: T0 + 3,
      intentId: 'cf_a',
      result: 'done',
      detail: { days: 3 },
      caller: 'me',
    });
    expect((await store.recentAudit({ intentId: 'cf_b', limit: 10 })).map((e) => e.tool)).toEqual(['other']);
    expect(await store.recentAudit({ since: T0 + 3, limit: 10 })).toHaveLength(2);
    expect(await store.recentAudit({ result: 'done', limit: 10 })).toHaveLength(1);
    expect(await store.recentAudit({ limit: 1 })).toHaveLength(1);
  });

  describe('account changes', () => {
    it('records a fact once, numbered; a repeated delivery is a duplicate and adds nothing', async () => {
      const booking = fact('acct_dup', 1, '08:00:00', stay, { kind: 'booking', source: 'poll' });
      const first = recorded(await store.recordChange(booking, T0));
      expect(first).toEqual({ ...booking, seq: first.seq, receivedAt: T0, current: stay });
      expect(first.seq).toBeGreaterThan(0);
      expect(await store.latestChangeSeq('acct_dup')).toBe(first.seq);
      expect(await store.recordChange({ ...booking, source: 'webhook' }, T0 + 1)).toEqual({
        outcome: 'duplicate',
      });
      expect(await store.changesSince({ account: 'acct_dup', afterSeq: 0, limit: 10 })).toEqual([first]);
      expect(await store.latestChangeSeq('acct_dup')).toBe(first.seq);
      expect(await store.latestChangeSeq('acct_none')).toBe(0);
    });

    it('refuses an update older than the kept one, keeping the newer summary', async () => {
      const newer = fact('acct_stale', 2, '10:00:00', { ...stay, total: 500 });
      recorded(await store.recordChange(newer, T0));
      const older = fact('acct_stale', 2, '09:00:00', { ...stay, total: 450 });
      expect(await store.recordChange(older, T0 + 1)).toEqual({
        outcome: 'stale',
        keptVersion: '2026-11-29 10:00:00',
      });
      const all = await store.changesSince({ account: 'acct_stale', afterSeq: 0, limit: 10 });
      expect(all.map((c) => c.version)).toEqual(['2026-11-29 10:00:00']);
      expect(all[0]?.current).toEqual({ ...stay, total: 500 });
      // The same version again under another key is not older: it is kept.
      const same = fact('acct_stale', 2, '10:00:00', { ...stay, total: 510 }, { key: 'reservation:2@again' });
      expect(recorded(await store.recordChange(same, T0 + 2)).current).toEqual({ ...stay, total: 510 });
    });

    it('records a booking that arrives after a newer update, without replacing the newer summary', async () => {
      const update = fact('acct_late', 3, '12:00:00', { ...stay, status: 'modified', nights: 4 });
      recorded(await store.recordChange(update, T0));
      const booking = fact('acct_late', 3, '11:00:00', stay, { kind: 'booking' });
      const late = recorded(await store.recordChange(booking, T0 + 1));
      expect(late.kind).toBe('booking');
      expect(late.summary).toEqual(stay);
      expect(late.current).toEqual({ ...stay, status: 'modified', nights: 4 });
      const all = await store.changesSince({ account: 'acct_late', afterSeq: 0, limit: 10 });
      expect(all.map((c) => [c.kind, c.current?.nights])).toEqual([
        ['change', 4],
        ['booking', 4],
      ]);
      // And an update between the two versions is still stale.
      expect(
        await store.recordChange(fact('acct_late', 3, '11:30:00', { ...stay, nights: 5 }), T0 + 2),
      ).toMatchObject({ outcome: 'stale', keptVersion: '2026-11-29 12:00:00' });
    });

    it('calls an update into cancelled a cancellation once, and lists what changed', async () => {
      recorded(await store.recordChange(fact('acct_cancel', 4, '08:00:00', stay, { kind: 'booking' }), T0));
      const moved = recorded(
        await store.recordChange(
          fact('acct_cancel', 4, '09:00:00', { ...stay, departure: '2026-12-05', nights: 4, total: 560 }),
          T0 + 1,
        ),
      );
      expect(moved.kind).toBe('change');
      expect(moved.summary.changed).toEqual(['departure', 'nights', 'total']);
      expect(moved.current).toEqual({ ...stay, departure: '2026-12-05', nights: 4, total: 560 });
      const cancelled = { ...stay, departure: '2026-12-05', nights: 4, total: 560, status: 'cancelled' };
      const cancel = recorded(
        await store.recordChange(fact('acct_cancel', 4, '10:00:00', cancelled), T0 + 2),
      );
      expect(cancel.kind).toBe('cancellation');
      expect(cancel.summary.changed).toEqual(['status']);
      const again = recorded(
        await store.recordChange(fact('acct_cancel', 4, '11:00:00', { ...cancelled, total: 0 }), T0 + 3),
      );
      expect(again.kind).toBe('change');
      expect(again.summary.changed).toEqual(['total']);
      const all = await store.changesSince({ account: 'acct_cancel', afterSeq: 0, limit: 10 });
      expect(all.map((c) => c.kind)).toEqual(['booking', 'change', 'cancellation', 'change']);
      expect(all.map((c) => c.summary.changed)).toEqual([
        undefined,
        ['departure', 'nights', 'total'],
        ['status'],
        ['total'],
      ]);
      // Every change reads the entity's newest summary (without a changed list of its own).
      for (const c of all) expect(c.current).toEqual({ ...cancelled, total: 0 });
    });

    it('pages by seq, with a limit and kinds', async () => {
      const a = 'acct_page';
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++)
        seqs.push(
          recorded(await store.recordChange(fact(a, 10 + i, '08:00:00', stay, { kind: 'booking' }), T0 + i))
            .seq,
        );
      const message: AccountChange = {
        ...fact(a, 10, '08:30:00', { excerpt: 'Can we arrive early?', guest: 'Ana' }),
        kind: 'guest_message',
        key: 'message:900',
        entity: 'message:900',
        conversationId: 900,
      };
      seqs.push(recorded(await store.recordChange(message, T0 + 5)).seq);
      seqs.push(
        recorded(await store.recordChange(fact(a, 11, '09:00:00', { ...stay, status: 'cancelled' }), T0 + 6))
          .seq,
      );
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      const first = await store.changesSince({ account: a, afterSeq: 0, limit: 3 });
      expect(first.map((c) => c.seq)).toEqual(seqs.slice(0, 3));
      const next = await store.changesSince({ account: a, afterSeq: first.at(-1)!.seq, limit: 3 });
      expect(next.map((c) => c.seq)).toEqual(seqs.slice(3, 6));
      const last = await store.changesSince({ account: a, afterSeq: next.at(-1)!.seq, limit: 3 });
      expect(last.map((c) => c.kind)).toEqual(['cancellation']);
      expect(await store.changesSince({ account: a, afterSeq: last[0]!.seq, limit: 3 })).toEqual([]);
      const picked = await store.changesSince({
        account: a,
        afterSeq: 0,
        limit: 10,
        kinds: ['guest_message', 'cancellation'],
      });
      expect(picked.map((c) => c.kind)).toEqual(['guest_message', 'cancellation']);
      expect(picked[0]).toMatchObject({
        conversationId: 900,
        summary: { excerpt: 'Can we arrive early?' },
        current: { excerpt: 'Can we arrive early?', guest: 'Ana' },
        receivedAt: T0 + 5,
      });
      expect(
        (await store.changesSince({ account: a, afterSeq: seqs[1]!, limit: 10, kinds: ['booking'] })).map(
          (c) => c.seq,
        ),
      ).toEqual(seqs.slice(2, 5));
      expect(await store.changesSince({ account: a, afterSeq: 0, limit: 10, kinds: [] })).toEqual([]);
      // Without a cursor, the feed asks for what arrived since an instant: received at T0 + 5 and after.
      expect(
        (await store.changesSince({ account: a, afterSeq: 0, limit: 10, receivedSince: T0 + 5 })).map(
          (c) => c.kind,
        ),
      ).toEqual(['guest_message', 'cancellation']);
      expect(await store.latestChangeSeq(a)).toBe(seqs.at(-1));
    });

    it('keeps accounts apart: the same key, entity and versions in two accounts', async () => {
      const one = recorded(await store.recordChange(fact('acct_one', 5, '10:00:00', stay), T0));
      const two = recorded(
        await store.recordChange(fact('acct_two', 5, '10:00:00', { ...stay, guest: 'Bo' }), T0),
      );
      expect(two.seq).toBeGreaterThan(one.seq);
      // Each account checks against its own kept version: stale in acct_two, news in acct_three.
      expect(await store.recordChange(fact('acct_two', 5, '09:00:00', stay), T0)).toMatchObject({
        outcome: 'stale',
      });
      const elsewhere = recorded(
        await store.recordChange(fact('acct_three', 5, '09:00:00', { ...stay, guest: 'Cy' }), T0),
      );
      expect(elsewhere.current?.guest).toBe('Cy');
      expect(
        (await store.changesSince({ account: 'acct_one', afterSeq: 0, limit: 10 })).map((c) => c.seq),
      ).toEqual([one.seq]);
      expect(
        (await store.changesSince({ account: 'acct_two', afterSeq: 0, limit: 10 }))[0]?.current?.guest,
      ).toBe('Bo');
      expect(await store.latestChangeSeq('acct_one')).toBe(one.seq);
      expect(await store.latestChangeSeq('acct_three')).toBe(elsewhere.seq);
    });

    it('records exactly one of 20 concurrent deliveries of the same fact', async () => {
      const same = fact('acct_race', 6, '08:00:00', stay, { kind: 'booking' });
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.recordChange(same, T0 + i)),
      );
      expect(outcomes.filter((o) => o.outcome === 'recorded')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(19);
      expect(await store.changesSince({ account: 'acct_race', afterSeq: 0, limit: 50 })).toHaveLength(1);
    });

    it('keeps the newest of concurrent updates, recording them in version order', async () => {
      const times = ['08:00:07', '08:00:03', '08:00:09', '08:00:01', '08:00:05', '08:00:02', '08:00:08'];
      const outcomes = await Promise.all(
        times.map((t, i) => store.recordChange(fact('acct_order', 7, t, { ...stay, total: i }), T0 + i)),
      );
      expect(outcomes.every((o) => o.outcome === 'recorded' || o.outcome === 'stale')).toBe(true);
      const all = await store.changesSince({ account: 'acct_order', afterSeq: 0, limit: 50 });
      expect(all.length).toBe(outcomes.filter((o) => o.outcome === 'recorded').length);
      const versions = all.map((c) => c.version);
      expect(versions).toEqual([...versions].sort());
      expect(versions.at(-1)).toBe('2026-11-29 08:00:09');
      for (const c of all) expect(c.current?.total).toBe(2);
    });

    it('prunes by age and by count, and forgets entities nothing refers to', async () => {
      // A store of its own: pruning is across every account.
      const fresh = freshStoreSpec(kind);
      const own = await openWriteStore(fresh.spec);
      try {
        const a = 'acct_prune_a';
        const b = 'acct_prune_b';
        // Reservation 20's only change is old: it goes by age, and its entity (old, unreferred) with it.
        recorded(await own.recordChange(fact(a, 20, '08:00:00', stay), T0 - 10_000));
        const young: number[] = [];
        for (let i = 0; i < 4; i++)
          young.push(recorded(await own.recordChange(fact(a, 21 + i, '08:00:00', stay), T0 + i)).seq);
        for (let i = 0; i < 2; i++)
          recorded(await own.recordChange(fact(b, 30 + i, '08:00:00', stay), T0 + i));
        const latestA = await own.latestChangeSeq(a);
        const latestB = await own.latestChangeSeq(b);
        // a: one by age, then one more beyond the newest 3; b: none.
        expect(await own.pruneChanges({ olderThan: T0 - 1, keepAtMost: 3 })).toBe(2);
        expect((await own.changesSince({ account: a, afterSeq: 0, limit: 10 })).map((c) => c.seq)).toEqual(
          young.slice(1),
        );
        expect(await own.changesSince({ account: b, afterSeq: 0, limit: 10 })).toHaveLength(2);
        expect(await own.pruneChanges({ olderThan: T0 - 1, keepAtMost: 3 })).toBe(0);
        // The cursor never goes back.
        expect(await own.latestChangeSeq(a)).toBe(latestA);
        // Reservation 21's change went by count, but its entity is recent: its version is still kept.
        expect(await own.recordChange(fact(a, 21, '07:00:00', stay), T0 + 10)).toMatchObject({
          outcome: 'stale',
          keptVersion: '2026-11-29 08:00:00',
        });
        // Reservation 20 was forgotten: an older update is news again, numbered after everything.
        const again = recorded(await own.recordChange(fact(a, 20, '07:00:00', stay), T0 + 10));
        expect(again.seq).toBeGreaterThan(Math.max(latestA, latestB));
        expect(again.current).toEqual(stay);
        // Everything older than a time to come, and none kept by count: nothing left, cursors kept.
        expect(await own.pruneChanges({ olderThan: T0 + 1_000_000, keepAtMost: 1_000 })).toBe(6);
        expect(await own.changesSince({ account: a, afterSeq: 0, limit: 10 })).toEqual([]);
        expect(await own.latestChangeSeq(a)).toBe(again.seq);
        expect(await own.latestChangeSeq(b)).toBe(latestB);
        // With the entities gone too, any version is news.
        expect((await own.recordChange(fact(a, 22, '00:00:01', stay), T0 + 20)).outcome).toBe('recorded');
        expect(await own.pruneChanges({ olderThan: 0, keepAtMost: 0 })).toBe(1);
      } finally {
        await own.close();
        await fresh.cleanup();
      }
    });
  });
});

describe('SQL stores: migrations', () => {
  it('open twice on one PostgreSQL schema, concurrently, without failing or duplicating', async () => {
    const fresh = freshStoreSpec('postgres');
    const [a, b] = await Promise.all([openWriteStore(fresh.spec), openWriteStore(fresh.spec)]);
    await a.createIntent(intent('cf_shared'));
    expect((await b.getIntent('cf_shared'))?.id).toBe('cf_shared');
    await a.close();
    await b.close();
    await fresh.cleanup();
  });

  it.each(['embedded', 'postgres'] as const)(
    'upgrades a %s store made before account changes, keeping what it held',
    async (kind) => {
      const fresh = freshStoreSpec(kind);
      // The store as the first release left it: migration 1 only, with an intent and an audit entry.
      const spec = fresh.spec as Exclude<WriteStoreSpec, { kind: 'memory' }>;
      const old = await openSqlExecutor(spec);
      await migrate(old, 1);
      const before = new SqlWriteStore(old, kind);
      await before.createIntent(intent('cf_before'));
      await before.audit(auditEntry(T0));
      await expect(before.recordChange(fact('acct_up', 1, '08:00:00', stay), T0)).rejects.toThrow();
      await before.close();

      const store = await openWriteStore(fresh.spec);
      try {
        expect((await store.getIntent('cf_before'))?.payload).toEqual(intent('cf_before').payload);
        expect(await store.recentAudit({ intentId: 'cf_before', limit: 10 })).toHaveLength(1);
        const change = recorded(await store.recordChange(fact('acct_up', 1, '08:00:00', stay), T0));
        expect(await store.changesSince({ account: 'acct_up', afterSeq: 0, limit: 10 })).toEqual([change]);
        await store.audit(auditEntry(T0 + 1));
        expect(await store.recentAudit({ intentId: 'cf_before', limit: 10 })).toHaveLength(2);
      } finally {
        await store.close();
      }
      // Each migration applied once: opening again applies nothing.
      const again = await openWriteStore(fresh.spec);
      await again.close();
      const sql = await openSqlExecutor(spec);
      const { rows } = await sql.query<{ version: number }>(
        'select version from hostaway_mcp_migrations order by version',
      );
      expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
      await sql.close();
      await fresh.cleanup();
    },
    60_000,
  );

  it('keeps what the embedded store holds across a restart, and refuses a second process', async () => {
    const fresh = freshStoreSpec('embedded');
    const first = await openWriteStore(fresh.spec);
    await first.createIntent(intent('cf_durable'));
    await first.close();
    const again = await openWriteStore(fresh.spec);
    expect((await again.getIntent('cf_durable'))?.payload).toEqual(intent('cf_durable').payload);
    await again.close();
    // A live process (our parent) holding the lock keeps a second one out, with a message that helps.
    const dir = (fresh.spec as { dir: string }).dir;
    writeFileSync(join(dir, 'server.lock'), String(process.ppid));
    await expect(openWriteStore(fresh.spec)).rejects.toThrow(
      /in use by another server process.*DATABASE_URL/,
    );
    // A lock left by a process that is gone is taken over.
    writeFileSync(join(dir, 'server.lock'), '999999999');
    await (await openWriteStore(fresh.spec)).close();
    await fresh.cleanup();
  }, 60_000);
});

describe('PostgreSQL store: account changes from several processes', () => {
  it('records one of 20 deliveries of a fact raced through two PostgreSQL stores, and keeps the newest version', async () => {
    const fresh = freshStoreSpec('postgres');
    const [a, b] = await Promise.all([openWriteStore(fresh.spec), openWriteStore(fresh.spec)]);
    try {
      const same = fact('acct_shared', 1, '08:00:00', stay, { kind: 'booking' });
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordChange(same, T0 + i)),
      );
      expect(outcomes.map((o) => o.outcome).sort()).toEqual([...Array(19).fill('duplicate'), 'recorded']);
      // Twenty versions of one reservation, in a scrambled order, through both: the newest is kept, and
      // what is recorded reads in version order (no older update recorded after a newer one).
      const minutes = Array.from({ length: 20 }, (_, i) => (i * 7) % 20);
      const updates = await Promise.all(
        minutes.map((m, i) =>
          (i % 2 ? a : b).recordChange(
            fact('acct_shared', 2, `09:${String(m).padStart(2, '0')}:00`, { ...stay, nights: m }),
            T0 + i,
          ),
        ),
      );
      const all = await b.changesSince({ account: 'acct_shared', afterSeq: 0, limit: 99 });
      expect(all).toHaveLength(1 + updates.filter((o) => o.outcome === 'recorded').length);
      const versions = all.filter((c) => c.entity === 'reservation:2').map((c) => c.version);
      expect(versions).toEqual([...versions].sort());
      expect(versions.at(-1)).toBe('2026-11-29 09:19:00');
      expect(all.at(-1)?.current?.nights).toBe(19);
      expect(await a.latestChangeSeq('acct_shared')).toBe(all.at(-1)?.seq);
    } finally {
      await a.close();
      await b.close();
      await fresh.cleanup();
    }
  });
});
