import * as z from 'zod';
import { flag, int, str } from './fields.js';
import { Reservation } from './reservations.js';

// ---------------------------------------------------------------------------------------------------
// Conversations and messages (_conversation_*.md)

export const MessageAttachment = z.looseObject({
  id: int,
  name: str,
  url: str,
  extension: str,
  mimeType: str,
  isImage: flag,
  isPublic: flag,
});

export const ConversationMessage = z.looseObject({
  id: z.number().int(),
  accountId: z.number().int(),
  listingMapId: int,
  reservationId: int,
  conversationId: z.number().int(),
  communicationId: int,
  airbnbThreadMessageId: str,
  body: z.string().nullish(),
  communicationType: str,
  status: str,
  isIncoming: flag,
  isSeen: flag,
  sentUsingHostaway: flag,
  hash: str,
  listingTimeZoneName: str,
  communicationEvent: str,
  communicationTimeDelta: int,
  communicationApplyListingTimeZone: flag,
  communicationAlwaysTrigger: flag,
  date: str,
  sentChannelDate: str,
  attachments: z.array(MessageAttachment).nullish(),
  insertedOn: str,
  updatedOn: str,
});
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const COMMUNICATION_TYPES = ['email', 'channel', 'sms', 'whatsapp'] as const;
export const SendMessageBody = z.object({
  body: z.string().trim().min(1, 'body must not be empty'),
  communicationType: z.enum(COMMUNICATION_TYPES).optional(),
});

export const Conversation = z.looseObject({
  id: z.number().int(),
  accountId: int,
  listingMapId: int,
  reservationId: int,
  type: str,
  recipientEmail: str,
  recipientName: str,
  recipientPicture: str,
  hostEmail: str,
  guestEmail: str,
  hasUnreadMessages: flag,
  messageSentOn: str,
  messageReceivedOn: str,
  conversationMessages: z.array(ConversationMessage).nullish(),
  Reservation: Reservation.nullish(),
});
export type Conversation = z.infer<typeof Conversation>;
