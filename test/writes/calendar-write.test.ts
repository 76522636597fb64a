/**
 * hostaway_update_calendar through the SDK client, in both eras, against the sandbox: a preview sends no
 * write, a confirmation writes once and the days read back changed, nights a reservation holds are never
 * opened or closed, several ranges go as one calendarIntervals request, and confirmation ids that are
 * wrong, unknown or expired are refused with nothing sent.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, ERAS, startTestRuntime } from '../helpers/server.js';
import { call, LISTING, lastSeq, previewAndConfirm, sandboxDays, writesSince } from './calendar-helpers.js';

const TOOL = 'hostaway_update_calendar';
const MINUTE = 60_000;

for (const era of ERAS) {
  describe(`${TOOL}, ${era}`, () => {
    let runtime: Runtime;
    let client: Client;
    let close: () => Promise<void>;
    let clockMs = Date.parse('2026-11-25T12:00:00Z');
    beforeAll(async () => {
      runtime = await startTestRuntime({ clock: () => clockMs });
      ({ client, close } = await connect(runtime, era));
    });
    afterAll(async () => {
      await close();
      await runtime.close();
    });

    const priceWeek = {
      listingId: LISTING,
      ranges: [{ startDate: '2026-12-03', endDate: '2026-12-06' }],
      set: { price: 300, minimumStay: 2 },
    };

    it('a preview shows each day before and after, and sends no write', async () => {
      const before = sandboxDays(runtime, '2026-12-03', '2026-12-06');
      const seq = lastSeq(runtime);
      const a = await call(client, TOOL, priceWeek);
      expect(a.isError, a.text).toBe(false);
      expect(a.s.status).toBe('preview');
      expect(a.s.confirmationId).toMatch(/^cf_[A-Za-z0-9_-]{22}$/);
      expect(a.s.preview.listing).toEqual({
        id: LISTING,
        name: 'The Beach House',
        timeZone: 'America/New_York',
      });
      expect(a.s.preview.daysChanged).toBe(4);
      expect(a.s.preview.daysUnchanged).toBe(0);
      // Each day's own price differs, so each day is its own run, before -> after.
      expect(a.s.preview.changes).toEqual(
        before.map((d) => ({
          from: d.date,
          to: d.date,
          days: 1,
          before: { price: d.price, minimumStay: d.minimumStay },
          after: { price: 300, minimumStay: 2 },
        })),
      );
      expect(a.text).toContain(`2026-12-03: price ${before[0]!.price}, min stay 3 -> price 300, min stay 2`);
      expect(writesSince(runtime, seq)).toEqual([]);
      expect(sandboxDays(runtime, '2026-12-03', '2026-12-06')).toEqual(before);
    });

    it('confirming writes once, the days read back changed, and a repeated confirmation sends nothing', async () => {
      const around = sandboxDays(runtime, '2026-12-01', '2026-12-08');
      const seq = lastSeq(runtime);
      const { preview, done } = await previewAndConfirm(client, TOOL, priceWeek);
      expect(done.isError, done.text).toBe(false);
      expect(done.s).toMatchObject({
        status: 'done',
        changeId: preview.s.confirmationId,
        result: { daysChanged: 4, verified: true, notApplied: [], readBackError: null },
      });
      expect(done.text).toMatch(/Verified: every day read back/);
      expect(writesSince(runtime, seq)).toEqual([`PUT /v1/listings/${LISTING}/calendar`]);
      const after = sandboxDays(runtime, '2026-12-01', '2026-12-08');
      for (const [i, day] of after.entries()) {
        const was = around[i]!;
        const inRange = day.date >= '2026-12-03' && day.date <= '2026-12-06';
        expect(day, day.date).toEqual(inRange ? { ...was, price: 300, minimumStay: 2 } : was);
      }
      const again = await call(client, TOOL, { ...priceWeek, confirmationId: preview.s.confirmationId });
      expect(again.s).toMatchObject({ status: 'done', repeated: true, changeId: preview.s.confirmationId });
      expect(writesSince(runtime, seq)).toHaveLength(1);
      // And a new preview of the same change finds nothing left to change.
      const same = await call(client, TOOL, priceWeek);
      expect(same.s.status).toBe('blocked');
      expect(same.s.blockers).toEqual([
        'every day of the ranges already holds price 300, min stay 2: there is nothing to change',
      ]);
    });

    it('closing or opening nights a reservation holds is blocked, the reservation named', async () => {
      const seq = lastSeq(runtime);
      const block = await call(client, TOOL, {
        listingId: LISTING,
        ranges: [{ startDate: '2026-12-05', endDate: '2026-12-09' }],
        set: { available: false },
      });
      expect(block.isError, block.text).toBe(false);
      expect(block.s.status).toBe('blocked');
      expect(block.s.confirmationId).toBeUndefined();
      expect(block.s.blockers).toHaveLength(1);
      expect(block.s.blockers[0]).toMatch(
        /^reservation 1000061 \(Tomas Lindqvist, 2026-12-07 to 2026-12-10\) holds the night\(s\) 2026-12-07\.\.2026-12-09:/,
      );
      // The free nights of the range would still change: the preview says so.
      expect(block.s.preview.daysChanged).toBe(2);
      const open = await call(client, TOOL, {
        listingId: LISTING,
        ranges: [
          { startDate: '2026-12-12', endDate: '2026-12-13' },
          { startDate: '2026-12-24', endDate: '2026-12-24' },
        ],
        set: { available: true },
      });
      expect(open.s.status).toBe('blocked');
      expect(open.s.blockers).toEqual([
        expect.stringMatching(
          /^reservation 1000062 \(Chen Novak, 2026-12-13 to 2026-12-23\) holds the night\(s\) 2026-12-13:/,
        ),
        expect.stringMatching(
          /^reservation 1000063 \(Emma Brown, 2026-12-24 to 2026-12-31\) holds the night\(s\) 2026-12-24:/,
        ),
      ]);
      expect(writesSince(runtime, seq)).toEqual([]);
      // A price on a reserved night touches no availability: it may go ahead.
      const price = await call(client, TOOL, {
        listingId: LISTING,
        ranges: [{ startDate: '2026-12-13', endDate: '2026-12-14' }],
        set: { price: 250 },
      });
      expect(price.s.status).toBe('preview');
    });

    it('several ranges (relative dates in the listing zone) go as one calendarIntervals request', async () => {
      const before = sandboxDays(runtime, '2026-12-05', '2026-12-11');
      const seq = lastSeq(runtime);
      const args = {
        listingId: LISTING,
        // Today is 2026-11-25 in New York: +10 is 5 December.
        ranges: [
          { startDate: '2026-12-10', endDate: '2026-12-11' },
          { startDate: '+10', endDate: '+11' },
        ],
        set: { available: false, note: 'Painting' },
      };
      const { preview, done } = await previewAndConfirm(client, TOOL, args);
      expect(preview.s.preview.ranges).toEqual([
        { startDate: '2026-12-05', endDate: '2026-12-06' },
        { startDate: '2026-12-10', endDate: '2026-12-11' },
      ]);
      expect(preview.s.preview.changes).toEqual([
        {
          from: '2026-12-05',
          to: '2026-12-06',
          days: 2,
          before: { available: true, note: null },
          after: { available: false, note: 'Painting' },
        },
        {
          from: '2026-12-10',
          to: '2026-12-11',
          days: 2,
          before: { available: true, note: null },
          after: { available: false, note: 'Painting' },
        },
      ]);
      expect(done.s.result).toMatchObject({ daysChanged: 4, verified: true });
      expect(writesSince(runtime, seq)).toEqual([`PUT /v1/listings/${LISTING}/calendarIntervals`]);
      const after = sandboxDays(runtime, '2026-12-05', '2026-12-11');
      for (const [i, day] of after.entries()) {
        const was = before[i]!;
        const changed = ['2026-12-05', '2026-12-06', '2026-12-10', '2026-12-11'].includes(day.date);
        expect(day, day.date).toEqual(
          changed ? { ...was, isAvailable: 0, status: 'blocked', note: 'Painting' } : was,
        );
      }
    });

    it('refuses a confirmation for other arguments, an unknown one and an expired one, sending nothing', async () => {
      const args = {
        listingId: LISTING,
        ranges: [{ startDate: '2026-12-23', endDate: '2026-12-23' }],
        set: { maximumStay: 14 },
      };
      const before = sandboxDays(runtime, '2026-12-23', '2026-12-23');
      const seq = lastSeq(runtime);
      const preview = await call(client, TOOL, args);
      const id = preview.s.confirmationId as string;
      const other = await call(client, TOOL, { ...args, set: { maximumStay: 15 }, confirmationId: id });
      expect(other.isError).toBe(true);
      expect(other.text).toMatch(/was issued for different arguments\. Nothing was changed/);
      const unknown = await call(client, TOOL, { ...args, confirmationId: 'cf_AAAAAAAAAAAAAAAAAAAAAA' });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toMatch(/No hostaway_update_calendar preview has confirmation id/);
      clockMs += 11 * MINUTE;
      const expired = await call(client, TOOL, { ...args, confirmationId: id });
      expect(expired.isError).toBe(true);
      expect(expired.text).toMatch(new RegExp(`Confirmation id "${id}" expired at .*Nothing was changed`));
      expect(writesSince(runtime, seq)).toEqual([]);
      expect(sandboxDays(runtime, '2026-12-23', '2026-12-23')).toEqual(before);
      // A fresh preview, confirmed in time, still goes through.
      const { done } = await previewAndConfirm(client, TOOL, args);
      expect(done.s.status).toBe('done');
      expect(sandboxDays(runtime, '2026-12-23', '2026-12-23')).toEqual([{ ...before[0]!, maximumStay: 14 }]);
    });

    it('an answer lost after Hostaway took the write: reading back shows it took', async () => {
      const args = {
        listingId: LISTING,
        ranges: [{ startDate: '2027-01-04', endDate: '2027-01-06' }],
        set: { minimumStay: 4 },
      };
      const preview = await call(client, TOOL, args);
      // Every answer to the PUT is cut half way, after the sandbox applied it (retries included).
      runtime.sandbox!.faults.add({
        method: 'PUT',
        path: `/v1/listings/${LISTING}/calendar`,
        kind: 'truncated',
      });
      try {
        const done = await call(client, TOOL, { ...args, confirmationId: preview.s.confirmationId });
        expect(done.s).toMatchObject({
          status: 'done',
          result: { daysChanged: 3, verified: true, notApplied: [] },
        });
        expect(done.s.note).toMatch(/the answer was lost; reading back showed it took/);
      } finally {
        runtime.sandbox!.faults.clear();
      }
      expect(sandboxDays(runtime, '2027-01-04', '2027-01-06').map((d) => d.minimumStay)).toEqual([4, 4, 4]);
    });

    it('a write Hostaway failed: reading back shows nothing changed, and it says so', async () => {
      const args = {
        listingId: LISTING,
        ranges: [{ startDate: '2027-01-05', endDate: '2027-01-06' }],
        set: { note: 'never written' },
      };
      const before = sandboxDays(runtime, '2027-01-05', '2027-01-06');
      const preview = await call(client, TOOL, args);
      runtime.sandbox!.faults.add({ method: 'PUT', path: '/v1/**', kind: 'status', status: 503 });
      try {
        const failed = await call(client, TOOL, { ...args, confirmationId: preview.s.confirmationId });
        expect(failed.s.status).toBe('failed');
        expect(failed.s.note).toMatch(/\(checked by reading back\)\. Nothing was changed/);
      } finally {
        runtime.sandbox!.faults.clear();
      }
      expect(sandboxDays(runtime, '2027-01-05', '2027-01-06')).toEqual(before);
    });

    it('says what is wrong with arguments no calendar can take', async () => {
      const range = [{ startDate: '2026-12-23', endDate: '2026-12-23' }];
      const empty = await call(client, TOOL, { listingId: LISTING, ranges: range, set: {} });
      expect(empty.isError).toBe(true);
      expect(empty.text).toMatch(/set must hold at least one of available, price/);
      const past = await call(client, TOOL, {
        listingId: LISTING,
        ranges: [{ startDate: '2026-11-20', endDate: '2026-11-30' }],
        set: { price: 200 },
      });
      expect(past.isError).toBe(true);
      expect(past.text).toMatch(
        /ranges\[0\]\.startDate \(2026-11-20\) is before today .*\(2026-11-25, America\/New_York\)/,
      );
      const stays = await call(client, TOOL, {
        listingId: LISTING,
        ranges: range,
        set: { minimumStay: 9, maximumStay: 4 },
      });
      expect(stays.text).toMatch(/set\.minimumStay \(9\) is more than set\.maximumStay \(4\)/);
      const wide = await call(client, TOOL, {
        listingId: LISTING,
        ranges: [...range, { startDate: '2028-01-01', endDate: '2028-01-02' }],
        set: { price: 200 },
      });
      expect(wide.isError).toBe(true);
      expect(wide.text).toMatch(
        /the first startDate to the last endDate covers 376 days, both included; at most 366/,
      );
    });
  });
}
