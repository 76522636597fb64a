/**
 * What the sandbox store's endpoint families share: the account's records and the indexes over them,
 * the id counters, the listeners of changes, and the upkeep that keeps the indexes true when a stay or
 * a listing is replaced. One per account, built by the store (../store.ts) and handed to each family
 * (listings.ts, reservations.ts, conversations.ts, reviews-tasks.ts), so that no family keeps a copy.
 *
 * Stored objects are replaced, never edited in place, when they change: the HTTP layer caches each
 * object's JSON by identity, so a replaced object is serialized afresh and an unchanged one never again.
 */

import { dayNumber, formatDateTime } from '../../hostaway/dates.js';
import {
  BLOCKING_STATUSES,
  type Conversation,
  type ConversationMessage,
  type Listing,
  type MessageTemplate,
  type Reservation,
  type ReservationStatus,
  type Task,
  type WEBHOOK_OBJECTS,
  type WebhookEvent,
} from '../../hostaway/schemas.js';
import {
  type CalendarOverride,
  type MessageSeed,
  type ReservationCore,
  type ReviewSeed,
  reservationWire,
  type SandboxData,
} from '../data/generate.js';

/**
 * A change the unified webhooks report: a reservation created or updated (a cancellation is an update),
 * a guest's message received. `data` is the object as its own GET answers it at the time of the change.
 */
export interface StoreEvent {
  event: WebhookEvent;
  object: (typeof WEBHOOK_OBJECTS)[keyof typeof WEBHOOK_OBJECTS];
  objectId: number;
  listingMapId: number | null;
  data: object;
}
export type StoreListener = (event: StoreEvent) => void;

export class StoreState {
  readonly accountId: number;
  listings: Listing[];
  readonly listingById = new Map<number, Listing>();
  readonly reservationById = new Map<number, ReservationCore>();
  reservationsInIdOrder: ReservationCore[];
  /** Wire objects built so far, by core: replacing a core forgets its wire object. */
  private readonly wireOf = new WeakMap<ReservationCore, Reservation>();
  /** listing id -> night -> the reservation holding it (blocking statuses only). */
  readonly nightsHeld = new Map<number, Map<number, ReservationCore>>();
  readonly overrides: Map<number, Map<string, CalendarOverride>>;
  readonly conversationById = new Map<number, Conversation>();
  readonly conversationByReservation = new Map<number, Conversation>();
  /** Threads as generated; each becomes wire objects in `messages` when first read. */
  readonly threadSeeds: Map<number, MessageSeed[]>;
  readonly messages = new Map<number, ConversationMessage[]>();
  readonly templates: MessageTemplate[];
  readonly reviewSeeds: ReviewSeed[];
  readonly taskById = new Map<number, Task>();
  readonly bookingEngineListings: Set<number>;
  /** The reservations list in each sort order asked for so far; any change to a stay forgets them all. */
  readonly sortedReservations = new Map<string, ReservationCore[]>();
  nextMessageId: number;
  nextTaskId: number;
  nextReservationId: number;
  nextConversationId: number;
  private readonly listeners = new Set<StoreListener>();

  constructor(
    data: SandboxData,
    /** The sandbox's clock: the seeded present plus the time since start. */
    readonly now: () => number,
  ) {
    this.accountId = data.accountId;
    this.listings = data.listings;
    for (const l of data.listings) this.listingById.set(l.id, l);
    this.reservationsInIdOrder = data.reservations;
    for (const r of data.reservations) {
      this.reservationById.set(r.id, r);
      this.holdNights(r);
    }
    this.overrides = data.calendarOverrides;
    for (const c of data.conversations) {
      this.conversationById.set(c.id, c);
      if (c.reservationId) this.conversationByReservation.set(c.reservationId, c);
    }
    this.threadSeeds = data.threads;
    this.templates = data.templates;
    this.reviewSeeds = data.reviews;
    for (const t of data.tasks) this.taskById.set(t.id, t);
    this.bookingEngineListings = data.bookingEngineListings;
    let lastMessageId = 0;
    for (const thread of data.threads.values())
      for (const m of thread) lastMessageId = Math.max(lastMessageId, m.id);
    this.nextMessageId = lastMessageId + 1;
    this.nextTaskId = 1 + data.tasks.reduce((max, t) => Math.max(max, t.id), 70_000);
    this.nextReservationId = 1 + data.reservations.reduce((max, r) => Math.max(max, r.id), 1_000_000);
    this.nextConversationId = 1 + data.conversations.reduce((max, c) => Math.max(max, c.id), 200_000);
  }

  /** Hears every change the unified webhooks report; returns the call that stops listening. */
  onEvent(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own: the write it heard of is done.
      }
    }
  }

  /** The documented reservation object of a stay. */
  wire(core: ReservationCore): Reservation {
    let w = this.wireOf.get(core);
    if (!w) {
      w = reservationWire(core);
      this.wireOf.set(core, w);
    }
    return w;
  }

  holdNights(r: ReservationCore): void {
    if (!BLOCKING_STATUSES.has(r.status as ReservationStatus)) return;
    let held = this.nightsHeld.get(r.listingMapId);
    if (!held) {
      held = new Map();
      this.nightsHeld.set(r.listingMapId, held);
    }
    for (let d = dayNumber(r.arrivalDate); d < dayNumber(r.departureDate); d++) held.set(d, r);
  }

  replaceReservation(next: ReservationCore): void {
    const before = this.reservationById.get(next.id);
    this.reservationById.set(next.id, next);
    this.reservationsInIdOrder = this.reservationsInIdOrder.map((r) => (r.id === next.id ? next : r));
    this.sortedReservations.clear();
    // The calendar reads the stay holding each night: it must be this version, on these dates (or none).
    if (before && before.listingMapId !== next.listingMapId) this.reholdNights(before.listingMapId);
    this.reholdNights(next.listingMapId);
  }

  /** Rebuilds a listing's held nights from its stays; where stays overlap (overbooked), the newest holds. */
  private reholdNights(listingId: number): void {
    this.nightsHeld.delete(listingId);
    for (const r of this.reservationsInIdOrder) if (r.listingMapId === listingId) this.holdNights(r);
  }

  touchListing(listing: Listing): void {
    const next = { ...listing, latestActivityOn: formatDateTime(this.now()) };
    this.listingById.set(listing.id, next);
    this.listings = this.listings.map((l) => (l.id === listing.id ? next : l));
  }
}
