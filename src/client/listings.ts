/**
 * Listings and their calendars (_listing_*.md, _calendar_*.md), through the client's one call path
 * (client.ts): reads cached by namespace, calendar writes invalidating what they touch.
 */
import type * as z from 'zod';
import type { ListingQuery } from '../hostaway/queries.js';
import {
  CalendarDay,
  type CalendarUpdateBody,
  itemEnvelope,
  Listing,
  listEnvelope,
} from '../hostaway/schemas.js';
import { AnyEnvelope, type Call, type Page, page, type WalkOptions, walkOffset } from './endpoint-kit.js';

export const ListingsEnvelope = listEnvelope(Listing);
const ListingEnvelope = itemEnvelope(Listing);
const CalendarEnvelope = itemEnvelope(CalendarDay.array());

export function listingEndpoints(call: Call) {
  const self = {
    /** [_listing_retrieveListingsList.md] */
    list: async (query: ListingQuery = {}, signal?: AbortSignal): Promise<Page<z.infer<typeof Listing>>> =>
      page(
        await call({
          method: 'GET',
          path: 'listings',
          query: { ...query },
          schema: ListingsEnvelope,
          what: 'the listings list',
          idempotent: true,
          cache: 'listings',
          signal,
        }),
      ),
    /** [_listing_retrieveListing.md] */
    get: async (id: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `listings/${id}`,
          schema: ListingEnvelope,
          what: `listing ${id}`,
          idempotent: true,
          cache: 'listings',
          signal,
        })
      ).result,
    all: (query: ListingQuery = {}, options: WalkOptions = {}) =>
      walkOffset((limit, offset, signal) => self.list({ ...query, limit, offset }, signal), options),
  };
  return self;
}

export function calendarEndpoints(call: Call) {
  const self = {
    /** [_calendar_retrieveCalendar.md] Days from startDate to endDate, both included. */
    get: async (
      listingId: number,
      range: { startDate?: string; endDate?: string; includeResources?: boolean } = {},
      signal?: AbortSignal,
    ) =>
      (
        await call({
          method: 'GET',
          path: `listings/${listingId}/calendar`,
          query: range,
          schema: CalendarEnvelope,
          what: `the calendar of listing ${listingId}`,
          idempotent: true,
          cache: 'calendar',
          signal,
        })
      ).result,
    /** [_calendar_updateCalendar.md] Sets the same values on every day of the range. */
    update: async (listingId: number, body: CalendarUpdateBody, signal?: AbortSignal) =>
      (
        await call({
          method: 'PUT',
          path: `listings/${listingId}/calendar`,
          json: body,
          schema: CalendarEnvelope,
          what: `the calendar of listing ${listingId}`,
          idempotent: true,
          invalidates: ['calendar', 'listings'],
          signal,
        })
      ).result,
    /** [_calendar_batchCalendarUpdate.md] At most 200 intervals. */
    updateIntervals: async (listingId: number, intervals: CalendarUpdateBody[], signal?: AbortSignal) => {
      await call({
        method: 'PUT',
        path: `listings/${listingId}/calendarIntervals`,
        json: intervals,
        schema: AnyEnvelope,
        what: `the calendar of listing ${listingId}`,
        idempotent: true,
        invalidates: ['calendar', 'listings'],
        signal,
      });
    },
  };
  return self;
}
