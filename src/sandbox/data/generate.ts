/**
 * Deterministic seeded portfolio: the same (seed, listings, now) always gives the same account.
 *
 * Shape of the data: listings in nine cities over five US time zones; for each, stays from 12 months
 * before `now` to 6 months after, never overlapping for the statuses that hold dates; cancelled stays and
 * inquiries beside them that hold none; manual blocks in the gaps; a conversation per guest stay with
 * a realistic thread (some guests left waiting for a reply for minutes to a day); reviews of past stays;
 * turnover cleaning tasks around today; message templates.
 */
import {
  addDays,
  dateInZone,
  dayNumber,
  formatDateTime,
  fromDayNumber,
  weekday,
  zonedTimeToUtc,
} from '../../hostaway/dates.js';
import {
  BLOCKING_STATUSES,
  CHANNELS,
  type ChannelId,
  type Conversation,
  type ConversationMessage,
  type Listing,
  type MessageTemplate,
  type Reservation,
  type ReservationStatus,
  type Review,
  type Task,
} from '../../hostaway/schemas.js';
import {
  CHECKIN_MESSAGES,
  CITIES,
  type City,
  FIRST_NAMES,
  GUEST_CITIES,
  GUEST_OPENERS,
  GUEST_QUESTIONS,
  HOST_ANSWERS,
  HOST_REPLIES,
  LAST_NAMES,
  LISTING_ADJECTIVES,
  LISTING_KINDS,
  OWNER_NAMES,
  REVIEW_TEXTS,
} from './catalog.js';
import { Random } from './random.js';

export interface GenerateOptions {
  seed: number;
  listings: number;
  accountId: number;
  /** The sandbox's present; stays are laid out around it. */
  now: number;
}

/** A manual block on a listing's calendar (a day the host closed). */
export interface CalendarOverride {
  isAvailable?: 0 | 1;
  price?: number;
  minimumStay?: number;
  maximumStay?: number;
  closedOnArrival?: 0 | 1 | null;
  closedOnDeparture?: 0 | 1 | null;
  note?: string | null;
}

/**
 * What varies between stays, under the same names as on the wire: every filter, sort, calendar and
 * report reads these. The other ~80 fields of the documented object are derived or empty, and are
 * added by `reservationWire` when a reservation is served.
 */
export type ReservationCore = Pick<
  Reservation,
  | 'id'
  | 'listingMapId'
  | 'channelId'
  | 'source'
  | 'channelName'
  | 'reservationId'
  | 'assigneeUserId'
  | 'isInstantBooked'
  | 'reservationDate'
  | 'pendingExpireDate'
  | 'guestName'
  | 'guestFirstName'
  | 'guestLastName'
  | 'guestExternalAccountId'
  | 'guestCity'
  | 'guestCountry'
  | 'guestEmail'
  | 'guestRecommendations'
  | 'guestTrips'
  | 'numberOfGuests'
  | 'adults'
  | 'children'
  | 'arrivalDate'
  | 'departureDate'
  | 'checkInTime'
  | 'checkOutTime'
  | 'nights'
  | 'phone'
  | 'totalPrice'
  | 'taxAmount'
  | 'channelCommissionAmount'
  | 'cleaningFee'
  | 'isPaid'
  | 'paymentMethod'
  | 'currency'
  | 'status'
  | 'cancellationDate'
  | 'cancelledBy'
  | 'guestNote'
  | 'doorCode'
  | 'confirmationCode'
  | 'airbnbCancellationPolicy'
  | 'isStarred'
  | 'isArchived'
  | 'isPinned'
  | 'latestActivityOn'
  | 'cancellationPolicy'
  | 'insertedOn'
  | 'updatedOn'
>;

export interface SandboxData {
  accountId: number;
  listings: Listing[];
  reservations: ReservationCore[];
  /** listing id -> date -> override. */
  calendarOverrides: Map<number, Map<string, CalendarOverride>>;
  conversations: Conversation[];
  /** conversation id -> its messages as generated, oldest first. */
  threads: Map<number, MessageSeed[]>;
  templates: MessageTemplate[];
  reviews: ReviewSeed[];
  tasks: Task[];
  /** Listings that take bookings on the direct booking website (a list filter, not a listing field). */
  bookingEngineListings: Set<number>;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const FIRST_LISTING_ID = 40_160;
const FIRST_RESERVATION_ID = 1_000_001;
const FIRST_CONVERSATION_ID = 200_001;
const FIRST_MESSAGE_ID = 3_000_001;

/** Channel mix of a typical vacation-rental portfolio. */
const CHANNEL_WEIGHTS: ReadonlyArray<readonly [ChannelId, number]> = [
  [2018, 44],
  [2005, 24],
  [2002, 14],
  [2000, 8],
  [2013, 7],
  [2007, 3],
];
/** Host-side commission each channel keeps, as a share of accommodation and cleaning. */
export const CHANNEL_COMMISSION: Partial<Record<ChannelId, number>> = {
  2018: 0.03,
  2005: 0.15,
  2002: 0.05,
  2007: 0.18,
};
export const TAX_RATE = 0.12;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Nightly base price of a listing on a date: seasons, weekends and a little per-day texture. */
export function nightlyPrice(listing: Listing, date: string): number {
  return nightlyPriceOnDay(listing, dayNumber(date));
}

function nightlyPriceOnDay(listing: Listing, day: number): number {
  const month = Number(fromDayNumber(day).slice(5, 7));
  const winterTown = /Breckenridge|Tahoe/.test(listing.city ?? '');
  const peak = winterTown ? [12, 1, 2, 3].includes(month) : [6, 7, 8].includes(month);
  const shoulder = winterTown ? [7, 8].includes(month) : [3, 4, 5, 9, 12].includes(month);
  const season = peak ? 1.35 : shoulder ? 1.1 : 0.9;
  const dow = weekday(day);
  const weekend = dow === 5 || dow === 6 ? 1.2 : 1;
  const texture = 1 + (((day * 7919 + listing.id) % 11) - 5) / 100;
  return Math.round((listing.price ?? 100) * season * weekend * texture);
}

export function generate(options: GenerateOptions): SandboxData {
  const rnd = new Random(options.seed);
  const { accountId, now } = options;
  const data: SandboxData = {
    accountId,
    listings: [],
    reservations: [],
    calendarOverrides: new Map(),
    conversations: [],
    threads: new Map(),
    templates: makeTemplates(accountId),
    reviews: [],
    tasks: [],
    bookingEngineListings: new Set(),
  };

  const usedNames = new Set<string>();
  for (let i = 0; i < options.listings; i++) {
    const listing = makeListing(rnd, FIRST_LISTING_ID + i, CITIES[i % CITIES.length] as City, usedNames);
    data.listings.push(listing);
    if (rnd.chance(0.6)) data.bookingEngineListings.add(listing.id);
  }

  const ids = {
    reservation: FIRST_RESERVATION_ID,
    conversation: FIRST_CONVERSATION_ID,
    message: FIRST_MESSAGE_ID,
  };
  for (const listing of data.listings) {
    layOutStays(rnd, data, listing, now, ids);
  }
  // Newest first by id is how fresh data tends to come back; keep a stable base order by id.
  data.reservations.sort((a, b) => a.id - b.id);
  data.reservations = data.reservations.map(relabel(accountId));

  const byListing = new Map(data.listings.map((l) => [l.id, l]));
  for (const r of data.reservations) {
    const listing = byListing.get(r.listingMapId) as Listing;
    if (r.status !== 'ownerStay') makeConversation(rnd, data, listing, r, now, ids);
  }
  makeReviews(rnd, data, now);
  makeTasks(data, byListing, now);
  for (const listing of data.listings) {
    const latest = data.reservations
      .filter((r) => r.listingMapId === listing.id)
      .reduce((max, r) => ((r.latestActivityOn ?? '') > max ? (r.latestActivityOn ?? '') : max), '');
    listing.latestActivityOn = latest || null;
  }
  return data;
}

// ---------------------------------------------------------------------------------------------------

function makeListing(rnd: Random, id: number, city: City, usedNames: Set<string>): Listing {
  const [kind, bedrooms, capacity, basePrice] = rnd.pick(LISTING_KINDS);
  let name = '';
  for (let attempt = 0; attempt < 20 && (!name || usedNames.has(name)); attempt++) {
    const theme = rnd.pick(city.themes);
    // The first listing of a beach town is "The Beach House": the name a manager asks about first.
    name =
      id === FIRST_LISTING_ID && city.themes.includes('Beach')
        ? 'The Beach House'
        : `${rnd.pick(LISTING_ADJECTIVES)} ${theme} ${kind}`;
  }
  if (usedNames.has(name)) name = `${name} ${id}`;
  usedNames.add(name);
  const [ownerFirst, ownerLast] = rnd.pick(OWNER_NAMES);
  const street = `${rnd.int(10, 2999)} ${rnd.pick(city.streets)}`;
  const price = Math.round(basePrice * (0.85 + rnd.int(0, 30) / 100));
  const cleaningFee = 40 + bedrooms * 25 + rnd.int(0, 3) * 5;
  const checkIn = rnd.pick([15, 16]);
  return {
    id,
    propertyTypeId: bedrooms >= 3 ? 2 : 1,
    name,
    externalListingName: name,
    internalListingName: `${city.city.slice(0, 3).toUpperCase()}-${id}`,
    description: `${name} in ${city.city}: ${bedrooms ? `${bedrooms}-bedroom ` : ''}${kind.toLowerCase()} for up to ${capacity} guests, close to the best of ${city.city}.`,
    houseRules: 'No smoking. No parties. Quiet hours 10pm to 8am.',
    keyPickup: 'Smart lock at the front door; the code is sent the day before arrival.',
    specialInstruction: null,
    doorSecurityCode: String(rnd.int(1000, 9999)),
    country: 'United States',
    countryCode: 'US',
    state: city.state,
    city: city.city,
    street,
    address: `${street}, ${city.city}, ${city.state} ${city.zipcode}, United States`,
    publicAddress: `${city.city}, ${city.state} ${city.zipcode}, United States`,
    zipcode: city.zipcode,
    price,
    starRating: null,
    averageReviewRating: null,
    weeklyDiscount: rnd.chance(0.5) ? 0.9 : null,
    monthlyDiscount: rnd.chance(0.4) ? 0.8 : null,
    propertyRentTax: null,
    guestPerPersonPerNightTax: null,
    guestStayTax: null,
    guestNightlyTax: null,
    guestBathroomsNumber: Math.max(1, Math.ceil(bedrooms / 2)),
    refundableDamageDeposit: bedrooms >= 3 ? 500 : 250,
    personCapacity: capacity,
    maxChildrenAllowed: null,
    maxInfantsAllowed: null,
    maxPetsAllowed: rnd.chance(0.3) ? 1 : 0,
    lat: round2(city.lat + rnd.int(-300, 300) / 10_000),
    lng: round2(city.lng + rnd.int(-300, 300) / 10_000),
    checkInTimeStart: checkIn,
    checkInTimeEnd: 22,
    checkOutTime: rnd.pick([10, 11]),
    cancellationPolicy: rnd.pick(['flexible', 'moderate', 'strict']),
    cancellationPolicyId: null,
    airbnbCancellationPolicyId: null,
    bookingCancellationPolicyId: null,
    marriottCancellationPolicyId: null,
    vrboCancellationPolicyId: null,
    squareMeters: 30 + bedrooms * 28 + rnd.int(0, 20),
    specialStatus: null,
    roomType: 'entire_home',
    bathroomType: 'private',
    bedroomsNumber: bedrooms,
    bedsNumber: Math.max(1, bedrooms + rnd.int(0, 2)),
    bedType: 'real_bed',
    bathroomsNumber: Math.max(1, Math.ceil(bedrooms / 2)),
    minNights: rnd.weighted([
      [1, 3],
      [2, 5],
      [3, 2],
    ]),
    maxNights: 60,
    guestsIncluded: Math.min(capacity, 2),
    cleaningFee,
    priceForExtraPerson: 0,
    instantBookable: rnd.chance(0.7) ? 1 : 0,
    instantBookableLeadTime: 1,
    airbnbBookingLeadTime: 1,
    airbnbBookingLeadTimeAllowRequestToBook: 0,
    allowSameDayBooking: 1,
    sameDayBookingLeadTime: 14,
    contactName: ownerFirst,
    contactSurName: ownerLast,
    contactPhone1: `+1 555-01${String(rnd.int(0, 99)).padStart(2, '0')}`,
    contactPhone2: null,
    contactLanguage: 'en',
    contactEmail: `${ownerFirst.toLowerCase()}.${ownerLast.toLowerCase()}@example.com`,
    contactAddress: null,
    language: 'en',
    currencyCode: 'USD',
    timeZoneName: city.timeZoneName,
    wifiUsername: `${name.replace(/\W+/g, '')}-guest`,
    wifiPassword: `stay-${rnd.hex(6)}`,
    cleannessStatus: null,
    cleaningInstruction: 'Strip beds, restock coffee and toiletries, check the patio.',
    cleannessStatusUpdatedOn: null,
    homeawayPropertyName: name,
    homeawayPropertyHeadline: `${name}, ${city.city}`,
    homeawayPropertyDescription: null,
    bookingcomPropertyName: name,
    bookingcomPropertyDescription: null,
    invoicingContactName: null,
    invoicingContactSurName: null,
    invoicingContactPhone1: null,
    invoicingContactPhone2: null,
    invoicingContactLanguage: null,
    invoicingContactEmail: null,
    invoicingContactAddress: null,
    invoicingContactCity: null,
    invoicingContactZipcode: null,
    invoicingContactCountry: null,
    propertyLicenseNumber: rnd.chance(0.5) ? `STR-${rnd.int(10000, 99999)}` : null,
    propertyLicenseType: null,
    propertyLicenseIssueDate: null,
    propertyLicenseExpirationDate: null,
    partnersListingMarkup: null,
    airbnbOfficialListingMarkup: null,
    bookingEngineMarkup: null,
    homeawayApiMarkup: null,
    marriottListingMarkup: null,
    isRentalAgreementActive: false,
    listingAgreementText: null,
    bookingcomPropertyRegisteredInVcs: false,
    bookingcomPropertyHasVat: false,
    bookingcomPropertyDeclaresRevenue: false,
    airbnbListingUrl: `https://www.airbnb.com/rooms/${id}0${rnd.int(100, 999)}`,
    vrboListingUrl: null,
    googleVrListingUrl: null,
    airbnbName: name,
    airbnbSummary: null,
    airbnbSpace: null,
    airbnbAccess: null,
    airbnbInteraction: null,
    airbnbNeighborhoodOverview: null,
    airbnbTransit: null,
    airbnbNotes: null,
    insuranceEligibilityStatus: false,
    latestActivityOn: null,
    listingAmenities: [1, 2, 4, 8, 13].map((amenityId, i) => ({ id: id * 10 + i, amenityId })),
    listingBedTypes: [{ id: id * 10, bedTypeId: 1, quantity: Math.max(1, bedrooms) }],
    listingImages: [1, 2, 3].map((n) => ({
      id: id * 10 + n,
      caption: ['Living room', 'Bedroom', 'View'][n - 1] as string,
      vrboCaption: ['Living room', 'Bedroom', 'View'][n - 1] as string,
      airbnbCaption: ['Living area', 'Main bedroom', 'The view'][n - 1] as string,
      url: `https://images.example.com/listings/${id}/${n}.jpg`,
      sortOrder: n,
    })),
    customFieldValues: [{ customFieldId: 101, value: id % 2 ? 'Self check-in' : 'Meet and greet' }],
    bookingEngineUrls: [],
  };
}

interface IdCounters {
  reservation: number;
  conversation: number;
  message: number;
}

function layOutStays(rnd: Random, data: SandboxData, listing: Listing, now: number, ids: IdCounters): void {
  const zone = listing.timeZoneName as string;
  const today = dateInZone(now, zone);
  const first = addDays(today, -365);
  const last = addDays(today, 183);
  const overrides = new Map<string, CalendarOverride>();
  data.calendarOverrides.set(listing.id, overrides);
  let cursor = addDays(first, -rnd.int(0, 6));

  while (cursor < last) {
    const ahead = dayNumber(cursor) - dayNumber(today);
    // The far future is booked more thinly than the past.
    cursor = addDays(cursor, rnd.int(0, ahead > 0 ? 2 + Math.floor(ahead / 20) : 4));
    if (cursor >= last) break;

    if (rnd.chance(0.04)) {
      // A manual block: the owner closed a few days.
      const days = rnd.int(1, 4);
      for (let d = 0; d < days; d++)
        overrides.set(addDays(cursor, d), { isAvailable: 0, note: 'Owner block' });
      cursor = addDays(cursor, days);
      continue;
    }

    const nights = Math.max(
      listing.minNights ?? 1,
      rnd.weighted([
        [1, 5],
        [2, 20],
        [3, 24],
        [4, 15],
        [5, 12],
        [6, 6],
        [7, 10],
        [10, 4],
        [14, 4],
      ]),
    );
    const arrival = cursor;
    const departure = addDays(arrival, nights);
    const inPast = departure <= today;

    if (rnd.chance(0.07)) {
      // Cancelled: it holds no dates, so the loop may still book these days.
      data.reservations.push(makeReservation(rnd, data, listing, arrival, departure, 'cancelled', now, ids));
      continue;
    }
    if (!inPast && rnd.chance(0.03)) {
      data.reservations.push(
        makeReservation(
          rnd,
          data,
          listing,
          arrival,
          departure,
          rnd.pick(['inquiry', 'inquiryPreapproved'] as const),
          now,
          ids,
        ),
      );
      continue;
    }
    const status: ReservationStatus = inPast
      ? rnd.weighted<ReservationStatus>([
          ['new', 82],
          ['modified', 14],
          ['ownerStay', 4],
        ])
      : rnd.weighted<ReservationStatus>([
          ['new', 82],
          ['modified', 9],
          ['ownerStay', 3],
          ['pending', 3],
          ['awaitingPayment', 3],
        ]);
    data.reservations.push(makeReservation(rnd, data, listing, arrival, departure, status, now, ids));
    cursor = departure;
  }
}

/**
 * The stay layout draws the common statuses and channels; this relabels a few stays, by their position
 * and without a random draw (so the rest of the account is unchanged), so that the account also shows
 * the rarer documented statuses and the iCal and partner channels:
 *
 * - one cancelled stay in five ends another way that holds no dates (declined, expired, an inquiry
 *   that was denied, timed out or not possible, or `unknown`);
 * - one request to book in three is Vrbo's (`unconfirmed`), one awaiting payment in three awaits the
 *   guest's verification instead: both still hold their dates;
 * - one direct stay in four came from an iCal feed or a partner channel.
 */
function relabel(accountId: number): (r: ReservationCore) => ReservationCore {
  const seen = new Map<string, number>();
  const nth = (key: string) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  };
  return (r) => {
    let out = r;
    if (r.status === 'cancelled') {
      const n = nth('cancelled');
      if (n % 5 === 2)
        out = {
          ...out,
          status: CLOSED_WITHOUT_STAY[Math.floor(n / 5) % CLOSED_WITHOUT_STAY.length] as ReservationStatus,
          cancellationDate: null,
          cancelledBy: null,
        };
    } else if (r.status === 'pending' && nth('pending') % 3 === 1) {
      out = { ...out, status: 'unconfirmed', pendingExpireDate: null };
    } else if (r.status === 'awaitingPayment' && nth('awaitingPayment') % 3 === 1) {
      out = { ...out, status: 'awaitingGuestVerification' };
    }
    if (r.channelId === 2000 && r.status !== 'ownerStay') {
      const n = nth('direct');
      if (n % 4 === 3) {
        const channelId = OTHER_CHANNELS[Math.floor(n / 4) % OTHER_CHANNELS.length] as ChannelId;
        const external = r.reservationId.split('-').slice(3).join('-');
        out = {
          ...out,
          channelId,
          channelName: CHANNELS[channelId],
          source: CHANNELS[channelId],
          reservationId: `${accountId}-${r.listingMapId}-${channelId}-${external}`,
          paymentMethod: null,
        };
      }
    }
    return out;
  };
}

const CLOSED_WITHOUT_STAY: readonly ReservationStatus[] = [
  'declined',
  'expired',
  'inquiryDenied',
  'inquiryTimedout',
  'inquiryNotPossible',
  'unknown',
];
const OTHER_CHANNELS: readonly ChannelId[] = [2010, 2015, 2022, 2019, 2009, 2020, 2016, 2017, 2021];

function makeReservation(
  rnd: Random,
  data: SandboxData,
  listing: Listing,
  arrival: string,
  departure: string,
  status: ReservationStatus,
  now: number,
  ids: IdCounters,
): ReservationCore {
  const id = ids.reservation++;
  const owner = status === 'ownerStay';
  const channelId: ChannelId = owner ? 2000 : rnd.weighted(CHANNEL_WEIGHTS);
  const first = owner ? (listing.contactName as string) : rnd.pick(FIRST_NAMES);
  const lastName = owner ? (listing.contactSurName as string) : rnd.pick(LAST_NAMES);
  const [guestCity, guestCountry] = rnd.pick(GUEST_CITIES);
  const nights = dayNumber(departure) - dayNumber(arrival);
  const capacity = listing.personCapacity ?? 2;
  const guests = rnd.int(1, capacity);
  const children = guests > 2 && rnd.chance(0.4) ? rnd.int(1, guests - 2) : 0;

  let baseRate = 0;
  const firstNight = dayNumber(arrival);
  for (let d = 0; d < nights; d++) baseRate += nightlyPriceOnDay(listing, firstNight + d);
  const cleaningFee = owner ? 0 : (listing.cleaningFee ?? 0);
  if (owner) baseRate = 0;
  const taxAmount = round2(baseRate * TAX_RATE);
  const totalPrice = round2(baseRate + cleaningFee + taxAmount);
  const commission = round2((CHANNEL_COMMISSION[channelId] ?? 0) * (baseRate + cleaningFee));

  const arrivalInstant = Date.parse(`${arrival}T00:00:00Z`);
  const leadDays = rnd.weighted([
    [rnd.int(1, 6), 2],
    [rnd.int(7, 30), 4],
    [rnd.int(31, 120), 4],
  ]);
  let booked = arrivalInstant - leadDays * 86_400_000 + rnd.int(8, 22) * HOUR;
  // A stay further ahead than its lead time was booked at some point over the past three months.
  if (booked > now - HOUR) booked = now - rnd.int(1, 90 * 24) * HOUR;
  let updated = booked;
  const activityCap = Math.min(now - MINUTE, Date.parse(`${departure}T00:00:00Z`) + 3 * 86_400_000);
  if (status === 'modified' || rnd.chance(0.3))
    updated = booked + rnd.int(0, Math.max(0, activityCap - booked));
  let cancellationDate: string | null = null;
  if (status === 'cancelled') {
    const cancelled = booked + rnd.int(HOUR, Math.max(HOUR, Math.min(arrivalInstant, now - MINUTE) - booked));
    cancellationDate = formatDateTime(Math.min(cancelled, now - MINUTE)).slice(0, 10);
    updated = Math.min(cancelled, now - MINUTE);
  }
  const airbnb = channelId === 2018;
  const channelName = CHANNELS[channelId];
  const externalId = airbnb ? `HM${rnd.hex(8).toUpperCase()}` : String(rnd.int(1_000_000_000, 2_147_000_000));

  const doorCode = BLOCKING_STATUSES.has(status) ? String(rnd.int(1000, 9999)) : null;
  return {
    id,
    listingMapId: listing.id,
    channelId,
    source: owner ? 'owner' : channelName,
    channelName,
    reservationId: `${data.accountId}-${listing.id}-${channelId}-${externalId}`,
    assigneeUserId: null,
    isInstantBooked: listing.instantBookable && !owner ? 1 : 0,
    reservationDate: formatDateTime(booked),
    pendingExpireDate: status === 'pending' ? formatDateTime(Math.max(now, booked) + 24 * HOUR) : null,
    guestName: `${first} ${lastName}`,
    guestFirstName: first,
    guestLastName: lastName,
    guestExternalAccountId: airbnb ? String(rnd.int(10_000_000, 99_999_999)) : null,
    guestCity,
    guestCountry,
    guestEmail: `${first}.${lastName}${id % 97}@example.org`.toLowerCase(),
    guestRecommendations: airbnb ? rnd.int(0, 12) : null,
    guestTrips: airbnb ? rnd.int(0, 30) : null,
    numberOfGuests: guests,
    adults: guests - children,
    children: children || null,
    arrivalDate: arrival,
    departureDate: departure,
    checkInTime: listing.checkInTimeStart ?? null,
    checkOutTime: listing.checkOutTime ?? null,
    nights,
    phone: owner ? (listing.contactPhone1 ?? null) : `+1 555-01${String(rnd.int(0, 99)).padStart(2, '0')}`,
    totalPrice,
    taxAmount,
    channelCommissionAmount: commission,
    cleaningFee,
    isPaid: arrivalInstant < now || airbnb ? 1 : 0,
    paymentMethod: channelId === 2000 || channelId === 2013 ? 'credit card' : null,
    currency: listing.currencyCode ?? 'USD',
    status,
    cancellationDate,
    cancelledBy: status === 'cancelled' ? rnd.pick(['guest', 'guest', 'host'] as const) : null,
    guestNote: rnd.chance(0.1) ? 'Arriving late in the evening.' : null,
    doorCode,
    confirmationCode: airbnb ? externalId : null,
    airbnbCancellationPolicy: airbnb ? listing.cancellationPolicy : null,
    isStarred: 0,
    isArchived: 0,
    isPinned: 0,
    latestActivityOn: formatDateTime(updated),
    cancellationPolicy: listing.cancellationPolicy,
    insertedOn: formatDateTime(booked),
    updatedOn: formatDateTime(updated),
  };
}

/**
 * The full wire object of a stay: the core plus the fields Hostaway derives from it or leaves empty.
 * Built when a reservation is first served (the store memoizes it per core object).
 */
export function reservationWire(r: ReservationCore): Reservation {
  const airbnb = r.channelId === 2018;
  const base = round2((r.totalPrice ?? 0) - (r.cleaningFee ?? 0) - (r.taxAmount ?? 0));
  const cleaning = r.cleaningFee ?? 0;
  const commission = r.channelCommissionAmount ?? 0;
  return {
    id: r.id,
    listingMapId: r.listingMapId,
    channelId: r.channelId,
    source: r.source,
    channelName: r.channelName,
    reservationId: r.reservationId,
    hostawayReservationId: r.id,
    channelReservationId: r.reservationId,
    externalPropertyId: null,
    externalRatePlanId: null,
    externalUnitId: null,
    assigneeUserId: r.assigneeUserId,
    manualIcalId: null,
    manualIcalName: null,
    isProcessed: 1,
    isInitial: 0,
    isManuallyChecked: 0,
    isInstantBooked: r.isInstantBooked,
    hasPullError: 0,
    reservationDate: r.reservationDate,
    pendingExpireDate: r.pendingExpireDate,
    guestName: r.guestName,
    guestFirstName: r.guestFirstName,
    guestLastName: r.guestLastName,
    guestExternalAccountId: r.guestExternalAccountId,
    guestZipCode: null,
    guestAddress: null,
    guestCity: r.guestCity,
    guestCountry: r.guestCountry,
    guestEmail: r.guestEmail,
    guestPicture: null,
    guestRecommendations: r.guestRecommendations,
    guestTrips: r.guestTrips,
    guestWork: null,
    isGuestIdentityVerified: 0,
    isGuestVerifiedByEmail: 0,
    isGuestVerifiedByWorkEmail: 0,
    isGuestVerifiedByFacebook: 0,
    isGuestVerifiedByGovernmentId: 0,
    isGuestVerifiedByPhone: 0,
    isGuestVerifiedByReviews: 0,
    numberOfGuests: r.numberOfGuests,
    adults: r.adults,
    children: r.children,
    infants: null,
    pets: null,
    arrivalDate: r.arrivalDate,
    departureDate: r.departureDate,
    isDatesUnspecified: 0,
    previousArrivalDate: null,
    previousDepartureDate: null,
    checkInTime: r.checkInTime,
    checkOutTime: r.checkOutTime,
    nights: r.nights,
    phone: r.phone,
    totalPrice: r.totalPrice,
    taxAmount: r.taxAmount,
    channelCommissionAmount: commission,
    hostawayCommissionAmount: null,
    cleaningFee: cleaning,
    securityDepositFee: null,
    isPaid: r.isPaid,
    paymentMethod: r.paymentMethod,
    stripeGuestId: null,
    currency: r.currency,
    status: r.status,
    cancellationDate: r.cancellationDate,
    cancelledBy: r.cancelledBy,
    hostNote: null,
    guestNote: r.guestNote,
    guestLocale: 'en',
    doorCode: r.doorCode,
    doorCodeVendor: null,
    doorCodeInstruction: null,
    comment: null,
    confirmationCode: r.confirmationCode,
    airbnbExpectedPayoutAmount: airbnb ? round2(base + cleaning - commission) : null,
    airbnbListingBasePrice: airbnb ? base : null,
    airbnbListingCancellationHostFee: null,
    airbnbListingCancellationPayout: null,
    airbnbListingCleaningFee: airbnb ? cleaning : null,
    airbnbListingHostFee: airbnb ? commission : null,
    airbnbListingSecurityPrice: null,
    airbnbOccupancyTaxAmountPaidToHost: null,
    airbnbTotalPaidAmount: airbnb ? r.totalPrice : null,
    airbnbTransientOccupancyTaxPaidAmount: null,
    airbnbCancellationPolicy: r.airbnbCancellationPolicy,
    isStarred: r.isStarred,
    isArchived: r.isArchived,
    isPinned: r.isPinned,
    guestAuthHash: null,
    guestPortalUrl: null,
    originalChannel: null,
    latestActivityOn: r.latestActivityOn,
    customerUserId: null,
    reservationAgreement: 'not_required',
    remainingBalance: null,
    rentalAgreementFileUrl: null,
    insuranceStatus: null,
    claimStatus: null,
    insurancePolicyId: null,
    cancellationPolicyId: null,
    cancellationPolicy: r.cancellationPolicy,
    hostProxyEmail: null,
    guestPaymentCardIsVirtual: 0,
    insertedOn: r.insertedOn,
    updatedOn: r.updatedOn,
    customFieldValues: [],
    reservationFees: [],
    reservationUnit: [],
    financeField: [
      // Types as the changelog re-typed them (2024-04-17, 2024-05-15), spelling included.
      financeLine(r.id * 10 + 1, 'accomodation', 'baseRate', 'Base rate', base),
      financeLine(r.id * 10 + 2, 'fee', 'cleaningFeeValue', 'Cleaning fee', cleaning),
      financeLine(r.id * 10 + 3, 'tax', 'totalTax', 'Total tax', r.taxAmount ?? 0),
      financeLine(r.id * 10 + 4, 'commissions', 'hostChannelFee', 'Host channel fee', commission, 0),
    ],
  };
}

function financeLine(
  id: number,
  type: string,
  name: string,
  title: string,
  value: number,
  included: 0 | 1 = 1,
) {
  return {
    id,
    units: 1,
    quantity: 1,
    listingFeeSettingId: null,
    type,
    name,
    title,
    alias: null,
    value,
    isIncludedInTotalPrice: included,
    isOverriddenByUser: 0 as const,
    isMandatory: null,
    isQuantitySelectable: 0 as const,
    isDeleted: 0 as const,
    total: value,
  };
}

// ---------------------------------------------------------------------------------------------------

function fill(template: string, listing: Listing, r: ReservationCore): string {
  return template
    .replaceAll('{listing}', listing.name)
    .replaceAll('{city}', listing.city ?? '')
    .replaceAll('{guests}', String(r.numberOfGuests ?? 2))
    .replaceAll('{first}', r.guestFirstName ?? 'there')
    .replaceAll('{checkin}', String(listing.checkInTimeStart ?? 15));
}

/** Direct and website bookings talk by e-mail; channel guests through the channel's own messaging. */
export function communicationTypeOf(channelId: number): 'email' | 'channel' {
  return channelId === 2000 || channelId === 2013 ? 'email' : 'channel';
}

/** A message as generated: its wire object is built on first read (see `messageFromSeed`). */
export interface MessageSeed {
  id: number;
  at: number;
  body: string;
  incoming: boolean;
  /** `sent`, or `awaiting` for a scheduled message not yet due. */
  status: 'sent' | 'awaiting';
  seen: boolean;
}

/**
 * The wire object of a generated message. Threads are generated compactly and built out only when a
 * conversation is read: most of a seeded account's 20,000-odd messages are never asked for, and
 * holding them as full objects made start-up several times slower.
 */
export function messageFromSeed(
  seed: MessageSeed,
  conv: Conversation,
  listing: Listing | undefined,
  communicationType: 'email' | 'channel',
): ConversationMessage {
  const stamp = formatDateTime(seed.at);
  const scheduled = seed.status === 'awaiting';
  return {
    id: seed.id,
    accountId: conv.accountId ?? 0,
    listingMapId: conv.listingMapId ?? null,
    reservationId: conv.reservationId ?? null,
    conversationId: conv.id,
    communicationId: null,
    airbnbThreadMessageId: null,
    channelThreadMessageId: null,
    body: seed.body,
    communicationType,
    status: seed.status,
    isIncoming: seed.incoming ? 1 : 0,
    isSeen: seed.seen ? 1 : 0,
    sentUsingHostaway: seed.incoming ? 0 : 1,
    hash: messageHash(seed.id),
    listingTimeZoneName: listing?.timeZoneName ?? null,
    communicationEvent: scheduled ? 'arrival' : null,
    communicationTimeDelta: scheduled ? -86_400 : null,
    communicationApplyListingTimeZone: scheduled ? 1 : null,
    communicationAlwaysTrigger: null,
    date: stamp,
    sentChannelDate: scheduled ? null : stamp,
    attachments: seed.incoming && seed.id % 23 === 0 ? [guestPhoto(seed.id, conv)] : [],
    insertedOn: stamp,
    updatedOn: stamp,
  };
}

/** Now and then a guest sends a photo: a private attachment, its link a temporary one. */
function guestPhoto(messageId: number, conv: Conversation) {
  return {
    id: messageId * 10 + 1,
    accountId: conv.accountId ?? 0,
    listingMapId: conv.listingMapId ?? null,
    reservationId: conv.reservationId ?? null,
    taskId: null,
    conversationMessageId: messageId,
    communicationId: null,
    name: `photo-${messageId}.jpg`,
    url: `https://files.example.com/attachments/${messageId}.jpg?expires=7d`,
    extension: 'jpg',
    mimeType: 'image/jpeg',
    isImage: 1 as const,
    isPublic: 0 as const,
  };
}

/** A stable 32-hex checksum per message id (the docs' `hash`), without keeping it in memory. */
export function messageHash(id: number): string {
  let out = '';
  let x = id >>> 0;
  for (let i = 0; i < 4; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    x = Math.imul(x ^ (x >>> 12), 0x297a2d39) >>> 0;
    x = (x ^ (x >>> 15)) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out;
}

function makeConversation(
  rnd: Random,
  data: SandboxData,
  listing: Listing,
  r: ReservationCore,
  now: number,
  ids: IdCounters,
): void {
  const conversationId = ids.conversation++;
  const thread: MessageSeed[] = [];
  const zone = listing.timeZoneName as string;
  const add = (at: number, body: string, incoming: boolean, status: MessageSeed['status'] = 'sent') => {
    if (status === 'sent' && at > now - MINUTE) return;
    thread.push({ id: ids.message++, at, body, incoming, status, seen: true });
  };

  const booked = Date.parse(`${(r.reservationDate as string).replace(' ', 'T')}Z`);
  const arrivalAt = zonedTimeToUtcCached(r.arrivalDate, listing.checkInTimeStart ?? 15, zone);
  const departureAt = Date.parse(`${r.departureDate}T18:00:00Z`);
  const inquiry = r.status.startsWith('inquiry');

  if (inquiry) {
    const asked = booked + rnd.int(1, 30) * MINUTE;
    add(asked, rnd.pick(GUEST_QUESTIONS), true);
    if (rnd.chance(0.6)) add(asked + rnd.int(10, 240) * MINUTE, rnd.pick(HOST_ANSWERS), false);
  } else {
    let t = booked + rnd.int(2, 90) * MINUTE;
    if (rnd.chance(0.7)) {
      add(t, fill(rnd.pick(GUEST_OPENERS), listing, r), true);
      t += rnd.int(5, 180) * MINUTE;
    }
    add(t, fill(rnd.pick(HOST_REPLIES), listing, r), false);
    if (r.status === 'cancelled') {
      add(
        Math.min(now - HOUR, t + rnd.int(1, 72) * HOUR),
        'Unfortunately we have to cancel our trip. Sorry!',
        true,
      );
    } else {
      const checkinNote = arrivalAt - 3 * 86_400_000;
      if (checkinNote < now)
        add(Math.max(t + HOUR, checkinNote), fill(rnd.pick(CHECKIN_MESSAGES), listing, r), false);
      else add(checkinNote, fill(rnd.pick(CHECKIN_MESSAGES), listing, r), false, 'awaiting');
      if (arrivalAt < now && rnd.chance(0.35)) {
        const asked =
          arrivalAt +
          rnd.int(1, Math.max(2, Math.floor((Math.min(departureAt, now) - arrivalAt) / HOUR))) * HOUR;
        add(asked, rnd.pick(GUEST_QUESTIONS), true);
        add(asked + rnd.int(5, 120) * MINUTE, rnd.pick(HOST_ANSWERS), false);
      }
      // Guests around today sometimes wait: their last message has had no reply yet.
      const daysToArrival = (arrivalAt - now) / 86_400_000;
      if (daysToArrival > -7 && daysToArrival < 14 && departureAt > now && rnd.chance(0.22)) {
        add(now - rnd.int(20, 30 * 60) * MINUTE, rnd.pick(GUEST_QUESTIONS), true);
      }
    }
  }

  thread.sort((a, b) => a.at - b.at || a.id - b.id);
  let last: MessageSeed | undefined;
  let lastIn: MessageSeed | undefined;
  let lastOut: MessageSeed | undefined;
  for (const m of thread) {
    if (m.status !== 'sent') continue;
    last = m;
    if (m.incoming) lastIn = m;
    else lastOut = m;
  }
  // An unanswered guest message stays unread only while it is fresh; older ones the host has seen.
  if (last?.incoming && now - last.at < 3 * 86_400_000) last.seen = false;
  data.threads.set(conversationId, thread);
  data.conversations.push({
    id: conversationId,
    accountId: data.accountId,
    listingMapId: listing.id,
    reservationId: r.id,
    type: 'host-guest-email',
    recipientEmail: r.guestEmail,
    recipientName: r.guestName,
    recipientPicture: null,
    hostEmail: `c-${rnd.hex(24)}@host.example.com`,
    guestEmail: `c-${rnd.hex(24)}@guest.example.com`,
    hasUnreadMessages: last?.incoming && !last.seen ? 1 : 0,
    messageSentOn: lastOut ? formatDateTime(lastOut.at) : null,
    messageReceivedOn: lastIn ? formatDateTime(lastIn.at) : null,
  });
  const latestMessage = last ? formatDateTime(last.at) : '';
  if (latestMessage > (r.latestActivityOn ?? '')) r.latestActivityOn = latestMessage;
}

const checkinInstants = new Map<string, number>();
/** Check-in instants repeat across stays of a listing; the zone arithmetic is the costly part. */
function zonedTimeToUtcCached(date: string, hour: number, zone: string): number {
  const key = `${date}|${hour}|${zone}`;
  let at = checkinInstants.get(key);
  if (at === undefined) {
    at = zonedTimeToUtc(date, hour, zone);
    checkinInstants.set(key, at);
  }
  return at;
}

// ---------------------------------------------------------------------------------------------------

/** A review as generated; `reviewFromSeed` builds its wire object when reviews are first read. */
export interface ReviewSeed {
  id: number;
  reservationId: number;
  type: 'guest-to-host' | 'host-to-guest';
  status: 'published' | 'awaiting';
  rating: number | null;
  publicReview: string | null;
  revieweeResponse: string | null;
}

function makeReviews(rnd: Random, data: SandboxData, now: number): void {
  let id = 50_001;
  const ratingSum = new Map<number, [number, number]>();
  const todayOf = todayByListing(data.listings, now);
  for (const r of data.reservations) {
    if (!BLOCKING_STATUSES.has(r.status as ReservationStatus) || r.status === 'ownerStay') continue;
    if (r.channelId !== 2018 && r.channelId !== 2005 && r.channelId !== 2002) continue;
    const today = todayOf.get(r.listingMapId) as string;
    if (r.departureDate > today) continue;
    const recent = dayNumber(today) - dayNumber(r.departureDate) <= 14;
    if (rnd.chance(recent ? 0.3 : 0.55)) {
      const rating = rnd.weighted(REVIEW_RATINGS);
      const [sum, n] = ratingSum.get(r.listingMapId) ?? [0, 0];
      ratingSum.set(r.listingMapId, [sum + rating, n + 1]);
      data.reviews.push({
        id: id++,
        reservationId: r.id,
        type: 'guest-to-host',
        status: 'published',
        rating,
        publicReview: rnd.pick(REVIEW_TEXTS),
        revieweeResponse: rnd.chance(0.3) ? 'Thank you for staying with us!' : null,
      });
    }
    if (r.channelId === 2018) {
      data.reviews.push({
        id: id++,
        reservationId: r.id,
        type: 'host-to-guest',
        status: recent ? 'awaiting' : 'published',
        rating: recent ? null : 10,
        publicReview: recent ? null : `${r.guestFirstName} was a great guest. Welcome back any time!`,
        revieweeResponse: null,
      });
    }
  }
  for (const listing of data.listings) {
    const [sum, n] = ratingSum.get(listing.id) ?? [0, 0];
    if (n > 0) listing.averageReviewRating = round2(sum / n);
  }
}

const REVIEW_RATINGS: ReadonlyArray<readonly [number, number]> = [
  [10, 50],
  [9, 25],
  [8, 12],
  [7, 6],
  [6, 4],
  [4, 3],
];

export function reviewFromSeed(
  seed: ReviewSeed,
  r: ReservationCore,
  listing: Listing,
  accountId: number,
): Review {
  const at = (date: string, hour: number | null | undefined, fallback: number) =>
    `${date} ${String(hour ?? fallback).padStart(2, '0')}:00:00`;
  return {
    id: seed.id,
    accountId,
    listingMapId: r.listingMapId,
    reservationId: r.id,
    autoReviewId: null,
    timeDelta: null,
    scheduledDateTime: null,
    channelId: r.channelId,
    type: seed.type,
    status: seed.status,
    rating: seed.rating,
    externalReviewId: null,
    externalReservationId: null,
    publicReview: seed.publicReview,
    privateFeedback: null,
    revieweeResponse: seed.revieweeResponse,
    isRevieweeRecommended: null,
    isCancelled: 0,
    autoReviewTemplateId: null,
    reviewCategory: [],
    departureDate: at(r.departureDate, listing.checkOutTime, 11),
    arrivalDate: at(r.arrivalDate, listing.checkInTimeStart, 15),
    listingName: listing.name,
    guestName: r.guestName,
  };
}

function makeTasks(data: SandboxData, byListing: Map<number, Listing>, now: number): void {
  let id = 70_001;
  const todayOf = todayByListing(data.listings, now);
  const stays = data.reservations.filter((r) => BLOCKING_STATUSES.has(r.status as ReservationStatus));
  const nextArrival = new Map<number, ReservationCore>();
  const sorted = [...stays].sort((a, b) => b.arrivalDate.localeCompare(a.arrivalDate));
  const following = new Map<number, ReservationCore | undefined>();
  for (const r of sorted) {
    following.set(r.id, nextArrival.get(r.listingMapId));
    nextArrival.set(r.listingMapId, r);
  }
  for (const r of stays) {
    const listing = byListing.get(r.listingMapId) as Listing;
    const zone = listing.timeZoneName as string;
    const today = todayOf.get(listing.id) as string;
    const offset = dayNumber(r.departureDate) - dayNumber(today);
    if (offset < -14 || offset > 30) continue;
    const next = following.get(r.id);
    const start = zonedTimeToUtcCached(r.departureDate, listing.checkOutTime ?? 11, zone);
    const endDate =
      next && next.arrivalDate <= addDays(r.departureDate, 1)
        ? next.arrivalDate
        : addDays(r.departureDate, 1);
    const end = zonedTimeToUtcCached(endDate, listing.checkInTimeStart ?? 15, zone);
    const done = end < now;
    const local = (date: string, hour: number) => `${date} ${String(hour).padStart(2, '0')}:00:00`;
    data.tasks.push({
      id: id++,
      listingMapId: listing.id,
      channelId: r.channelId,
      reservationId: r.id,
      autoTaskId: null,
      assigneeUserId: null,
      canBePickedByGroupId: null,
      supervisorUserId: null,
      createdByUserId: null,
      isUpdatedManually: 0,
      checklistTemplateId: null,
      reservationUnitId: 0,
      title: `Turnover cleaning: ${listing.name}`,
      description: listing.cleaningInstruction,
      canStartFrom: formatDateTime(start),
      canStartFromListingTime: local(r.departureDate, listing.checkOutTime ?? 11),
      canStartFromEvent: 'departure',
      canStartFromEventDelta: 0,
      shouldEndBy: formatDateTime(end),
      shouldEndByListingTime: local(endDate, listing.checkInTimeStart ?? 15),
      shouldEndByEvent: next && next.arrivalDate === endDate ? 'arrival' : null,
      shouldEndByEventDelta: next && next.arrivalDate === endDate ? 0 : null,
      status: done ? 'completed' : start < now ? 'inProgress' : 'pending',
      resolutionNote: null,
      feedbackScore: null,
      feedbackNote: null,
      startedAt: start < now ? formatDateTime(start) : null,
      confirmedAt: null,
      completedAt: done ? formatDateTime(end - HOUR) : null,
      priority: 1,
      cost: 30 + (listing.bedroomsNumber ?? 1) * 20,
      costCurrency: 'USD',
      costDescription: 'Cleaning crew',
      color: null,
      expense: null,
      rank: 0,
      checklistItems: [],
      customFieldValue: [],
      categoriesMap: [1],
    });
  }
}

function todayByListing(listings: readonly Listing[], now: number): Map<number, string> {
  return new Map(listings.map((l) => [l.id, dateInZone(now, l.timeZoneName ?? 'UTC')]));
}

function makeTemplates(accountId: number): MessageTemplate[] {
  const templates: Array<[string, string, string]> = [
    [
      'Booking confirmation',
      'Sent when a reservation is confirmed',
      'Hello {{guest_name}}, thank you for booking {{listing_name}}! We look forward to welcoming you on {{arrival_date}}.',
    ],
    [
      'Check-in instructions',
      'Sent 3 days before arrival',
      'Hi {{guest_first_name}}, check-in at {{listing_name}} ({{listing_address}}) opens at {{check_in_time}}. Your door code is {{door_code}}.',
    ],
    [
      'Wifi details',
      'Answer to wifi questions',
      'The wifi network is {{wifi_username}} and the password is {{wifi_password}}.',
    ],
    [
      'Early check-in',
      'Reply to early check-in requests',
      'Hi {{guest_first_name}}, we will do our best to have {{listing_name}} ready early on {{arrival_date}} and will confirm by noon.',
    ],
    [
      'Checkout reminder',
      'Sent the evening before departure',
      'Hi {{guest_first_name}}, a reminder that checkout is at {{check_out_time}} on {{departure_date}}. Safe travels!',
    ],
    [
      'Review request',
      'Sent after departure',
      'Thank you for staying at {{listing_name}}, {{guest_first_name}}! A review would mean a lot to us.',
    ],
  ];
  return templates.map(([name, description, message], i) => ({
    id: 901 + i,
    accountId,
    listingMapId: null,
    channelId: null,
    messageTemplateGroupId: null,
    name,
    description,
    message,
    color: i,
  }));
}
