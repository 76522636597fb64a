import * as z from 'zod';
import { flag, int, num, str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Reviews (_review_*.md). The field table spells `raiting`; the JSON example spells `rating`, which we
// follow.

export const REVIEW_TYPES = ['guest-to-host', 'host-to-guest'] as const;
export const REVIEW_STATUSES = [
  'awaiting',
  'pending',
  'scheduled',
  'submitted',
  'published',
  'expired',
] as const;
export const Review = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: z.number().int(),
  reservationId: int,
  autoReviewId: int,
  timeDelta: int,
  scheduledDateTime: z.union([z.string(), z.number()]).nullish(),
  channelId: int,
  type: z.string(),
  status: z.string(),
  rating: num,
  externalReviewId: z.union([z.string(), z.number()]).nullish(),
  externalReservationId: z.union([z.string(), z.number()]).nullish(),
  publicReview: str,
  privateFeedback: str,
  revieweeResponse: str,
  isRevieweeRecommended: flag,
  isCancelled: flag,
  autoReviewTemplateId: int,
  reviewCategory: z.array(z.unknown()).nullish(),
  departureDate: str,
  arrivalDate: str,
  listingName: str,
  guestName: str,
});
export type Review = z.infer<typeof Review>;
