/**
 * The sandbox's conversations (_conversation_*.md), their messages, and the message templates
 * (_messageTemplate_*.md). A thread is built from its generated seeds when first read; a message sent
 * or received joins it in date order and moves the conversation's timestamps and its stay's latest
 * activity. A template asked for with a reservation comes with its placeholders filled.
 */

import { formatDateTime } from '../../hostaway/dates.js';
import {
  type Conversation,
  type ConversationMessage,
  type MessageTemplate,
  WEBHOOK_OBJECTS,
} from '../../hostaway/schemas.js';
import { communicationTypeOf, messageFromSeed, messageHash, type ReservationCore } from '../data/generate.js';
import { notFound } from '../http-error.js';
import type { SandboxReservations } from './reservations.js';
import type { StoreState } from './state.js';

/** What the templates list filters by; a reservation also fills the placeholders. */
export interface TemplateFilter {
  listingMapId?: number;
  channelId?: number;
  messageTemplateGroupId?: number;
  reservationId?: number;
}

export class SandboxConversations {
  constructor(
    private readonly state: StoreState,
    /** A template asked for with a reservation answers for it, and 404s as the reservation would. */
    private readonly reservations: SandboxReservations,
  ) {}

  // -------------------------------------------------------------------------------------------------
  // Conversations and messages

  conversation(id: number): Conversation {
    const c = this.state.conversationById.get(id);
    if (!c) throw notFound(`Conversation ${id} not found`);
    return c;
  }

  /** Conversations, most recent message first. */
  searchConversations(reservationId: number | undefined): Conversation[] {
    const latest = (c: Conversation) =>
      (c.messageReceivedOn ?? '') > (c.messageSentOn ?? '')
        ? (c.messageReceivedOn ?? '')
        : (c.messageSentOn ?? '');
    const all =
      reservationId !== undefined
        ? [this.state.conversationByReservation.get(reservationId)].filter(
            (c): c is Conversation => c !== undefined,
          )
        : [...this.state.conversationById.values()];
    return all.sort((a, b) => latest(b).localeCompare(latest(a)) || b.id - a.id);
  }

  /** A conversation's messages, oldest first, built from the generated thread on first read. */
  private thread(conversationId: number): ConversationMessage[] {
    let thread = this.state.messages.get(conversationId);
    if (!thread) {
      const conv = this.conversation(conversationId);
      const listing = conv.listingMapId ? this.state.listingById.get(conv.listingMapId) : undefined;
      const reservation = conv.reservationId ? this.state.reservationById.get(conv.reservationId) : undefined;
      const type = communicationTypeOf(reservation?.channelId ?? 2000);
      thread = (this.state.threadSeeds.get(conversationId) ?? []).map((seed) =>
        messageFromSeed(seed, conv, listing, type),
      );
      this.state.messages.set(conversationId, thread);
    }
    return thread;
  }

  /** Messages newest first; scheduled and unsent ones only when asked for. */
  conversationMessages(conversationId: number, includeScheduled: boolean): ConversationMessage[] {
    this.conversation(conversationId);
    const thread = this.thread(conversationId);
    const visible = includeScheduled ? thread : thread.filter((m) => m.status === 'sent');
    return [...visible].reverse();
  }

  message(conversationId: number, messageId: number): ConversationMessage {
    this.conversation(conversationId);
    const m = this.thread(conversationId).find((x) => x.id === messageId);
    if (!m) throw notFound(`Message ${messageId} not found in conversation ${conversationId}`);
    return m;
  }

  /** The latest sent message of a conversation, as the list endpoint attaches it. */
  latestMessage(conversationId: number): ConversationMessage | undefined {
    const thread = this.thread(conversationId);
    for (let i = thread.length - 1; i >= 0; i--) if (thread[i]?.status === 'sent') return thread[i];
    return undefined;
  }

  /** Sends a host message: it joins the thread, marks the guest's messages seen and moves the timestamps. */
  sendMessage(conversationId: number, body: string, communicationType: string): ConversationMessage {
    return this.addMessage(conversationId, body, communicationType, false);
  }

  /**
   * A guest writes (demos and tests; Hostaway gets these from the channels): the message joins the
   * thread unseen and the conversation becomes unread.
   */
  receiveMessage(conversationId: number, body: string, communicationType = 'channel'): ConversationMessage {
    const message = this.addMessage(conversationId, body, communicationType, true);
    this.state.emit({
      event: 'message.received',
      object: WEBHOOK_OBJECTS.message,
      objectId: message.id,
      listingMapId: message.listingMapId ?? null,
      data: message,
    });
    return message;
  }

  private addMessage(
    conversationId: number,
    body: string,
    communicationType: string,
    incoming: boolean,
  ): ConversationMessage {
    const conv = this.conversation(conversationId);
    const listing = conv.listingMapId ? this.state.listingById.get(conv.listingMapId) : undefined;
    const stamp = formatDateTime(this.state.now());
    const id = this.state.nextMessageId++;
    const message: ConversationMessage = {
      id,
      accountId: this.state.accountId,
      listingMapId: conv.listingMapId ?? null,
      reservationId: conv.reservationId ?? null,
      conversationId,
      communicationId: null,
      airbnbThreadMessageId: null,
      channelThreadMessageId: null,
      body,
      communicationType,
      status: 'sent',
      isIncoming: incoming ? 1 : 0,
      isSeen: 0,
      sentUsingHostaway: incoming ? 0 : 1,
      hash: messageHash(id),
      listingTimeZoneName: listing?.timeZoneName ?? null,
      communicationEvent: null,
      communicationTimeDelta: null,
      communicationApplyListingTimeZone: null,
      communicationAlwaysTrigger: null,
      date: stamp,
      sentChannelDate: stamp,
      attachments: [],
      insertedOn: stamp,
      updatedOn: stamp,
    };
    const thread = incoming
      ? [...this.thread(conversationId)]
      : this.thread(conversationId).map((m) =>
          m.isIncoming && !m.isSeen ? { ...m, isSeen: 1 as const } : m,
        );
    // The thread stays in date order: scheduled messages due later stay after the one sent now.
    const later = thread.findIndex((m) => (m.date ?? '') > stamp);
    thread.splice(later === -1 ? thread.length : later, 0, message);
    this.state.messages.set(conversationId, thread);
    const next: Conversation = incoming
      ? { ...conv, messageReceivedOn: stamp, hasUnreadMessages: 1 }
      : { ...conv, messageSentOn: stamp, hasUnreadMessages: 0 };
    this.state.conversationById.set(conversationId, next);
    if (conv.reservationId) {
      this.state.conversationByReservation.set(conv.reservationId, next);
      const r = this.state.reservationById.get(conv.reservationId);
      if (r) this.state.replaceReservation({ ...r, latestActivityOn: stamp });
    }
    return message;
  }

  // -------------------------------------------------------------------------------------------------
  // Message templates

  searchTemplates(f: TemplateFilter): MessageTemplate[] {
    if (f.reservationId !== undefined) this.reservations.reservation(f.reservationId);
    const reservation =
      f.reservationId !== undefined ? this.state.reservationById.get(f.reservationId) : undefined;
    return this.state.templates
      .filter(
        (t) =>
          (f.listingMapId === undefined || t.listingMapId == null || t.listingMapId === f.listingMapId) &&
          (f.channelId === undefined || t.channelId == null || t.channelId === f.channelId) &&
          (f.messageTemplateGroupId === undefined || t.messageTemplateGroupId === f.messageTemplateGroupId),
      )
      .map((t) => (reservation ? this.fillTemplate(t, reservation) : t));
  }

  template(id: number): MessageTemplate {
    const t = this.state.templates.find((x) => x.id === id);
    if (!t) throw notFound(`Message template ${id} not found`);
    return t;
  }

  /** One template with its placeholders filled for a reservation. */
  templateFor(reservationId: number, templateId: number): MessageTemplate {
    this.reservations.reservation(reservationId);
    return this.fillTemplate(
      this.template(templateId),
      this.state.reservationById.get(reservationId) as ReservationCore,
    );
  }

  /**
   * Placeholders, written `{{name}}` as in the docs' example, get their values from the reservation and
   * its listing; a name the sandbox does not know stays as written.
   */
  private fillTemplate(t: MessageTemplate, r: ReservationCore): MessageTemplate {
    const l = this.state.listingById.get(r.listingMapId);
    const hour = (h: number | null | undefined) => (h == null ? '' : `${String(h).padStart(2, '0')}:00`);
    const values: Record<string, string> = {
      guest_first_name: r.guestFirstName ?? r.guestName ?? '',
      guest_name: r.guestName ?? '',
      listing_name: l?.name ?? '',
      listing_address: l?.address ?? '',
      arrival_date: r.arrivalDate,
      departure_date: r.departureDate,
      check_in_time: hour(l?.checkInTimeStart),
      check_out_time: hour(l?.checkOutTime),
      door_code: r.doorCode ?? '',
      wifi_username: l?.wifiUsername ?? '',
      wifi_password: l?.wifiPassword ?? '',
    };
    return {
      ...t,
      message: t.message?.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, key: string) => values[key] ?? all) ?? null,
    };
  }
}
