/** The text of hostaway_list_reviews: counts, the summary as small tables, then each review, fenced. */
import { fenceGuestText } from '../domain/guest-text.js';
import { table } from '../domain/render.js';
import type { ReviewLine, ReviewsOutput, Summary } from './reviews.js';

function renderSummary(s: Summary): string {
  const head = `Summary over ${s.reviews} guest review(s) among ${s.read} read${s.complete ? '' : ' (not all: narrow the filters)'}: average rating ${s.average ?? 'none'} from ${s.rated} rated (as Hostaway gives them); ${s.awaitingResponse} published without a host response.`;
  const cols = ['reviews', 'rated', 'average', 'awaitingResponse'];
  return [
    head,
    'By listing:',
    table(s.byListing, ['listingId', 'listing', ...cols]),
    `By ${s.period} of departure:`,
    table(s.byPeriod, ['period', ...cols]),
  ].join('\n');
}

function renderLine(r: ReviewLine): string {
  const facts = [
    `#${r.id}`,
    r.reservationId ? `reservation ${r.reservationId}` : null,
    `${r.listing ?? 'listing'} (${r.listingId})`,
    r.guest,
    r.channel,
    `${r.type}, ${r.status}`,
    r.rating !== null ? `rating ${r.rating}` : 'no rating',
    r.arrival && r.departure ? `stayed ${r.arrival} to ${r.departure}` : null,
    r.hostResponded ? 'host responded' : r.awaitingResponse ? 'no host response yet' : null,
  ].filter(Boolean);
  // Guests wrote guest-to-host reviews; a host-to-guest review is the host's own text, quoted alike.
  const label = r.type === 'host-to-guest' ? 'host-written review' : undefined;
  const parts = [facts.join(' · ')];
  if (r.review) parts.push(fenceGuestText(r.review, label));
  if (r.privateFeedback) parts.push(`private feedback:\n${fenceGuestText(r.privateFeedback, label)}`);
  return parts.join('\n');
}

export function renderReviews(o: ReviewsOutput): string {
  const head = `${o.reviews.length} review(s)${o.matched !== null ? ` of ${o.matched}` : ''} (${o.query || 'no filter'})${o.nextOffset !== null ? `; next page: offset=${o.nextOffset}` : ''}`;
  return [head, ...(o.summary ? [renderSummary(o.summary)] : []), ...o.reviews.map(renderLine)].join('\n\n');
}
