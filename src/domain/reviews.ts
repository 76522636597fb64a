/**
 * Reviews as a manager reads them: the rating averages per listing and per period, and the guests'
 * reviews still waiting for the host's public response.
 *
 * The docs' review object names the response `revieweeResponse` (the reviewee's answer: for a
 * guest-to-host review, the host's). The docs do not say the rating scale, so averages are of the
 * ratings as Hostaway gives them. The only dates a review carries are the stay's arrival and departure;
 * a review's period is its stay's month, quarter or year of departure.
 */

export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export interface ReviewFacts {
  listingMapId: number;
  type: string;
  status: string;
  rating?: number | null;
  revieweeResponse?: string | null;
  isCancelled?: 0 | 1 | boolean | null;
  departureDate?: string | null;
}

/** The period of a `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM:SS`) date: 2026-11, 2026-Q4 or 2026. */
export function periodOf(date: string | null | undefined, period: Period): string | null {
  const m = /^(\d{4})-(\d{2})/.exec(date ?? '');
  if (!m) return null;
  const [, year, month] = m as unknown as [string, string, string];
  if (period === 'year') return year;
  if (period === 'quarter') return `${year}-Q${Math.ceil(Number(month) / 3)}`;
  return `${year}-${month}`;
}

/** The host answered: the documented response field holds text. */
export function hasHostResponse(r: Pick<ReviewFacts, 'revieweeResponse'>): boolean {
  return (r.revieweeResponse ?? '').trim() !== '';
}

/** A guest's published review, not cancelled, that the host has not answered. */
export function awaitsResponse(r: ReviewFacts): boolean {
  return r.type === 'guest-to-host' && r.status === 'published' && !r.isCancelled && !hasHostResponse(r);
}

/** A rating that counts towards the listing's average: a guest's, not cancelled, with a number. */
export function countedRating(r: ReviewFacts): number | null {
  if (r.type !== 'guest-to-host' || r.isCancelled) return null;
  return typeof r.rating === 'number' && Number.isFinite(r.rating) ? r.rating : null;
}

export interface RatingGroup {
  key: string;
  /** Guests' reviews in the group (cancelled ones included). */
  reviews: number;
  /** Those with a rating that counts. */
  rated: number;
  /** Mean of those ratings, to two decimals; null when none. */
  average: number | null;
  awaitingResponse: number;
}

/**
 * Guests' reviews grouped by `keyOf` (reviews of another type, and those whose key is null, are left
 * out), groups in key order.
 */
export function ratingGroups<R extends ReviewFacts>(
  reviews: readonly R[],
  keyOf: (r: R) => string | null,
): RatingGroup[] {
  const groups = new Map<string, { reviews: number; sum: number; rated: number; awaiting: number }>();
  for (const r of reviews) {
    if (r.type !== 'guest-to-host') continue;
    const key = keyOf(r);
    if (key === null) continue;
    const g = groups.get(key) ?? { reviews: 0, sum: 0, rated: 0, awaiting: 0 };
    g.reviews++;
    const rating = countedRating(r);
    if (rating !== null) {
      g.sum += rating;
      g.rated++;
    }
    if (awaitsResponse(r)) g.awaiting++;
    groups.set(key, g);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, g]) => ({
      key,
      reviews: g.reviews,
      rated: g.rated,
      average: g.rated ? Math.round((g.sum / g.rated) * 100) / 100 : null,
      awaitingResponse: g.awaiting,
    }));
}
