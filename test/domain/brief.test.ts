import { describe, expect, it } from 'vitest';
import { buildBrief } from '../../src/domain/brief.js';
import type { Conversation } from '../../src/hostaway/schemas.js';
import { listing, stay } from '../helpers/stays.js';

const NOW = Date.parse('2026-11-29T03:30:00Z');
const listings = [
  listing(1, { name: 'Beach' }),
  listing(2, { name: 'Cabin', timeZone: 'UTC' }),
  listing(3, { name: 'Loft' }),
];
const ranges = new Map([
  ['America/New_York', { from: '2026-11-28', to: '2026-11-28' }],
  ['UTC', { from: '2026-11-29', to: '2026-11-29' }],
]);
const base = {
  listings,
  ranges,
  mainZone: 'America/New_York',
  earlier: [],
  earlierFrom: null,
  tasks: [],
  conversations: [],
  openByNight: null,
  now: NOW,
  limit: 25,
};

describe('buildBrief', () => {
  it("puts each stay on its listing's own day and counts every section", () => {
    const arriving = stay({
      listingMapId: 1,
      arrivalDate: '2026-11-28',
      departureDate: '2026-11-30',
      guestEmail: 'a@x.org',
      isPaid: 0,
      totalPrice: 420,
      remainingBalance: 120,
    });
    const leaving = stay({ listingMapId: 1, arrivalDate: '2026-11-25', departureDate: '2026-11-28' });
    const utcArrival = stay({ listingMapId: 2, arrivalDate: '2026-11-29', departureDate: '2026-12-01' });
    const notYet = stay({ listingMapId: 3, arrivalDate: '2026-11-29', departureDate: '2026-12-01' });
    const owner = stay({
      listingMapId: 3,
      arrivalDate: '2026-11-20',
      departureDate: '2026-11-29',
      status: 'ownerStay',
    });
    const unknownListing = stay({ listingMapId: 99, arrivalDate: '2026-11-28', departureDate: '2026-11-29' });
    const b = buildBrief({
      ...base,
      stays: [arriving, leaving, utcArrival, notYet, owner, unknownListing],
      earlier: [stay({ arrivalDate: '2026-06-01', departureDate: '2026-06-03', guestEmail: 'A@x.org' })],
      earlierFrom: '2025-11-28',
      conversations: [{ id: 5, reservationId: arriving.id, hasUnreadMessages: 1 } as Conversation],
    });
    expect(b.arrivals.map((a) => a.reservationId)).toEqual([arriving.id, unknownListing.id, utcArrival.id]);
    expect(b.arrivals[0]).toMatchObject({
      listing: 'Beach',
      checkInHour: 15,
      channel: 'Airbnb',
      paid: false,
      balanceDue: 120,
      unread: true,
      returning: true,
      earlierStays: 1,
    });
    expect(b.arrivals[1]).toMatchObject({ listing: null, unread: null, returning: false, paid: true });
    expect(b.turnovers).toEqual([
      expect.objectContaining({
        listingId: 1,
        outReservationId: leaving.id,
        inReservationId: arriving.id,
        hoursBetween: 4,
      }),
    ]);
    expect(b.inHouse.map((s) => s.reservationId)).toEqual([owner.id]);
    expect(b.ownerStays.map((s) => s.reservationId)).toEqual([owner.id]);
    expect(b.vacant).toEqual([]);
    expect(b.counts).toMatchObject({
      listings: 3,
      arrivals: 3,
      returningGuests: 1,
      balanceDueArrivals: 1,
      departures: 1,
      turnovers: 1,
      inHouse: 1,
      vacant: 0,
      ownerStays: 1,
      blocks: 0,
      waiting: 0,
    });
    expect(b.ranges).toEqual([
      { timeZone: 'America/New_York', from: '2026-11-28', to: '2026-11-28', listings: 2 },
      { timeZone: 'UTC', from: '2026-11-29', to: '2026-11-29', listings: 1 },
    ]);
    expect(b.earlierStaysFrom).toBe('2025-11-28');
    expect(b.cut).toEqual([]);
  });

  it('vacant listings, their closed nights when the availability was searched, and blocks', () => {
    const none = buildBrief({ ...base, stays: [] });
    expect(none.vacant.map((v) => [v.listingId, v.nights, v.closed])).toEqual([
      [1, ['2026-11-28'], null],
      [2, ['2026-11-29'], null],
      [3, ['2026-11-28'], null],
    ]);
    expect(none.blocks).toEqual([]);
    const searched = buildBrief({
      ...base,
      stays: [],
      openByNight: new Map([
        ['2026-11-28', new Set([1])],
        ['2026-11-29', new Set([2])],
      ]),
    });
    expect(searched.vacant.map((v) => v.closed)).toEqual([0, 0, 1]);
    expect(searched.blocks).toEqual([
      { listingId: 3, listing: 'Loft', from: '2026-11-28', to: '2026-11-28', nights: 1 },
    ]);
    expect(searched.counts.blocks).toBe(1);
  });

  it('tasks by their listing’s dates, open and unassigned counted; rows cut at the limit, counts whole', () => {
    const tasks = [
      {
        id: 1,
        title: 'Clean',
        listingMapId: 2,
        status: 'pending',
        canStartFrom: '2026-11-29 11:00:00',
        shouldEndBy: '2026-11-29 15:00:00',
        categoriesMap: [1],
      },
      // 11:00 UTC on the 28th: in New York's range, not in UTC's.
      {
        id: 2,
        title: 'Fix',
        listingMapId: 2,
        status: 'pending',
        canStartFrom: '2026-11-28 11:00:00',
        shouldEndBy: '2026-11-28 15:00:00',
      },
      {
        id: 3,
        title: 'Keys',
        listingMapId: 1,
        status: 'completed',
        assigneeUserId: 4,
        canStartFrom: '2026-11-28 14:00:00',
        shouldEndBy: '2026-11-28 16:00:00',
      },
      {
        id: 4,
        title: 'Gone',
        listingMapId: 1,
        status: 'cancelled',
        canStartFrom: '2026-11-28 14:00:00',
        shouldEndBy: '2026-11-28 16:00:00',
      },
    ];
    const b = buildBrief({ ...base, stays: [], tasks, limit: 1 });
    expect(b.counts).toMatchObject({ tasks: 2, openTasks: 1, unassignedOpenTasks: 1, vacant: 3 });
    expect(b.tasks).toEqual([
      expect.objectContaining({ id: 3, start: '2026-11-28 09:00', due: '2026-11-28 11:00', open: false }),
    ]);
    expect(b.vacant).toHaveLength(1);
    expect(b.cut).toEqual([
      'vacant: first 1 of 3 shown (raise limit)',
      'tasks: first 1 of 2 shown (raise limit)',
    ]);
  });
});
