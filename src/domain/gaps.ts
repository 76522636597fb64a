/**
 * Nights that cannot be sold: runs of free nights between stays or blocks (or between today and the
 * next one) that no allowed stay fits, because every stay that would cover a night is shorter than the
 * minimum stay of its arrival day, arrives on a day closed to arrival or leaves on a day closed to
 * departure. The maximum stay is not considered.
 *
 * The fix the data suggests: a minimum stay of the gap's length on its nights, so that one stay can
 * take the whole gap, and a price for it: the average of its nights' own prices less a discount.
 */
import type { CalendarDay } from '../hostaway/schemas.js';
import { dayView } from './calendar.js';

export interface NightInfo {
  date: string;
  free: boolean;
  /** Why not free: a stay holds it, a request holds it, or the host closed it. */
  state: 'reserved' | 'pending' | 'blocked' | null;
  /** Minimum nights of a stay arriving this day. */
  minStay: number;
  price: number | null;
  closedOnArrival: boolean;
  closedOnDeparture: boolean;
}

export type GapCause = 'minimum stay' | 'closed to arrival' | 'closed to departure';

export interface Gap {
  /** First free night. */
  start: string;
  /** Last free night (the next day is taken). */
  end: string;
  nights: number;
  unsellableNights: number;
  before: 'reserved' | 'pending' | 'blocked' | 'today';
  after: 'reserved' | 'pending' | 'blocked';
  /** The minimum stay of a stay arriving on the first night. */
  minimumStay: number;
  /** What stops one stay of the whole gap. */
  causes: GapCause[];
  /** Average of the gap nights' own prices (null when none has one). */
  averagePrice: number | null;
  /** averagePrice less the discount, rounded to a whole unit. */
  suggestedPrice: number | null;
  /** The minimum stay to set on the gap's nights (its length), or null when the minimum stay is not the cause. */
  setMinimumStay: number | null;
}

/**
 * A calendar day as the gap search reads it; a day without a minimum stay or price of its own takes the
 * listing's.
 */
export function nightInfo(d: CalendarDay, minNights: number, listingPrice: number | null): NightInfo {
  const v = dayView(d);
  const flag = (x: unknown) => x === 1 || x === true;
  return {
    date: d.date,
    free: v.available,
    state: v.reason,
    minStay: v.minStay ?? minNights,
    price: v.price ?? listingPrice,
    closedOnArrival: flag(d.closedOnArrival),
    closedOnDeparture: flag(d.closedOnDeparture),
  };
}

/** Which nights of the run `days[i..j]` some allowed stay inside it covers. */
function sellable(days: readonly NightInfo[], i: number, j: number): boolean[] {
  const covered = new Array<boolean>(j - i + 1).fill(false);
  for (let d = i; d <= j; d++) {
    const arrival = days[d] as NightInfo;
    if (arrival.closedOnArrival) continue;
    for (let length = Math.max(1, arrival.minStay); d + length - 1 <= j; length++) {
      if (days[d + length]?.closedOnDeparture) continue;
      for (let n = d; n < d + length; n++) covered[n - i] = true;
    }
  }
  return covered;
}

/**
 * The gaps with at least one night no stay can take, among `days` (consecutive, the first is today),
 * starting on or before `lastStart`. A free run still open at the end of `days` is not a gap: a stay
 * may run past it.
 */
export function findGaps(days: readonly NightInfo[], lastStart: string, discountPercent: number): Gap[] {
  const gaps: Gap[] = [];
  let i = 0;
  while (i < days.length) {
    if (!(days[i] as NightInfo).free) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < days.length && (days[j + 1] as NightInfo).free) j++;
    const next = days[j + 1];
    const first = days[i] as NightInfo;
    if (!next || first.date > lastStart) break;
    const unsellable = sellable(days, i, j).filter((ok) => !ok).length;
    if (unsellable > 0) {
      const nights = j - i + 1;
      const causes: GapCause[] = [];
      if (first.minStay > nights) causes.push('minimum stay');
      if (first.closedOnArrival) causes.push('closed to arrival');
      if (next.closedOnDeparture) causes.push('closed to departure');
      const prices = days
        .slice(i, j + 1)
        .map((d) => d.price)
        .filter((p): p is number => p !== null);
      const average = prices.length ? prices.reduce((a, b) => a + b, 0) / prices.length : null;
      gaps.push({
        start: first.date,
        end: (days[j] as NightInfo).date,
        nights,
        unsellableNights: unsellable,
        before: i === 0 ? 'today' : ((days[i - 1] as NightInfo).state ?? 'blocked'),
        after: next.state ?? 'blocked',
        minimumStay: first.minStay,
        causes,
        averagePrice: average === null ? null : Math.round(average * 100) / 100,
        suggestedPrice: average === null ? null : Math.round(average * (1 - discountPercent / 100)),
        setMinimumStay: first.minStay > nights ? nights : null,
      });
    }
    i = j + 1;
  }
  return gaps;
}
