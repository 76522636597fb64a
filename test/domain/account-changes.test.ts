import { describe, expect, it } from 'vitest';
import {
  type AccountChange,
  type ChangeSummary,
  changedFields,
  isStale,
  planRecord,
  resolveKind,
} from '../../src/domain/account-changes.js';

const fact = (overrides: Partial<AccountChange> = {}): AccountChange => ({
  account: 'acct',
  key: 'reservation:7@2026-11-29 08:00:00',
  kind: 'change',
  entity: 'reservation:7',
  version: '2026-11-29 08:00:00',
  reservationId: 7,
  listingId: 70,
  conversationId: null,
  source: 'webhook',
  summary: { status: 'modified', arrival: '2026-12-01', departure: '2026-12-04', nights: 3, total: 300 },
  ...overrides,
});

describe('changedFields', () => {
  const before: ChangeSummary = {
    status: 'new',
    arrival: '2026-12-01',
    departure: '2026-12-04',
    guest: 'Ana Silva',
    listingName: 'The Beach House',
    nights: 3,
    total: 300,
    currency: 'EUR',
    channel: 'airbnbOfficial',
  };

  it('names the fields whose values differ, in the summary order', () => {
    expect(changedFields(before, { ...before, total: 360, departure: '2026-12-05', nights: 4 })).toEqual([
      'departure',
      'nights',
      'total',
    ]);
    expect(
      changedFields(before, { ...before, status: 'cancelled', guest: 'Ana S.', channel: 'direct' }),
    ).toEqual(['status', 'guest', 'channel']);
  });

  it('finds nothing changed in the same summary', () => {
    expect(changedFields(before, { ...before })).toEqual([]);
  });

  it('does not call a field missing from the newer summary changed (a sparse delivery)', () => {
    expect(changedFields(before, { status: 'modified' })).toEqual(['status']);
  });

  it('calls a cleared field changed, and a newly known one; missing and null before are the same', () => {
    expect(changedFields(before, { ...before, guest: null })).toEqual(['guest']);
    expect(changedFields({ status: 'new' }, { status: 'new', currency: 'EUR' })).toEqual(['currency']);
    expect(changedFields({ status: 'new' }, { status: 'new', currency: null })).toEqual([]);
    expect(changedFields({ status: 'new', total: 0 }, { status: 'new', total: null })).toEqual(['total']);
  });

  it('ignores the fields that are not facts of the stay (excerpt, changed)', () => {
    expect(changedFields({ excerpt: 'a', changed: ['x'] }, { excerpt: 'b', changed: ['y'] })).toEqual([]);
  });
});

describe('resolveKind and isStale', () => {
  it('calls an update into an ended status from a live one a cancellation, once', () => {
    expect(resolveKind(fact({ summary: { status: 'cancelled' } }), { status: 'new' })).toBe('cancellation');
    expect(resolveKind(fact({ summary: { status: 'cancelled' } }), null)).toBe('cancellation');
    expect(resolveKind(fact({ summary: { status: 'cancelled' } }), { status: 'cancelled' })).toBe('change');
    expect(resolveKind(fact({ kind: 'booking', summary: { status: 'cancelled' } }), null)).toBe('booking');
  });

  it('calls only a strictly older version stale', () => {
    expect(isStale(fact(), null)).toBe(false);
    expect(isStale(fact(), '2026-11-29 08:00:00')).toBe(false);
    expect(isStale(fact(), '2026-11-29 08:00:01')).toBe(true);
  });
});

describe('planRecord', () => {
  const kept = { version: '2026-11-29 09:00:00', summary: { status: 'new', total: 300 } };

  it('keeps the first fact of an entity, without a changed list (nothing was known before)', () => {
    expect(planRecord(fact(), null)).toEqual({
      stale: false,
      kind: 'change',
      summary: fact().summary,
      keep: { version: '2026-11-29 08:00:00', summary: fact().summary },
      current: fact().summary,
    });
  });

  it('records a newer change with what changed, and keeps it without the list', () => {
    const newer = fact({ version: '2026-11-29 10:00:00', summary: { status: 'new', total: 360 } });
    expect(planRecord(newer, kept)).toEqual({
      stale: false,
      kind: 'change',
      summary: { status: 'new', total: 360, changed: ['total'] },
      keep: { version: '2026-11-29 10:00:00', summary: { status: 'new', total: 360 } },
      current: { status: 'new', total: 360 },
    });
  });

  it('refuses an older update, and records a late booking without replacing the newer summary', () => {
    expect(planRecord(fact(), kept)).toEqual({ stale: true, keptVersion: '2026-11-29 09:00:00' });
    const booking = fact({ kind: 'booking', summary: { status: 'new', total: 250 } });
    expect(planRecord(booking, kept)).toEqual({
      stale: false,
      kind: 'booking',
      summary: { status: 'new', total: 250 },
      keep: null,
      current: kept.summary,
    });
  });

  it('lists the changes of a cancellation, and drops a changed list the fact arrived with', () => {
    const cancel = fact({
      version: '2026-11-29 10:00:00',
      summary: { status: 'cancelled', total: 300, changed: ['bogus'] },
    });
    const plan = planRecord(cancel, kept);
    expect(plan).toMatchObject({
      kind: 'cancellation',
      summary: { status: 'cancelled', changed: ['status'] },
    });
    expect(plan.stale === false && plan.keep?.summary).toEqual({ status: 'cancelled', total: 300 });
    expect(planRecord(fact({ summary: { status: 'new', changed: ['bogus'] } }), null)).toMatchObject({
      summary: { status: 'new' },
    });
    expect(planRecord(fact({ summary: { status: 'new', changed: ['bogus'] } }), null)).not.toHaveProperty(
      'summary.changed',
    );
  });

  it('gives a guest message no changed list', () => {
    const message = fact({
      kind: 'guest_message',
      key: 'message:1',
      entity: 'message:1',
      summary: { excerpt: 'Hi' },
    });
    const plan = planRecord(message, { version: '2026-11-29 07:00:00', summary: { excerpt: 'Hi' } });
    expect(plan).toMatchObject({ kind: 'guest_message', summary: { excerpt: 'Hi' } });
    expect(plan).not.toHaveProperty('summary.changed');
  });
});
