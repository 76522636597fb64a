/**
 * One contract for every write store: the transitions that decide "never twice" are atomic, expiry and
 * leases hold, outcomes and the audit log read back as written. Run on memory, embedded
 * (SQLite in WebAssembly) and the PostgreSQL server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWriteStore } from '../../src/writes/open.js';
import type { NewIntent, WriteStore } from '../../src/writes/store.js';
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
