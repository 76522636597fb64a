/**
 * The sandbox account's state in memory, with the queries the endpoints answer and the writes that keep
 * it consistent: a calendar PUT changes the days a later GET returns, a sent message lands in its thread
 * and moves the conversation's timestamps, a task can be created, changed and deleted.
 *
 * The records, their indexes and the upkeep that keeps those true live in store/state.ts, shared by
 * every family of endpoints.
 */

import { dateInZone, formatDateTime, parseDateTime, timeInZone } from '../hostaway/dates.js';
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
import { type ReservationCore, reviewFromSeed, type SandboxData } from './data/generate.js';
import { badRequest, notFound } from './http-error.js';
import { SandboxConversations, type TemplateFilter } from './store/conversations.js';
import { SandboxListings } from './store/listings.js';
import { SandboxReservations } from './store/reservations.js';
import { type StoreListener, StoreState } from './store/state.js';

export type { StoreEvent, StoreListener } from './store/state.js';

export class SandboxStore {
  readonly accountId: number;
  private readonly state: StoreState;
  private readonly listings: SandboxListings;
  private readonly reservations: SandboxReservations;
  private readonly conversations: SandboxConversations;
  private builtReviews: Review[] | undefined;

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
  // Reviews

  /** Reviews as wire objects, built on first read. */
  private get reviews(): Review[] {
    if (!this.builtReviews) {
      this.builtReviews = this.state.reviewSeeds.map((seed) => {
        const r = this.state.reservationById.get(seed.reservationId) as ReservationCore;
        return reviewFromSeed(seed, r, this.state.listingById.get(r.listingMapId) as Listing, this.accountId);
      });
    }
    return this.builtReviews;
  }

  searchReviews(f: ReviewFilter): Review[] {
    const list = this.reviews.filter(
      (r) =>
        (!f.listingMapIds || f.listingMapIds.includes(r.listingMapId)) &&
        (f.reservationId === undefined || r.reservationId === f.reservationId) &&
        (!f.type || r.type === f.type) &&
        (!f.statuses || f.statuses.includes(r.status)) &&
        (!f.departureDateStart || (r.departureDate ?? '').slice(0, 10) >= f.departureDateStart) &&
        (!f.departureDateEnd || (r.departureDate ?? '').slice(0, 10) <= f.departureDateEnd),
    );
    const key = f.sortBy ?? 'id';
    const dir = f.sortOrder === 'desc' ? -1 : 1;
    return list.sort((a, b) => {
      const ka = a[key] ?? '';
      const kb = b[key] ?? '';
      return (ka < kb ? -1 : ka > kb ? 1 : a.id - b.id) * dir;
    });
  }

  review(id: number): Review {
    const r = this.reviews.find((x) => x.id === id);
    if (!r) throw notFound(`Review ${id} not found`);
    return r;
  }

  // -------------------------------------------------------------------------------------------------
  // Tasks

  searchTasks(f: TaskFilter): Task[] {
    const match = f.match?.toLowerCase();
    const inRange = (v: string | null | undefined, start?: string, end?: string) => {
      const day = v?.slice(0, 10) ?? '';
      return (!start || (day !== '' && day >= start)) && (!end || (day !== '' && day <= end));
    };
    return [...this.state.taskById.values()]
      .filter(
        (t) =>
          (f.channelId === undefined || t.channelId === f.channelId) &&
          (f.reservationId === undefined || t.reservationId === f.reservationId) &&
          (!f.canStartFromEvent || t.canStartFromEvent === f.canStartFromEvent) &&
          (!f.shouldEndByEvent || t.shouldEndByEvent === f.shouldEndByEvent) &&
          (!f.status || t.status === f.status) &&
          (!match ||
            t.title.toLowerCase().includes(match) ||
            (t.description ?? '').toLowerCase().includes(match)) &&
          inRange(t.canStartFrom, f.canStartFromStart, f.canStartFromEnd) &&
          inRange(t.shouldEndBy, f.shouldEndByStart, f.shouldEndByEnd),
      )
      .sort((a, b) => a.id - b.id);
  }

  task(id: number): Task {
    const t = this.state.taskById.get(id);
    if (!t) throw notFound(`Task ${id} not found`);
    return t;
  }

  createTask(fields: Partial<Task> & { title: string }): Task {
    this.checkTaskLinks(fields);
    const task: Task = {
      id: this.state.nextTaskId++,
      listingMapId: null,
      channelId: null,
      reservationId: null,
      autoTaskId: null,
      assigneeUserId: null,
      canBePickedByGroupId: null,
      supervisorUserId: null,
      createdByUserId: null,
      isUpdatedManually: 0,
      checklistTemplateId: null,
      reservationUnitId: 0,
      description: null,
      canStartFrom: null,
      canStartFromListingTime: null,
      canStartFromEvent: null,
      canStartFromEventDelta: null,
      shouldEndBy: null,
      shouldEndByListingTime: null,
      shouldEndByEvent: null,
      shouldEndByEventDelta: null,
      status: 'pending',
      resolutionNote: null,
      feedbackScore: null,
      feedbackNote: null,
      startedAt: null,
      confirmedAt: null,
      completedAt: null,
      priority: null,
      cost: null,
      costCurrency: null,
      costDescription: null,
      color: null,
      expense: null,
      rank: 0,
      checklistItems: [],
      customFieldValue: [],
      categoriesMap: null,
      ...stripUndefined(fields),
      title: fields.title,
    };
    this.stampTask(task, undefined);
    this.state.taskById.set(task.id, task);
    return task;
  }

  /** Changes the fields given and no other (but for the ones derived from them). */
  updateTask(id: number, fields: Partial<Task>): Task {
    const current = this.task(id);
    this.checkTaskLinks(fields);
    const next: Task = { ...current, ...stripUndefined(fields), id, isUpdatedManually: 1 };
    this.stampTask(next, current);
    this.state.taskById.set(id, next);
    return next;
  }

  /**
   * Fills what follows from a task's fields: the start and end in the listing's time zone when either
   * time or the listing is new, and the moment it was confirmed, started or completed when its status
   * first moves there.
   */
  private stampTask(task: Task, before: Task | undefined): void {
    const zone =
      task.listingMapId != null ? this.state.listingById.get(task.listingMapId)?.timeZoneName : null;
    const local = (utc: string | null | undefined) => {
      if (!utc || !zone) return null;
      const at = parseDateTime(utc);
      return `${dateInZone(at, zone)} ${timeInZone(at, zone)}:${utc.slice(17, 19)}`;
    };
    const moved = (key: keyof Task) => before === undefined || task[key] !== before[key];
    if (moved('canStartFrom') || moved('listingMapId'))
      task.canStartFromListingTime = local(task.canStartFrom);
    if (moved('shouldEndBy') || moved('listingMapId')) task.shouldEndByListingTime = local(task.shouldEndBy);
    const now = formatDateTime(this.now());
    if (task.status === 'confirmed' && !task.confirmedAt) task.confirmedAt = now;
    if (task.status === 'inProgress' && !task.startedAt) task.startedAt = now;
    if (task.status === 'completed' && !task.completedAt) task.completedAt = now;
  }

  deleteTask(id: number): Task {
    const task = this.task(id);
    this.state.taskById.delete(id);
    return task;
  }

  private checkTaskLinks(fields: Partial<Task>): void {
    if (fields.listingMapId != null && !this.state.listingById.has(fields.listingMapId))
      throw badRequest(`listingMapId ${fields.listingMapId} does not match any listing`);
    if (fields.reservationId != null && !this.state.reservationById.has(fields.reservationId))
      throw badRequest(`reservationId ${fields.reservationId} does not match any reservation`);
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

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
