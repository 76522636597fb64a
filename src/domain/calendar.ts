/** Calendar answers: one compact line per day and the counts a manager asks for. */
import type { CalendarDay } from '../hostaway/schemas.js';

export interface DayView {
  date: string;
  available: boolean;
  /** Why not, when not: reserved, pending (a request or unpaid booking holds it) or blocked (closed by the host). */
  reason: 'reserved' | 'pending' | 'blocked' | null;
  price: number | null;
  minStay: number | null;
  reservationId: number | null;
}

export function dayView(d: CalendarDay): DayView {
  const available = d.isAvailable === 1 || d.isAvailable === true;
  const status = d.status;
  const reason = available
    ? null
    : status === 'reserved' || status === 'mreserved'
      ? 'reserved'
      : status === 'pending'
        ? 'pending'
        : 'blocked';
  return {
    date: d.date,
    available,
    reason,
    price: d.price ?? null,
    minStay: d.minimumStay ?? null,
    reservationId: d.reservations?.[0]?.id ?? null,
  };
}

export interface CalendarSummary {
  days: number;
  available: number;
  reserved: number;
  pending: number;
  blocked: number;
  /** Reserved and pending nights over the nights not blocked by the host, in percent. */
  occupancyPercent: number;
  averageAvailablePrice: number | null;
}

export function summarize(days: readonly DayView[]): CalendarSummary {
  const count = (r: DayView['reason']) => days.filter((d) => d.reason === r).length;
  const reserved = count('reserved');
  const pending = count('pending');
  const blocked = count('blocked');
  const open = days.filter((d) => d.available);
  const sellable = days.length - blocked;
  const prices = open.map((d) => d.price).filter((p): p is number => p !== null);
  return {
    days: days.length,
    available: open.length,
    reserved,
    pending,
    blocked,
    occupancyPercent: sellable > 0 ? Math.round(((reserved + pending) / sellable) * 1000) / 10 : 0,
    averageAvailablePrice: prices.length
      ? Math.round(prices.reduce((a, b) => a + b, 0) / prices.length)
      : null,
  };
}

/** Runs of consecutive days with the same state: "free Dec 3-9" reads better than seven lines. */
export function ranges(
  days: readonly DayView[],
): Array<{ from: string; to: string; state: 'available' | NonNullable<DayView['reason']> }> {
  const out: Array<{ from: string; to: string; state: 'available' | NonNullable<DayView['reason']> }> = [];
  for (const d of days) {
    const state = d.reason ?? 'available';
    const last = out[out.length - 1];
    if (last && last.state === state) last.to = d.date;
    else out.push({ from: d.date, to: d.date, state });
  }
  return out;
}
