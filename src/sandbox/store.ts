/**
 * The sandbox account's state in memory, with the queries the endpoints answer and the writes that keep
 * it consistent: a calendar PUT changes the days a later GET returns, a sent message lands in its thread
 * and moves the conversation's timestamps, a task can be created, changed and deleted.
 *
 * SandboxStore is the one face the rest of the sandbox calls. Each family of endpoints keeps its logic
 * in store/: listings.ts (with the calendar), reservations.ts, conversations.ts (with messages and
 * templates) and reviews-tasks.ts, all over one StoreState (store/state.ts) that holds the records, their
 * indexes and the upkeep that keeps those true, so that a write in one family shows in another's reads.
 */

import type { ListingFilter, ReservationFilter, ReviewFilter, TaskFilter } from '../hostaway/queries.js';
import type {
  CalendarDay,
  CalendarUpdateBody,
  Conversation,
  ConversationMessage,
  ConversationReservation,
  Listing,
  MessageTemplate,
  Reservation,
  ReservationCreateBody,
  ReservationUpdateBody,
  Review,
  Task,
} from '../hostaway/schemas.js';
import type { ReservationCore, SandboxData } from './data/generate.js';
import { SandboxConversations, type TemplateFilter } from './store/conversations.js';
import { SandboxListings } from './store/listings.js';
import { SandboxReservations } from './store/reservations.js';
import { SandboxReviews, SandboxTasks } from './store/reviews-tasks.js';
import { type StoreListener, StoreState } from './store/state.js';

export type { StoreEvent, StoreListener } from './store/state.js';

export class SandboxStore {
  readonly accountId: number;
  private readonly state: StoreState;
  private readonly listings: SandboxListings;
  private readonly reservations: SandboxReservations;
  private readonly conversations: SandboxConversations;
  private readonly reviews: SandboxReviews;
  private readonly tasks: SandboxTasks;

  constructor(
    data: SandboxData,
    /** The sandbox's clock: the seeded present plus the time since start. */
    readonly now: () => number,
  ) {
    this.state = new StoreState(data, now);
    this.accountId = data.accountId;
    this.listings = new SandboxListings(this.state);
    this.reservations = new SandboxReservations(this.state);
    this.conversations = new SandboxConversations(this.state, this.reservations);
    this.reviews = new SandboxReviews(this.state);
    this.tasks = new SandboxTasks(this.state);
  }

  /** Hears every change the unified webhooks report; returns the call that stops listening. */
  onEvent(listener: StoreListener): () => void {
    return this.state.onEvent(listener);
  }

  // -------------------------------------------------------------------------------------------------
  // Listings and their calendars (store/listings.ts)

  listing(id: number): Listing {
    return this.listings.listing(id);
  }

  listingWithUrls(listing: Listing): Listing {
    return this.listings.listingWithUrls(listing);
  }

  withHiddenCustomFields(listing: Listing): Listing {
    return this.listings.withHiddenCustomFields(listing);
  }

  today(listing: Listing): string {
    return this.listings.today(listing);
  }

  searchListings(f: ListingFilter): Listing[] {
    return this.listings.searchListings(f);
  }

  isFree(listing: Listing, start: string, end: string): boolean {
    return this.listings.isFree(listing, start, end);
  }

  calendar(
    listingId: number,
    startDate: string | undefined,
    endDate: string | undefined,
    withReservations: boolean,
  ) {
    return this.listings.calendar(listingId, startDate, endDate, withReservations);
  }

  updateCalendar(listingId: number, update: CalendarUpdateBody): CalendarDay[] {
    return this.listings.updateCalendar(listingId, update);
  }

  updateCalendarIntervals(listingId: number, updates: readonly CalendarUpdateBody[]): void {
    this.listings.updateCalendarIntervals(listingId, updates);
  }

  // -------------------------------------------------------------------------------------------------
  // Reservations, read and written (store/reservations.ts)

  reservation(id: number): Reservation {
    return this.reservations.reservation(id);
  }

  conversationReservation(id: number): ConversationReservation {
    return this.reservations.conversationReservation(id);
  }

  /** The documented reservation object of a stay. */
  wire(core: ReservationCore): Reservation {
    return this.state.wire(core);
  }

  searchReservations(f: ReservationFilter): ReservationCore[] {
    return this.reservations.searchReservations(f);
  }

  pageAfter(items: ReservationCore[], afterId: number, sortOrder: string | undefined): ReservationCore[] {
    return this.reservations.pageAfter(items, afterId, sortOrder);
  }

  createReservation(
    body: ReservationCreateBody,
    options?: { forceOverbooking?: boolean; provider?: string },
  ): Reservation {
    return this.reservations.createReservation(body, options);
  }

  updateReservation(id: number, body: ReservationUpdateBody, options?: { forceOverbooking?: boolean }) {
    return this.reservations.updateReservation(id, body, options);
  }

  cancelReservation(id: number, cancelledBy: 'host' | 'guest'): Reservation {
    return this.reservations.cancelReservation(id, cancelledBy);
  }

  // -------------------------------------------------------------------------------------------------
  // Conversations, their messages and the message templates (store/conversations.ts)

  conversation(id: number): Conversation {
    return this.conversations.conversation(id);
  }

  searchConversations(reservationId: number | undefined): Conversation[] {
    return this.conversations.searchConversations(reservationId);
  }

  conversationMessages(conversationId: number, includeScheduled: boolean): ConversationMessage[] {
    return this.conversations.conversationMessages(conversationId, includeScheduled);
  }

  message(conversationId: number, messageId: number): ConversationMessage {
    return this.conversations.message(conversationId, messageId);
  }

  latestMessage(conversationId: number): ConversationMessage | undefined {
    return this.conversations.latestMessage(conversationId);
  }

  sendMessage(conversationId: number, body: string, communicationType: string): ConversationMessage {
    return this.conversations.sendMessage(conversationId, body, communicationType);
  }

  receiveMessage(conversationId: number, body: string, communicationType?: string): ConversationMessage {
    return this.conversations.receiveMessage(conversationId, body, communicationType);
  }

  searchTemplates(f: TemplateFilter): MessageTemplate[] {
    return this.conversations.searchTemplates(f);
  }

  template(id: number): MessageTemplate {
    return this.conversations.template(id);
  }

  templateFor(reservationId: number, templateId: number): MessageTemplate {
    return this.conversations.templateFor(reservationId, templateId);
  }

  // -------------------------------------------------------------------------------------------------
  // Reviews and tasks (store/reviews-tasks.ts)

  searchReviews(f: ReviewFilter): Review[] {
    return this.reviews.searchReviews(f);
  }

  review(id: number): Review {
    return this.reviews.review(id);
  }

  searchTasks(f: TaskFilter): Task[] {
    return this.tasks.searchTasks(f);
  }

  task(id: number): Task {
    return this.tasks.task(id);
  }

  createTask(fields: Partial<Task> & { title: string }): Task {
    return this.tasks.createTask(fields);
  }

  updateTask(id: number, fields: Partial<Task>): Task {
    return this.tasks.updateTask(id, fields);
  }

  deleteTask(id: number): Task {
    return this.tasks.deleteTask(id);
  }

  // -------------------------------------------------------------------------------------------------
  // What the finance reports read

  allReservations(): readonly ReservationCore[] {
    return this.state.reservationsInIdOrder;
  }

  allListings(): readonly Listing[] {
    return this.state.listings;
  }

  counts() {
    return {
      listings: this.state.listings.length,
      reservations: this.state.reservationsInIdOrder.length,
      conversations: this.state.conversationById.size,
      messages: [...this.state.threadSeeds.keys()].reduce(
        (n, id) => n + (this.state.messages.get(id)?.length ?? this.state.threadSeeds.get(id)?.length ?? 0),
        0,
      ),
      reviews: this.state.reviewSeeds.length,
      tasks: this.state.taskById.size,
      templates: this.state.templates.length,
    };
  }
}
