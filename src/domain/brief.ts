/**
 * The manager's day in one answer, put together from what Hostaway returned: every section and every
 * figure comes from the functions here and in brief-stays, brief-work, guests and balances.
 */
import type { Conversation, Task } from '../hostaway/schemas.js';
import { balanceDue } from './balances.js';
import {
  arrivalsIn,
  type BriefListing,
  closedRuns,
  type DayRange,
  departuresIn,
  ownerStaysIn,
  type StayRecord,
  type StayScope,
  stayingThrough,
  turnovers,
  vacantNights,
} from './brief-stays.js';
import {
  OPEN_TASK,
  taskInRange,
  taskKind,
  taskTimes,
  type WaitingGuest,
  waitingGuests,
} from './brief-work.js';
import { channelLabel } from './channels.js';
import { GuestHistory } from './guests.js';

export interface BriefInput {
  listings: readonly BriefListing[];
  /** The range in each zone the listings use. */
  ranges: ReadonlyMap<string, DayRange>;
  /** The zone most listings use: for stays and tasks of a listing not in the account's list. */
  mainZone: string;
  /** Stays that overlap the range (arrive by its end, leave from its start on), any status. */
  stays: readonly StayRecord[];
  /** Stays that arrived before the range, for telling returning guests. */
  earlier: readonly StayRecord[];
  /** The first arrival date the earlier stays cover (null when none were looked up). */
  earlierFrom: string | null;
  tasks: readonly Task[];
  conversations: readonly Conversation[];
  /** Listings open for one night, per night searched; null when no night was searched. */
  openByNight: ReadonlyMap<string, ReadonlySet<number>> | null;
  now: number;
  /** Rows shown per section (the counts are always complete). */
  limit: number;
}

const hours = (r: StayRecord, listing: BriefListing | undefined) => ({
  checkIn: r.checkInTime ?? listing?.checkInHour ?? null,
  checkOut: r.checkOutTime ?? listing?.checkOutHour ?? null,
});

export interface BriefScope extends StayScope {
  zoneOf: (id: number | null | undefined) => string;
  rangeOf: (id: number | null | undefined) => DayRange;
}

/** Each listing's zone and dates: a listing Hostaway did not list reads in the zone most listings use. */
export function briefScope(input: Pick<BriefInput, 'listings' | 'ranges' | 'mainZone'>): BriefScope {
  const byId = new Map(input.listings.map((l) => [l.id, l]));
  const zoneOf = (id: number | null | undefined) => (id != null && byId.get(id)?.timeZone) || input.mainZone;
  const mainRange = input.ranges.get(input.mainZone) ?? ([...input.ranges.values()][0] as DayRange);
  return {
    listing: (id) => byId.get(id),
    rangeOf: (id: number | null | undefined) => input.ranges.get(zoneOf(id)) ?? mainRange,
    zoneOf,
  };
}

export function buildBrief(input: BriefInput) {
  const byId = new Map(input.listings.map((l) => [l.id, l]));
  const scope = briefScope(input);
  const { zoneOf, rangeOf } = scope;
  const name = (id: number | null | undefined) => (id != null ? (byId.get(id)?.name ?? null) : null);
  const channel = (r: StayRecord) => channelLabel(r.channelId, r.channelName);

  const unreadByReservation = new Map<number, boolean>();
  for (const c of input.conversations)
    if (c.reservationId != null) unreadByReservation.set(c.reservationId, Boolean(c.hasUnreadMessages));
  const history = new GuestHistory([...input.earlier, ...input.stays]);

  const arrivals = arrivalsIn(input.stays, scope).map((r) => {
    const money = balanceDue(r);
    const before = history.earlier(r);
    return {
      reservationId: r.id,
      listingId: r.listingMapId,
      listing: name(r.listingMapId),
      date: r.arrivalDate,
      checkInHour: hours(r, byId.get(r.listingMapId)).checkIn,
      guest: r.guestName ?? null,
      guests: r.numberOfGuests ?? null,
      channel: channel(r),
      status: r.status,
      paid: money.due === null ? null : money.due <= 0,
      balanceDue: money.due,
      currency: r.currency ?? null,
      unread: unreadByReservation.get(r.id) ?? null,
      returning: before.length > 0,
      earlierStays: before.length,
    };
  });
  const departures = departuresIn(input.stays, scope).map((r) => ({
    reservationId: r.id,
    listingId: r.listingMapId,
    listing: name(r.listingMapId),
    date: r.departureDate,
    checkOutHour: hours(r, byId.get(r.listingMapId)).checkOut,
    guest: r.guestName ?? null,
    guests: r.numberOfGuests ?? null,
    channel: channel(r),
    status: r.status,
    balanceDue: balanceDue(r).due,
    currency: r.currency ?? null,
  }));
  const turns = turnovers(input.stays, scope).map((t) => ({
    listingId: t.listingId,
    listing: name(t.listingId),
    date: t.date,
    outReservationId: t.outId,
    checkOutHour: t.checkOutHour,
    inReservationId: t.inId,
    checkInHour: t.checkInHour,
    hoursBetween: t.hoursBetween,
  }));
  const inHouse = stayingThrough(input.stays, scope).map((r) => ({
    reservationId: r.id,
    listingId: r.listingMapId,
    listing: name(r.listingMapId),
    guest: r.guestName ?? null,
    guests: r.numberOfGuests ?? null,
    arrival: r.arrivalDate,
    departure: r.departureDate,
    channel: channel(r),
    status: r.status,
  }));
  const vacant = vacantNights(input.listings, input.stays, scope);
  const runs = input.openByNight ? closedRuns(vacant, input.openByNight) : [];
  const closedNights = new Map<number, number>();
  for (const run of runs)
    closedNights.set(run.listingId, (closedNights.get(run.listingId) ?? 0) + run.nights);
  const vacantLines = [...vacant.entries()]
    .map(([listingId, nights]) => ({
      listingId,
      listing: name(listingId),
      nights,
      closed: input.openByNight ? (closedNights.get(listingId) ?? 0) : null,
    }))
    .sort((a, b) => (a.listing ?? '').localeCompare(b.listing ?? '') || a.listingId - b.listingId);
  const owners = ownerStaysIn(input.stays, scope).map((r) => ({
    reservationId: r.id,
    listingId: r.listingMapId,
    listing: name(r.listingMapId),
    owner: r.guestName ?? null,
    arrival: r.arrivalDate,
    departure: r.departureDate,
  }));
  const blocks = runs.map((b) => ({ ...b, listing: name(b.listingId) }));
  const tasks = input.tasks
    .map((t) => ({ t, times: taskTimes(t, zoneOf(t.listingMapId)) }))
    .filter(({ t, times }) => taskInRange(t, times, rangeOf(t.listingMapId)))
    .map(({ t, times }) => ({
      id: t.id,
      title: t.title,
      kind: taskKind(t.categoriesMap),
      listingId: t.listingMapId ?? null,
      listing: name(t.listingMapId),
      reservationId: t.reservationId ?? null,
      status: t.status ?? null,
      open: OPEN_TASK.has(t.status ?? ''),
      start: times.start,
      due: times.due,
      assigneeUserId: t.assigneeUserId ?? null,
    }))
    .sort((a, b) => (a.due ?? a.start ?? '').localeCompare(b.due ?? b.start ?? '') || a.id - b.id);
  const waiting = waitingGuests(input.conversations, zoneOf, input.now).map((w: WaitingGuest) => ({
    ...w,
    listing: name(w.listingId),
  }));

  const zones = new Map<string, number>();
  for (const l of input.listings) zones.set(l.timeZone, (zones.get(l.timeZone) ?? 0) + 1);
  const sections = {
    arrivals,
    departures,
    turnovers: turns,
    inHouse,
    vacant: vacantLines,
    ownerStays: owners,
    blocks,
    tasks,
    waiting,
  };
  const cut = Object.entries(sections)
    .filter(([, rows]) => rows.length > input.limit)
    .map(([key, rows]) => `${key}: first ${input.limit} of ${rows.length} shown (raise limit)`);
  const shown = <T>(rows: T[]) => rows.slice(0, input.limit);
  return {
    ranges: [...input.ranges.entries()]
      .map(([timeZone, r]) => ({ timeZone, from: r.from, to: r.to, listings: zones.get(timeZone) ?? 0 }))
      .sort((a, b) => b.listings - a.listings || a.timeZone.localeCompare(b.timeZone)),
    counts: {
      listings: input.listings.length,
      arrivals: arrivals.length,
      returningGuests: arrivals.filter((a) => a.returning).length,
      balanceDueArrivals: arrivals.filter((a) => (a.balanceDue ?? 0) > 0).length,
      departures: departures.length,
      turnovers: turns.length,
      inHouse: inHouse.length,
      vacant: vacantLines.length,
      ownerStays: owners.length,
      blocks: blocks.length,
      tasks: tasks.length,
      openTasks: tasks.filter((t) => t.open).length,
      unassignedOpenTasks: tasks.filter((t) => t.open && t.assigneeUserId === null).length,
      waiting: waiting.length,
    },
    arrivals: shown(arrivals),
    departures: shown(departures),
    turnovers: shown(turns),
    inHouse: shown(inHouse),
    vacant: shown(vacantLines),
    ownerStays: shown(owners),
    blocks: shown(blocks),
    tasks: shown(tasks),
    waiting: shown(waiting),
    earlierStaysFrom: input.earlierFrom,
    cut,
  };
}

export type Brief = ReturnType<typeof buildBrief>;
