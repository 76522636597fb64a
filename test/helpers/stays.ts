import type { BriefListing, StayRecord } from '../../src/domain/brief-stays.js';

let nextId = 1;

/** A stay with the fields the brief reads: paid, two guests, an Airbnb booking at listing 1 unless told. */
export function stay(
  over: Partial<StayRecord> & Pick<StayRecord, 'arrivalDate' | 'departureDate'>,
): StayRecord {
  return {
    id: nextId++,
    listingMapId: 1,
    status: 'new',
    channelId: 2018,
    channelName: 'airbnbOfficial',
    guestName: null,
    guestEmail: null,
    numberOfGuests: 2,
    checkInTime: null,
    checkOutTime: null,
    isPaid: 1,
    totalPrice: 500,
    remainingBalance: null,
    currency: 'USD',
    ...over,
  };
}

/** A listing in New York with check-in at 15:00 and check-out at 11:00 unless told. */
export const listing = (id: number, over: Partial<BriefListing> = {}): BriefListing => ({
  id,
  name: `L${id}`,
  timeZone: 'America/New_York',
  checkInHour: 15,
  checkOutHour: 11,
  archived: false,
  ...over,
});
