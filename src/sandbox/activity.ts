/**
 * Activity on demand, for benchmarks and demos: bookings, changes, cancellations and guest messages,
 * made through the store's own writes (so they show in every answer and fire the unified webhooks,
 * exactly as the API's writes do). Deterministic: the same seed on the same account does the same.
 */
import * as z from 'zod';
import { addDays } from '../hostaway/dates.js';
import { BLOCKING_STATUSES, type ReservationStatus } from '../hostaway/schemas.js';
import { FIRST_NAMES, GUEST_CITIES, GUEST_QUESTIONS, LAST_NAMES } from './data/catalog.js';
import { Random } from './data/random.js';
import type { SandboxStore } from './store.js';

const count = z.number().int().min(0).max(1_000).default(0);

export const ActivityRequest = z
  .object({
    bookings: count,
    updates: count,
    cancellations: count,
    guestMessages: count,
    /** The run's seed; by default the sandbox seed plus the number of runs since the last reset. */
    seed: z.number().int().optional(),
  })
  .strict();
export type ActivityRequest = z.input<typeof ActivityRequest>;

export interface ActivityReport {
  seed: number;
  bookings: number[];
  updates: Array<{ reservationId: number; changed: string[] }>;
  cancellations: number[];
  guestMessages: Array<{ conversationId: number; reservationId: number | null; messageId: number }>;
  /** What was asked but could not be done (no free dates, no stay left to change). */
  skipped: { bookings: number; updates: number; cancellations: number; guestMessages: number };
}

const CHANNELS = [
  [2018, 45],
  [2005, 25],
  [2002, 15],
  [2000, 15],
] as const;
const NOTES = [
  'Arriving late in the evening.',
  'Travelling with a baby: is a cot available?',
  'Could we check in an hour early?',
  'We will need one parking space.',
];
const MAX_TRIES = 40;

const runs = new WeakMap<SandboxStore, number>();

export function generateActivity(store: SandboxStore, input: ActivityRequest, sandboxSeed: number) {
  const req = ActivityRequest.parse(input);
  const run = runs.get(store) ?? 0;
  runs.set(store, run + 1);
  const seed = req.seed ?? sandboxSeed + run;
  const rnd = new Random(seed);
  const report: ActivityReport = {
    seed,
    bookings: [],
    updates: [],
    cancellations: [],
    guestMessages: [],
    skipped: { bookings: 0, updates: 0, cancellations: 0, guestMessages: 0 },
  };

  const listings = [...store.allListings()].sort((a, b) => a.id - b.id);
  for (let i = 0; i < req.bookings; i++) {
    const id = book(store, rnd, listings);
    if (id === undefined) report.skipped.bookings++;
    else report.bookings.push(id);
  }

  // Stays still to come, in a shuffled but repeatable order: changes take from the front,
  // cancellations from the back, so that the two rarely meet.
  const upcoming = store
    .allReservations()
    .filter((r) => {
      const listing = listings.find((l) => l.id === r.listingMapId);
      return (
        BLOCKING_STATUSES.has(r.status as ReservationStatus) &&
        r.status !== 'ownerStay' &&
        listing !== undefined &&
        r.arrivalDate > store.today(listing)
      );
    })
    .map((r) => r.id)
    .sort((a, b) => a - b);
  shuffle(rnd, upcoming);

  for (let i = 0; i < req.updates; i++) {
    const id = upcoming[i % Math.max(1, upcoming.length)];
    if (id === undefined) {
      report.skipped.updates++;
      continue;
    }
    report.updates.push({ reservationId: id, changed: change(store, rnd, id, i) });
  }
  // Those not changed first, latest first; then the changed ones. Never one twice.
  const changed = Math.min(req.updates, upcoming.length);
  const cancellable = [...upcoming.slice(changed).reverse(), ...upcoming.slice(0, changed)];
  for (let i = 0; i < req.cancellations; i++) {
    const id = cancellable[i];
    if (id === undefined) {
      report.skipped.cancellations++;
      continue;
    }
    store.cancelReservation(id, rnd.chance(0.7) ? 'guest' : 'host');
    report.cancellations.push(id);
  }

  const threads = store
    .searchConversations(undefined)
    .filter((c) => c.reservationId != null)
    .map((c) => c.id)
    .sort((a, b) => a - b);
  for (let i = 0; i < req.guestMessages; i++) {
    if (threads.length === 0) {
      report.skipped.guestMessages++;
      continue;
    }
    const conversationId = rnd.pick(threads);
    const m = store.receiveMessage(conversationId, rnd.pick(GUEST_QUESTIONS));
    report.guestMessages.push({
      conversationId,
      reservationId: (m.reservationId as number | null) ?? null,
      messageId: m.id,
    });
  }
  return report;
}

/** A booking on free dates 3 to 150 days ahead; undefined when none were found. */
function book(store: SandboxStore, rnd: Random, listings: ReturnType<SandboxStore['allListings']>) {
  for (let t = 0; t < MAX_TRIES; t++) {
    const listing = rnd.pick(listings);
    const arrivalDate = addDays(store.today(listing), rnd.int(3, 150));
    const departureDate = addDays(arrivalDate, rnd.int(2, 7));
    if (!store.isFree(listing, arrivalDate, departureDate)) continue;
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    const [guestCity, guestCountry] = rnd.pick(GUEST_CITIES);
    const r = store.createReservation({
      channelId: rnd.weighted(CHANNELS),
      listingMapId: listing.id,
      arrivalDate,
      departureDate,
      guestFirstName: first,
      guestLastName: last,
      guestEmail: `${first}.${last}.${rnd.int(100, 999)}@example.org`.toLowerCase(),
      guestCity,
      guestCountry,
      numberOfGuests: rnd.int(1, listing.personCapacity ?? 2),
    });
    return r.id;
  }
  return undefined;
}

/** One change in turn: the party's size, a note from the guest, or the stay a day later. */
function change(store: SandboxStore, rnd: Random, id: number, turn: number): string[] {
  const r = store.reservation(id);
  const listing = store.listing(r.listingMapId);
  if (turn % 3 === 2) {
    // A day later: the new last night must be free (the others are this stay's own).
    const arrivalDate = addDays(r.arrivalDate, 1);
    const departureDate = addDays(r.departureDate, 1);
    if (store.isFree(listing, r.departureDate, departureDate)) {
      store.updateReservation(id, { arrivalDate, departureDate });
      return ['arrivalDate', 'departureDate'];
    }
  }
  if (turn % 3 === 0) {
    const capacity = listing.personCapacity ?? 2;
    const guests = r.numberOfGuests ?? 1;
    const next = guests < capacity ? guests + 1 : Math.max(1, guests - 1);
    if (next !== guests) {
      store.updateReservation(id, { numberOfGuests: next });
      return ['numberOfGuests'];
    }
  }
  store.updateReservation(id, { guestNote: rnd.pick(NOTES) });
  return ['guestNote'];
}

function shuffle<T>(rnd: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
