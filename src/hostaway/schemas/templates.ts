import * as z from 'zod';
import { int, str } from './fields.js';

// ---------------------------------------------------------------------------------------------------
// Message templates (_messageTemplate_*.md)

export const MessageTemplate = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: int,
  channelId: int,
  messageTemplateGroupId: int,
  name: z.string(),
  description: str,
  message: str,
  color: int,
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;
