import * as z from 'zod';
import { flag, int, intLike, str } from './fields.js';
import { Reservation } from './reservations.js';

// ---------------------------------------------------------------------------------------------------
// Conversations and messages (_conversation_*.md)

/** The attachment object of `_conversation_conversationMessageObject.md`. */
export const MessageAttachment = z.looseObject({
  id: int,
  accountId: int,
  listingMapId: int,
  reservationId: int,
  taskId: int,
  conversationMessageId: int,
  communicationId: int,
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
  /** Spelled so in the conversation page's example of an attached message; see README. */
  channelThreadMessageId: str,
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

/** The reservation attached to a conversation: the conversation page's example adds three fields. */
export const ConversationReservation = Reservation.extend({
  listingName: str,
  customerIcalId: str,
  customerIcalName: str,
});
export type ConversationReservation = z.infer<typeof ConversationReservation>;

export const Conversation = z.looseObject({
  id: z.number().int(),
  accountId: int,
  listingMapId: int,
  /** The field table types it as a string, the example (and every other page) as an integer. */
  reservationId: intLike,
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
  Reservation: ConversationReservation.nullish(),
});
export type Conversation = z.infer<typeof Conversation>;
