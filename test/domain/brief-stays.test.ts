import { describe, expect, it } from 'vitest';
import {
  arrivalsIn,
  type BriefListing,
  closedRuns,
  daysOf,
  departuresIn,
  holdsNights,
  ownerStaysIn,
  type StayScope,
  stayingThrough,
  turnovers,
  vacantNights,
} from '../../src/domain/brief-stays.js';
import { listing, stay } from '../helpers/stays.js';

/** Each listing's range by its zone. */
function scopeOf(listings: BriefListing[], ranges: Record<string, { from: string; to: string }>): StayScope {
  const byId = new Map(listings.map((l) => [l.id, l]));
  return {
    listing: (id) => byId.get(id),
    rangeOf: (id) => ranges[byId.get(id)?.timeZone ?? 'UTC'] ?? { from: '2000-01-01', to: '2000-01-01' },
  };
}

describe('brief stays', () => {
  const L = [listing(1), listing(2, { timeZone: 'Pacific/Honolulu', checkInHour: 16, checkOutHour: 10 })];
  const oneDay = scopeOf(L, {
    'America/New_York': { from: '2026-11-28', to: '2026-11-28' },
    'Pacific/Honolulu': { from: '2026-11-27', to: '2026-11-27' },
  });

  it('only statuses that hold the calendar are stays', () => {
    for (const s of ['new', 'modified', 'ownerStay', 'pending', 'awaitingPayment', 'unconfirmed'])
      expect(holdsNights(s)).toBe(true);
    for (const s of ['cancelled', 'declined', 'expired', 'inquiry', 'inquiryPreapproved', 'unknown'])
      expect(holdsNights(s)).toBe(false);
  });

  it('days of a range include both ends', () => {
    expect(daysOf({ from: '2026-12-30', to: '2027-01-02' })).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(daysOf({ from: '2026-12-30', to: '2026-12-30' })).toEqual(['2026-12-30']);
  });

  it("arrivals and departures are read in each listing's own dates; a cancelled stay is none", () => {
    const ny = stay({ arrivalDate: '2026-11-28', departureDate: '2026-11-30' });
    const hnl = stay({ listingMapId: 2, arrivalDate: '2026-11-27', departureDate: '2026-11-29' });
    const hnlWrongDay = stay({ listingMapId: 2, arrivalDate: '2026-11-28', departureDate: '2026-11-29' });
    const cancelled = stay({ arrivalDate: '2026-11-28', departureDate: '2026-11-29', status: 'cancelled' });
    const leaving = stay({ arrivalDate: '2026-11-20', departureDate: '2026-11-28' });
    const all = [ny, hnl, hnlWrongDay, cancelled, leaving];
    expect(arrivalsIn(all, oneDay).map((s) => s.id)).toEqual([hnl.id, ny.id]);
    expect(departuresIn(all, oneDay).map((s) => s.id)).toEqual([leaving.id]);
  });

  it('staying through: arrived before the range and leaving after it', () => {
    const through = stay({ arrivalDate: '2026-11-27', departureDate: '2026-11-29' });
    const leavesToday = stay({ arrivalDate: '2026-11-25', departureDate: '2026-11-28' });
    const arrivesToday = stay({ arrivalDate: '2026-11-28', departureDate: '2026-11-29' });
    const inquiry = stay({ arrivalDate: '2026-11-26', departureDate: '2026-11-30', status: 'inquiry' });
    expect(stayingThrough([through, leavesToday, arrivesToday, inquiry], oneDay).map((s) => s.id)).toEqual([
      through.id,
    ]);
  });

  it('a one-night stay between two others makes two turnovers at one listing, with the hours between', () => {
    const scope = scopeOf(L, { 'America/New_York': { from: '2026-07-15', to: '2026-07-16' } });
    const a = stay({ arrivalDate: '2026-07-10', departureDate: '2026-07-15', checkOutTime: 10 });
    const b = stay({ arrivalDate: '2026-07-15', departureDate: '2026-07-16' });
    const c = stay({ arrivalDate: '2026-07-16', departureDate: '2026-07-20', checkInTime: 17 });
    const cancelledOnTop = stay({
      arrivalDate: '2026-07-16',
      departureDate: '2026-07-18',
      status: 'cancelled',
    });
    const t = turnovers([c, a, b, cancelledOnTop], scope);
    expect(t).toEqual([
      {
        listingId: 1,
        date: '2026-07-15',
        outId: a.id,
        inId: b.id,
        checkOutHour: 10,
        checkInHour: 15,
        hoursBetween: 5,
      },
      {
        listingId: 1,
        date: '2026-07-16',
        outId: b.id,
        inId: c.id,
        checkOutHour: 11,
        checkInHour: 17,
        hoursBetween: 6,
      },
    ]);
  });

  it('turnover hours are real hours on a daylight-saving day, and unknown without an hour', () => {
    // 2026-11-01: New York falls back at 02:00, so midnight (EDT) to 15:00 (EST) is 16 hours.
    const L2 = [listing(1, { checkOutHour: null, checkInHour: 15 })];
    const scope = scopeOf(L2, { 'America/New_York': { from: '2026-11-01', to: '2026-11-01' } });
    const out = stay({ arrivalDate: '2026-10-28', departureDate: '2026-11-01', checkOutTime: 0 });
    const next = stay({ arrivalDate: '2026-11-01', departureDate: '2026-11-03' });
    expect(turnovers([out, next], scope)[0]?.hoursBetween).toBe(16);
    const noHour = stay({ arrivalDate: '2026-10-28', departureDate: '2026-11-01' });
    expect(turnovers([noHour, next], scope)[0]?.hoursBetween).toBeNull();
  });

  it('vacant nights: nights no holding stay covers; a departure frees its day, archived listings never count', () => {
    const scope = scopeOf([...L, listing(3, { archived: true })], {
      'America/New_York': { from: '2026-11-28', to: '2026-11-30' },
      'Pacific/Honolulu': { from: '2026-11-28', to: '2026-11-30' },
    });
    const stays = [
      stay({ arrivalDate: '2026-11-25', departureDate: '2026-11-29' }),
      stay({ arrivalDate: '2026-11-29', departureDate: '2026-11-30', status: 'cancelled' }),
      stay({ listingMapId: 2, arrivalDate: '2026-11-28', departureDate: '2026-12-02', status: 'ownerStay' }),
    ];
    const vacant = vacantNights([...L, listing(3, { archived: true })], stays, scope);
    expect([...vacant.entries()]).toEqual([[1, ['2026-11-29', '2026-11-30']]]);
  });

  it('owner stays that touch the range, leaving on its first day included', () => {
    const owner = stay({ arrivalDate: '2026-11-25', departureDate: '2026-11-28', status: 'ownerStay' });
    const later = stay({ arrivalDate: '2026-11-29', departureDate: '2026-11-30', status: 'ownerStay' });
    const guest = stay({ arrivalDate: '2026-11-28', departureDate: '2026-11-30' });
    expect(ownerStaysIn([owner, later, guest], oneDay).map((s) => s.id)).toEqual([owner.id]);
  });

  it('closed nights: vacant and missing from the night’s availability answer, in runs; nights not searched are not judged', () => {
    const vacant = new Map([
      [1, ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-02']],
      [2, ['2026-11-28']],
    ]);
    const open = new Map([
      ['2026-11-28', new Set([2])],
      ['2026-11-29', new Set<number>()],
      ['2026-11-30', new Set<number>()],
    ]);
    expect(closedRuns(vacant, open)).toEqual([
      { listingId: 1, from: '2026-11-28', to: '2026-11-30', nights: 3 },
    ]);
    open.set('2026-11-29', new Set([1]));
    expect(closedRuns(vacant, open)).toEqual([
      { listingId: 1, from: '2026-11-28', to: '2026-11-28', nights: 1 },
      { listingId: 1, from: '2026-11-30', to: '2026-11-30', nights: 1 },
    ]);
  });
});
