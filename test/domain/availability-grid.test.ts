import { describe, expect, it } from 'vitest';
import {
  type AvailabilityGrid,
  collectReservations,
  datesOf,
  type GridDay,
  gridDay,
  gridLine,
  monthSpan,
  renderGrid,
  ruler,
} from '../../src/domain/availability-grid.js';
import type { CalendarDay, CalendarDayReservation } from '../../src/hostaway/schemas.js';

const day = (date: string, fields: Partial<CalendarDay> = {}): CalendarDay => ({ id: 1, date, ...fields });
const stay = (id: number, over: Partial<CalendarDayReservation> = {}): CalendarDayReservation => ({
  id,
  listingMapId: 1,
  channelId: 2018,
  channelName: 'airbnbOfficial',
  reservationId: String(id),
  arrivalDate: '2026-12-01',
  departureDate: '2026-12-03',
  status: 'new',
  guestName: `Guest ${id}`,
  ...over,
});
const g = (date: string, state: GridDay['state']): GridDay => ({
  date,
  state,
  price: null,
  minStay: null,
  reservationId: null,
});

describe('gridDay: one calendar day as a state', () => {
  it('free when available; otherwise reserved (also mreserved), pending or blocked', () => {
    const states = (
      [
        [1, 'available'],
        [true, 'available'],
        [0, 'reserved'],
        [0, 'mreserved'],
        [0, 'pending'],
        [0, 'blocked'],
        [0, undefined],
      ] as const
    ).map(([isAvailable, status]) => gridDay(day('2026-12-01', { isAvailable, status })).state);
    expect(states).toEqual(['free', 'free', 'reserved', 'reserved', 'pending', 'blocked', 'blocked']);
  });

  it('carries the price, the minimum stay and the first reservation holding the night', () => {
    expect(
      gridDay(
        day('2026-12-02', {
          isAvailable: 0,
          status: 'reserved',
          price: 180,
          minimumStay: 3,
          reservations: [stay(7), stay(8)],
        }),
      ),
    ).toEqual({ date: '2026-12-02', state: 'reserved', price: 180, minStay: 3, reservationId: 7 });
    expect(gridDay(day('2026-12-02', { isAvailable: 1 }))).toEqual({
      date: '2026-12-02',
      state: 'free',
      price: null,
      minStay: null,
      reservationId: null,
    });
  });
});

describe('collectReservations: each stay once, by listing then arrival', () => {
  it('a stay over many days is listed once, under the listing whose calendar shows it', () => {
    const long = stay(10, { arrivalDate: '2026-11-28', departureDate: '2026-12-04' });
    const out = collectReservations([
      {
        listingId: 500,
        days: [
          day('2026-12-01', { reservations: [long] }),
          day('2026-12-02', { reservations: [long] }),
          day('2026-12-03', { reservations: [long] }),
        ],
      },
    ]);
    expect(out).toEqual([
      {
        id: 10,
        listingId: 500,
        guest: 'Guest 10',
        channel: 'Airbnb',
        arrival: '2026-11-28',
        departure: '2026-12-04',
        status: 'new',
      },
    ]);
  });

  it('keeps the listings in the order given, and within one listing orders by arrival, then id', () => {
    const out = collectReservations([
      {
        listingId: 9,
        days: [
          day('2026-12-01', { reservations: [stay(3, { arrivalDate: '2026-12-05' })] }),
          day('2026-12-02', { reservations: [stay(1, { arrivalDate: '2026-12-01' })] }),
          day('2026-12-03', { reservations: [stay(4, { arrivalDate: '2026-12-01' })] }),
        ],
      },
      { listingId: 2, days: [day('2026-12-01', { reservations: [stay(2, { arrivalDate: '2026-11-01' })] })] },
      { listingId: 5, days: [day('2026-12-01'), day('2026-12-02', { reservations: [] })] },
    ]);
    expect(out.map((r) => [r.listingId, r.id])).toEqual([
      [9, 1],
      [9, 4],
      [9, 3],
      [2, 2],
    ]);
  });

  it('channel is the readable label (Hostaway name when the id is unknown); a missing guest is null', () => {
    const out = collectReservations([
      {
        listingId: 1,
        days: [
          day('2026-12-01', {
            reservations: [
              stay(1, { channelId: 2005, channelName: 'bookingcom' }),
              stay(2, { channelId: 2000, channelName: 'direct', guestName: null }),
              stay(3, { channelId: 9999, channelName: 'someChannel', guestName: '' }),
              stay(4, { channelId: 0 as number, channelName: 'unnamed' }),
            ],
          }),
        ],
      },
    ]);
    expect(out.map((r) => [r.channel, r.guest])).toEqual([
      ['Booking.com', 'Guest 1'],
      ['Direct', null],
      ['someChannel', null],
      ['unnamed', 'Guest 4'],
    ]);
  });
});

describe('monthSpan: the days a month argument means', () => {
  it('YYYY-MM is the whole month, leap years included', () => {
    expect(monthSpan('2026-12', '2026-11-25')).toEqual({ startDate: '2026-12-01', endDate: '2026-12-31' });
    expect(monthSpan('2028-02', '2026-11-25')).toEqual({ startDate: '2028-02-01', endDate: '2028-02-29' });
    expect(monthSpan('2027-02', '2026-11-25')).toEqual({ startDate: '2027-02-01', endDate: '2027-02-28' });
    expect(monthSpan('2027-04', '2026-11-25')).toEqual({ startDate: '2027-04-01', endDate: '2027-04-30' });
  });

  it('this and next count from today, across the year end and from a month end', () => {
    expect(monthSpan('this', '2026-11-25')).toEqual({ startDate: '2026-11-01', endDate: '2026-11-30' });
    expect(monthSpan('next', '2026-11-25')).toEqual({ startDate: '2026-12-01', endDate: '2026-12-31' });
    expect(monthSpan('next', '2026-12-31')).toEqual({ startDate: '2027-01-01', endDate: '2027-01-31' });
    expect(monthSpan('next', '2027-01-31')).toEqual({ startDate: '2027-02-01', endDate: '2027-02-28' });
    expect(monthSpan('this', '2027-01-01')).toEqual({ startDate: '2027-01-01', endDate: '2027-01-31' });
  });
});

describe('the text grid', () => {
  // 2026-12-01 is a Tuesday; the 7th, 14th, 21st and 28th are Mondays.
  const dec = datesOf('2026-12-01', '2026-12-31');

  it('dates from start to end, both included', () => {
    expect(datesOf('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(dec).toHaveLength(31);
  });

  it('one character per day by state, a space before each Monday, ? for a day not returned', () => {
    const days = [
      g('2026-12-01', 'free'),
      g('2026-12-02', 'reserved'),
      g('2026-12-03', 'pending'),
      g('2026-12-04', 'blocked'),
      g('2026-12-06', 'free'),
      g('2026-12-07', 'reserved'),
      g('2026-12-08', 'reserved'),
    ];
    expect(gridLine(days, datesOf('2026-12-01', '2026-12-08'))).toBe('.RPB?. RR');
    expect(gridLine(days, dec).replaceAll(' ', '')).toHaveLength(31);
    expect(gridLine([], datesOf('2026-12-07', '2026-12-07'))).toBe('?');
  });

  it('the ruler puts the day of the month over each week, blank where it does not fit', () => {
    expect(ruler(dec)).toBe('1      7       14      21      28');
    // A week of one day (Sunday the 27th) has no room for "27".
    expect(ruler(datesOf('2026-12-27', '2027-01-04'))).toBe('  28      4');
    expect(ruler(datesOf('2026-12-06', '2026-12-13'))).toBe('6 7');
  });

  const grid = (over: Partial<AvailabilityGrid> = {}): AvailabilityGrid => ({
    startDate: '2026-12-01',
    endDate: '2026-12-07',
    listings: [
      {
        id: 40160,
        name: 'The Beach House',
        timeZone: 'America/New_York',
        today: '2026-11-25',
        days: datesOf('2026-12-01', '2026-12-07').map((d, i) => g(d, i < 2 ? 'reserved' : 'free')),
      },
      {
        id: 7,
        name: 'Loft\tnear\nthe park',
        timeZone: 'America/Los_Angeles',
        today: '2026-11-24',
        days: datesOf('2026-12-01', '2026-12-07').map((d, i) => g(d, i === 6 ? 'blocked' : 'pending')),
      },
    ],
    reservations: [
      {
        id: 1000059,
        listingId: 40160,
        guest: 'Emma Lopez',
        channel: 'Booking.com',
        arrival: '2026-11-30',
        departure: '2026-12-03',
        status: 'new',
      },
      {
        id: 88,
        listingId: 7,
        guest: null,
        channel: 'Direct',
        arrival: '2026-12-01',
        departure: '2026-12-07',
        status: 'pending',
      },
    ],
    total: 25,
    nextOffset: 12,
    ...over,
  });

  it('a header with the range and the page, a legend, a ruler, aligned rows, then the reservations', () => {
    expect(renderGrid(grid()).split('\n')).toEqual([
      'Availability 2026-12-01..2026-12-07 (7 days), listings 11-12 of 25; next page: offset=12',
      '. free  R reserved  P pending  B blocked; a space before each Monday; above: the day of the month each week starts',
      '                                            1      7',
      'The Beach House (#40160, today 2026-11-25)  RR.... .',
      'Loft near the park (#7, today 2026-11-24)   PPPPPP B',
      'reservations (2):',
      'id\tlistingId\tguest\tchannel\tarrival\tdeparture',
      '1000059\t40160\tEmma Lopez\tBooking.com\t2026-11-30\t2026-12-03',
      '88\t7\t\tDirect\t2026-12-01\t2026-12-07',
    ]);
  });

  it('the last page has no next offset; its first listing follows from the total', () => {
    const last = renderGrid(grid({ total: 2, nextOffset: null, reservations: [] })).split('\n');
    expect(last[0]).toBe('Availability 2026-12-01..2026-12-07 (7 days), listings 1-2 of 2');
    expect(last.at(-1)).toBe('reservations: none on these days');
    expect(renderGrid(grid({ total: 9, nextOffset: null })).split('\n')[0]).toMatch(/listings 8-9 of 9$/);
  });

  it('a day the calendar did not return shows as ? and the legend says so', () => {
    const [first, second] = grid().listings;
    const lines = renderGrid(grid({ listings: [first!, { ...second!, days: second!.days.slice(1) }] })).split(
      '\n',
    );
    expect(lines[1]).toMatch(/^\. free {2}R reserved {2}P pending {2}B blocked {2}\? not returned;/);
    expect(lines[4]).toMatch(/ {2}\?PPPPP B$/);
  });

  it('no listings: the header alone', () => {
    expect(renderGrid(grid({ listings: [], reservations: [], total: 0, nextOffset: null }))).toBe(
      'Availability 2026-12-01..2026-12-07 (7 days), no listings in scope',
    );
  });
});
