/**
 * Reservations (_reservation_*.md), through the client's one call path (client.ts): one page at a time,
 * or every page through the afterId cursor.
 */
import type * as z from 'zod';
import type { ReservationQuery } from '../hostaway/queries.js';
import { itemEnvelope, listEnvelope, Reservation } from '../hostaway/schemas.js';
import type { Call, ReadOptions, ReservationPage, WalkOptions } from './endpoint-kit.js';
import { page } from './endpoint-kit.js';

const ReservationsEnvelope = listEnvelope(Reservation);
const ReservationEnvelope = itemEnvelope(Reservation);

export function reservationEndpoints(call: Call) {
  const self = {
    /** [_reservation_retrieveReservationsList.md] One page; `nextCursor` feeds `afterId`. */
    list: async (
      query: ReservationQuery = {},
      signal?: AbortSignal,
      { fresh = false }: ReadOptions = {},
    ): Promise<ReservationPage> => {
      const p = page(
        await call({
          method: 'GET',
          path: 'reservations',
          query: { ...query },
          schema: ReservationsEnvelope,
          what: 'the reservations list',
          idempotent: true,
          cache: fresh ? undefined : 'reservations',
          signal,
        }),
      );
      const limit = query.limit ?? p.limit ?? 100;
      return {
        ...p,
        nextCursor:
          p.items.length >= limit && p.items.length > 0 ? (p.items[p.items.length - 1]?.id ?? null) : null,
      };
    },
    /** [_reservation_retrieveReservation.md] */
    get: async (id: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `reservations/${id}`,
          schema: ReservationEnvelope,
          what: `reservation ${id}`,
          idempotent: true,
          cache: 'reservations',
          signal,
        })
      ).result,
    /** Every page through the `afterId` cursor, up to `maxItems`. */
    all: async (query: ReservationQuery = {}, options: WalkOptions = {}) => {
      const pageSize = options.pageSize ?? 100;
      const max = options.maxItems ?? 5_000;
      const items: z.infer<typeof Reservation>[] = [];
      let cursor: number | null | undefined;
      let pages = 0;
      let total: number | null = null;
      do {
        const p = await self.list(
          { ...query, limit: pageSize, afterId: cursor ?? undefined },
          options.signal,
        );
        pages++;
        total ??= p.count;
        items.push(...p.items.slice(0, max - items.length));
        cursor = p.nextCursor;
        options.onProgress?.({ fetched: items.length, total, pages });
      } while (cursor && items.length < max);
      return { items, total, truncated: items.length >= max && cursor != null };
    },
  };
  return self;
}
