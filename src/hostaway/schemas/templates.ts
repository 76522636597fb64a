import * as z from 'zod';
import { intLike, str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Message templates (_messageTemplate_*.md)

/** The field table types the ids and `color` as int; the example shows numeric strings: both are read. */
export const MessageTemplate = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: intLike,
  channelId: intLike,
  messageTemplateGroupId: intLike,
  name: z.string(),
  description: str,
  message: str,
  color: intLike,
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;
