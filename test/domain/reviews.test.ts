import { describe, expect, it } from 'vitest';
import {
  awaitsResponse,
  countedRating,
  hasHostResponse,
  periodOf,
  type ReviewFacts,
  ratingGroups,
} from '../../src/domain/reviews.js';

const review = (over: Partial<ReviewFacts> = {}): ReviewFacts => ({
  listingMapId: 1,
  type: 'guest-to-host',
  status: 'published',
  rating: 10,
  revieweeResponse: null,
  isCancelled: 0,
  departureDate: '2026-11-03 11:00:00',
  ...over,
});

describe('periodOf', () => {
  it('reads the month, quarter or year of a date or a timestamp', () => {
    expect(periodOf('2026-11-03 11:00:00', 'month')).toBe('2026-11');
    expect(periodOf('2026-11-03', 'quarter')).toBe('2026-Q4');
    expect(periodOf('2026-03-31', 'quarter')).toBe('2026-Q1');
    expect(periodOf('2026-04-01', 'quarter')).toBe('2026-Q2');
    expect(periodOf('2026-07-01', 'year')).toBe('2026');
    expect(periodOf(null, 'month')).toBeNull();
    expect(periodOf('soon', 'month')).toBeNull();
  });
});

describe('responses', () => {
  it('a response is text in revieweeResponse; blank is none', () => {
    expect(hasHostResponse({ revieweeResponse: 'Thank you!' })).toBe(true);
    expect(hasHostResponse({ revieweeResponse: '  ' })).toBe(false);
    expect(hasHostResponse({ revieweeResponse: null })).toBe(false);
    expect(hasHostResponse({})).toBe(false);
  });

  it("only a guest's published, live review without a response waits for one", () => {
    expect(awaitsResponse(review())).toBe(true);
    expect(awaitsResponse(review({ revieweeResponse: 'Thanks' }))).toBe(false);
    expect(awaitsResponse(review({ type: 'host-to-guest' }))).toBe(false);
    expect(awaitsResponse(review({ status: 'awaiting', rating: null }))).toBe(false);
    expect(awaitsResponse(review({ status: 'submitted' }))).toBe(false);
    expect(awaitsResponse(review({ isCancelled: 1 }))).toBe(false);
  });

  it('a rating counts when a guest gave it and the review stands', () => {
    expect(countedRating(review({ rating: 8 }))).toBe(8);
    expect(countedRating(review({ rating: null }))).toBeNull();
    expect(countedRating(review({ type: 'host-to-guest' }))).toBeNull();
    expect(countedRating(review({ isCancelled: true }))).toBeNull();
  });
});

describe('ratingGroups', () => {
  it("averages each group's counted ratings to two decimals and counts the reviews awaiting a response", () => {
    const reviews = [
      review({ listingMapId: 2, rating: 10 }),
      review({ listingMapId: 2, rating: 9, revieweeResponse: 'Thanks' }),
      review({ listingMapId: 2, rating: 8 }),
      review({ listingMapId: 10, rating: 7, isCancelled: 1 }),
      review({ listingMapId: 10, rating: null, status: 'awaiting' }),
      review({ listingMapId: 10, type: 'host-to-guest', rating: 1 }),
      review({ listingMapId: 3, rating: 6, departureDate: null }),
    ];
    expect(ratingGroups(reviews, (r) => String(r.listingMapId))).toEqual([
      { key: '2', reviews: 3, rated: 3, average: 9, awaitingResponse: 2 },
      { key: '3', reviews: 1, rated: 1, average: 6, awaitingResponse: 1 },
      { key: '10', reviews: 2, rated: 0, average: null, awaitingResponse: 0 },
    ]);
    expect(
      ratingGroups([review({ rating: 10 }), review({ rating: 9 }), review({ rating: 9 })], () => 'all')[0]
        ?.average,
    ).toBe(9.33);
    // A review without a key (no departure date for a period) is left out.
    expect(ratingGroups(reviews, (r) => periodOf(r.departureDate, 'month'))).toEqual([
      { key: '2026-11', reviews: 5, rated: 3, average: 9, awaitingResponse: 2 },
    ]);
  });
});
