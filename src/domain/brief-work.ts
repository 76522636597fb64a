/**
 * The work of a day besides the stays: tasks whose time falls on it, and guests of current or coming
 * stays waiting for a reply.
 */
import { dateInZone, parseDateTime, timeInZone } from '../hostaway/dates.js';
import type { Conversation, Task } from '../hostaway/schemas.js';
import { type DayRange, holdsNights } from './brief-stays.js';
import { conversationState } from './conversations.js';
import { type StayPhase, stayPhase } from './stay-phase.js';

/** `categoriesMap` values, as the task object page lists them. */
export const TASK_CATEGORIES: Readonly<Record<number, string>> = {
  1: 'cleaning',
  2: 'maintenance',
  3: 'check-in',
  4: 'check-out',
  5: 'back office',
  6: 'other',
};

/** Statuses of a task still to be done. */
export const OPEN_TASK = new Set(['pending', 'confirmed', 'inProgress']);

/** The kinds a task's categories name, joined; null when it has none. */
export function taskKind(categories: readonly number[] | null | undefined): string | null {
  const names = (categories ?? []).map((c) => TASK_CATEGORIES[c] ?? `category ${c}`);
  return names.length ? names.join(', ') : null;
}

/** A UTC wire time (`YYYY-MM-DD HH:MM:SS`) as `YYYY-MM-DD HH:MM` in a zone; the listing-time copy without one. */
function local(utc: string | null | undefined, copy: string | null | undefined, zone: string): string | null {
  if (utc) {
    const ms = parseDateTime(utc);
    if (!Number.isNaN(ms)) return `${dateInZone(ms, zone)} ${timeInZone(ms, zone)}`;
  }
  return copy ? copy.slice(0, 16) : null;
}

export interface TaskTimes {
  start: string | null;
  due: string | null;
}

/** A task's start and due time in its listing's zone. */
export function taskTimes(t: Task, zone: string): TaskTimes {
  return {
    start: local(t.canStartFrom, t.canStartFromListingTime, zone),
    due: local(t.shouldEndBy, t.shouldEndByListingTime, zone),
  };
}

/**
 * Whether a task belongs to the range: not cancelled, and its time (from start to due, in the listing's
 * dates) meets a day of it. A task with one time only is placed at that time; one with none, nowhere.
 */
export function taskInRange(t: Task, times: TaskTimes, range: DayRange): boolean {
  if (t.status === 'cancelled') return false;
  const first = (times.start ?? times.due)?.slice(0, 10);
  const last = (times.due ?? times.start)?.slice(0, 10);
  if (!first || !last) return false;
  return first <= range.to && last >= range.from;
}

export interface WaitingGuest {
  conversationId: number;
  reservationId: number | null;
  listingId: number | null;
  guest: string | null;
  stay: StayPhase;
  arrival: string;
  departure: string;
  waitingMinutes: number | null;
  unread: boolean;
}

/**
 * Conversations where the guest wrote last, of stays in house or to come (on the listing's today),
 * longest wait first. Only bookings that hold the calendar are stays: inquiries, closed or failed
 * bookings and past stays are left out, as are conversations that carry no reservation.
 */
export function waitingGuests(
  conversations: readonly Conversation[],
  zoneOf: (listingId: number | null) => string,
  now: number,
): WaitingGuest[] {
  const out: WaitingGuest[] = [];
  for (const c of conversations) {
    const r = c.Reservation;
    if (!r || !holdsNights(r.status)) continue;
    const state = conversationState(c, now);
    if (state.lastFrom !== 'guest') continue;
    const listingId = c.listingMapId ?? r.listingMapId;
    const phase = stayPhase(r.status, r.arrivalDate, r.departureDate, dateInZone(now, zoneOf(listingId)));
    if (phase !== 'current' && phase !== 'upcoming') continue;
    out.push({
      conversationId: c.id,
      reservationId: c.reservationId ?? r.id,
      listingId,
      guest: c.recipientName ?? r.guestName ?? null,
      stay: phase,
      arrival: r.arrivalDate,
      departure: r.departureDate,
      waitingMinutes: state.waitingMinutes,
      unread: state.unread,
    });
  }
  return out.sort(
    (a, b) => (b.waitingMinutes ?? -1) - (a.waitingMinutes ?? -1) || a.conversationId - b.conversationId,
  );
}
