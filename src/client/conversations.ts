/**
 * Guest conversations, their messages, and message templates (_conversation_*.md,
 * _messageTemplate*.md), through the client's one call path (client.ts).
 */
import {
  Conversation,
  ConversationMessage,
  itemEnvelope,
  listEnvelope,
  MessageTemplate,
} from '../hostaway/schemas.js';
import { type Call, page, type ReadOptions } from './endpoint-kit.js';

const ConversationsEnvelope = listEnvelope(Conversation);
const ConversationEnvelope = itemEnvelope(Conversation);
const MessagesEnvelope = listEnvelope(ConversationMessage);
const MessageEnvelope = itemEnvelope(ConversationMessage);
const TemplatesEnvelope = listEnvelope(MessageTemplate);
const TemplateEnvelope = itemEnvelope(MessageTemplate);

export function conversationEndpoints(call: Call) {
  const self = {
    /** [_conversation_retrieveConversationsList.md] */
    list: async (
      query: { reservationId?: number; limit?: number; offset?: number; includeResources?: boolean } = {},
      signal?: AbortSignal,
      { fresh = false }: ReadOptions = {},
    ) =>
      page(
        await call({
          method: 'GET',
          path: 'conversations',
          query,
          schema: ConversationsEnvelope,
          what: 'the conversations list',
          idempotent: true,
          cache: fresh ? undefined : 'conversations',
          signal,
        }),
      ),
    /** [_conversation_retrieveConversation.md] */
    get: async (id: number, options: { includeResources?: boolean } = {}, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `conversations/${id}`,
          query: options,
          schema: ConversationEnvelope,
          what: `conversation ${id}`,
          idempotent: true,
          cache: 'conversations',
          signal,
        })
      ).result,
    /** [_conversation_retrieveConversationsMessagesList.md] */
    messages: async (
      id: number,
      query: { limit?: number; offset?: number; includeScheduledMessages?: boolean } = {},
      signal?: AbortSignal,
    ) =>
      page(
        await call({
          method: 'GET',
          path: `conversations/${id}/messages`,
          query,
          schema: MessagesEnvelope,
          what: `the messages of conversation ${id}`,
          idempotent: true,
          cache: 'messages',
          signal,
        }),
      ),
    /** [_conversation_retrieveConversationMessage.md] */
    message: async (id: number, messageId: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `conversations/${id}/messages/${messageId}`,
          schema: MessageEnvelope,
          what: `message ${messageId}`,
          idempotent: true,
          cache: 'messages',
          signal,
        })
      ).result,
    /**
     * [_conversation_sendConversationMessage.md] Not idempotent: never repeated once it may have
     * reached Hostaway. Callers guard against double sends above this layer.
     */
    send: async (
      id: number,
      body: { body: string; communicationType?: 'email' | 'channel' | 'sms' | 'whatsapp' },
      signal?: AbortSignal,
    ) =>
      (
        await call({
          method: 'POST',
          path: `conversations/${id}/messages`,
          json: body,
          schema: MessageEnvelope,
          what: `a message to conversation ${id}`,
          idempotent: false,
          invalidates: ['messages', 'conversations', 'reservations'],
          signal,
        })
      ).result,
    /** [_reservation_retrieveConversations.md] */
    ofReservation: async (reservationId: number, signal?: AbortSignal) =>
      page(
        await call({
          method: 'GET',
          path: `reservations/${reservationId}/conversations`,
          schema: ConversationsEnvelope,
          what: `the conversations of reservation ${reservationId}`,
          idempotent: true,
          cache: 'conversations',
          signal,
        }),
      ).items,
  };
  return self;
}

export function templateEndpoints(call: Call) {
  const self = {
    /** [_messageTemplate_retrieveMessageTemplateList.md] Placeholders filled when reservationId is given. */
    list: async (
      query: {
        listingMapId?: number;
        channelId?: number;
        messageTemplateGroupId?: number;
        reservationId?: number;
      } = {},
      signal?: AbortSignal,
    ) =>
      page(
        await call({
          method: 'GET',
          path: 'messageTemplates',
          query,
          schema: TemplatesEnvelope,
          what: 'the message templates',
          idempotent: true,
          cache: 'templates',
          signal,
        }),
      ).items,
    get: async (id: number, signal?: AbortSignal) =>
      (
        await call({
          method: 'GET',
          path: `messageTemplates/${id}`,
          schema: TemplateEnvelope,
          what: `message template ${id}`,
          idempotent: true,
          cache: 'templates',
          signal,
        })
      ).result,
  };
  return self;
}
