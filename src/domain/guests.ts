/**
 * Whether an arriving guest has stayed before: the same guest is the same e-mail address when both
 * stays have one, and the same full name when either lacks one (two stays with different addresses
 * are two guests, whatever their names). Only stays that hold the calendar count (not cancelled
 * bookings or inquiries), and only those that arrived before this one.
 */
import { holdsNights, type StayRecord } from './brief-stays.js';

type Guest = Pick<StayRecord, 'id' | 'status' | 'arrivalDate' | 'guestName' | 'guestEmail'>;

const norm = (s: string | null | undefined) => {
  const v = s?.trim().replace(/\s+/g, ' ').toLowerCase();
  return v ? v : null;
};

/** Earlier stays of each guest, looked up by e-mail and by name. */
export class GuestHistory {
  private readonly byEmail = new Map<string, Guest[]>();
  private readonly byName = new Map<string, Guest[]>();

  constructor(stays: Iterable<Guest>) {
    const seen = new Set<number>();
    for (const s of stays) {
      if (seen.has(s.id) || !holdsNights(s.status)) continue;
      seen.add(s.id);
      const email = norm(s.guestEmail);
      const name = norm(s.guestName);
      if (email) this.byEmail.set(email, [...(this.byEmail.get(email) ?? []), s]);
      if (name) this.byName.set(name, [...(this.byName.get(name) ?? []), s]);
    }
  }

  /** Stays of the same guest that arrived before `stay`, most recent first. */
  earlier(stay: Guest): Guest[] {
    const email = norm(stay.guestEmail);
    const name = norm(stay.guestName);
    const candidates = new Map<number, Guest>();
    if (email) for (const s of this.byEmail.get(email) ?? []) candidates.set(s.id, s);
    if (name)
      for (const s of this.byName.get(name) ?? []) if (!email || !norm(s.guestEmail)) candidates.set(s.id, s);
    return [...candidates.values()]
      .filter((s) => s.id !== stay.id && s.arrivalDate < stay.arrivalDate)
      .sort((a, b) => b.arrivalDate.localeCompare(a.arrivalDate) || b.id - a.id);
  }
}
