/**
 * The raw material of the sandbox's seeded portfolio: places in five US time zones, names, listing
 * words and message snippets. E-mail domains are the reserved `example.*` ones and phone numbers use the
 * fictional 555-01xx range, so no generated contact can reach a real person.
 */

export interface City {
  city: string;
  state: string;
  zipcode: string;
  timeZoneName: string;
  lat: number;
  lng: number;
  streets: readonly string[];
  /** Words that fit a listing there ("Beach", "Lake", ...). */
  themes: readonly string[];
}

export const CITIES: readonly City[] = [
  {
    city: 'Miami Beach',
    state: 'Florida',
    zipcode: '33139',
    timeZoneName: 'America/New_York',
    lat: 25.7907,
    lng: -80.13,
    streets: ['Ocean Drive', 'Collins Avenue', 'Washington Avenue', 'Meridian Avenue'],
    themes: ['Beach', 'Ocean', 'Palm', 'Seaside'],
  },
  {
    city: 'Asheville',
    state: 'North Carolina',
    zipcode: '28801',
    timeZoneName: 'America/New_York',
    lat: 35.5951,
    lng: -82.5515,
    streets: ['Haywood Street', 'Charlotte Street', 'Merrimon Avenue'],
    themes: ['Mountain', 'Ridge', 'Forest'],
  },
  {
    city: 'Austin',
    state: 'Texas',
    zipcode: '78704',
    timeZoneName: 'America/Chicago',
    lat: 30.2672,
    lng: -97.7431,
    streets: ['South Congress Avenue', 'Rainey Street', 'East 6th Street', 'Barton Springs Road'],
    themes: ['Downtown', 'Garden', 'Urban'],
  },
  {
    city: 'New Orleans',
    state: 'Louisiana',
    zipcode: '70116',
    timeZoneName: 'America/Chicago',
    lat: 29.9511,
    lng: -90.0715,
    streets: ['Royal Street', 'Esplanade Avenue', 'Frenchmen Street'],
    themes: ['Courtyard', 'Jazz', 'Garden'],
  },
  {
    city: 'Breckenridge',
    state: 'Colorado',
    zipcode: '80424',
    timeZoneName: 'America/Denver',
    lat: 39.4817,
    lng: -106.0384,
    streets: ['Main Street', 'Ski Hill Road', 'Park Avenue'],
    themes: ['Ski', 'Mountain', 'Alpine', 'Pine'],
  },
  {
    city: 'Sedona',
    state: 'Arizona',
    zipcode: '86336',
    timeZoneName: 'America/Phoenix',
    lat: 34.8697,
    lng: -111.761,
    streets: ['Red Rock Drive', 'Canyon Road', 'Oak Creek Boulevard'],
    themes: ['Canyon', 'Desert', 'Red Rock'],
  },
  {
    city: 'South Lake Tahoe',
    state: 'California',
    zipcode: '96150',
    timeZoneName: 'America/Los_Angeles',
    lat: 38.9399,
    lng: -119.9772,
    streets: ['Lake Tahoe Boulevard', 'Pioneer Trail', 'Ski Run Boulevard'],
    themes: ['Lake', 'Lakeside', 'Pine', 'Cabin'],
  },
  {
    city: 'San Diego',
    state: 'California',
    zipcode: '92109',
    timeZoneName: 'America/Los_Angeles',
    lat: 32.7157,
    lng: -117.1611,
    streets: ['Mission Boulevard', 'Garnet Avenue', 'Ocean Front Walk'],
    themes: ['Beach', 'Surf', 'Bay', 'Ocean'],
  },
  {
    city: 'Kihei',
    state: 'Hawaii',
    zipcode: '96753',
    timeZoneName: 'Pacific/Honolulu',
    lat: 20.7644,
    lng: -156.445,
    streets: ['South Kihei Road', 'Wailea Alanui Drive'],
    themes: ['Beach', 'Island', 'Lagoon', 'Ocean'],
  },
];

/** Listing kinds with their size: [noun, bedrooms, person capacity, base nightly price in USD]. */
export const LISTING_KINDS: ReadonlyArray<readonly [string, number, number, number]> = [
  ['Studio', 0, 2, 95],
  ['Loft', 1, 2, 130],
  ['Apartment', 1, 3, 120],
  ['Condo', 2, 4, 170],
  ['Bungalow', 2, 4, 185],
  ['Cottage', 2, 5, 190],
  ['Cabin', 3, 6, 240],
  ['House', 3, 8, 290],
  ['Villa', 4, 10, 480],
  ['Retreat', 5, 12, 620],
];

export const LISTING_ADJECTIVES = [
  'Cozy',
  'Sunny',
  'Modern',
  'Charming',
  'Quiet',
  'Bright',
  'Hidden',
  'Grand',
  'Little',
  'Rustic',
  'Breezy',
  'Golden',
] as const;

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sophia',
  'Lucas',
  'Mia',
  'Ethan',
  'Amelia',
  'Hiro',
  'Isabella',
  'Arjun',
  'Chloe',
  'Kwame',
  'Grace',
  'Diego',
  'Zoe',
  'Ivan',
  'Leila',
  'Samuel',
  'Priya',
  'Jonas',
  'Fatima',
  'Oscar',
  'Hannah',
  'Chen',
  'Nora',
  'Marco',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Johnson',
  'Nguyen',
  'Williams',
  'Martinez',
  'Brown',
  'Kim',
  'Davis',
  'Lopez',
  'Miller',
  'Patel',
  'Wilson',
  'Rossi',
  'Anderson',
  'Schmidt',
  'Taylor',
  'Okafor',
  'Thomas',
  'Silva',
  'Moore',
  'Tanaka',
  'Clark',
  'Novak',
] as const;

export const GUEST_CITIES: ReadonlyArray<readonly [string, string]> = [
  ['Chicago', 'US'],
  ['Seattle', 'US'],
  ['Boston', 'US'],
  ['Toronto', 'CA'],
  ['London', 'GB'],
  ['Berlin', 'DE'],
  ['Madrid', 'ES'],
  ['Mexico City', 'MX'],
  ['Sydney', 'AU'],
  ['Tokyo', 'JP'],
  ['Denver', 'US'],
  ['Atlanta', 'US'],
];

export const OWNER_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Rachel', 'Morgan'],
  ['Daniel', 'Reyes'],
  ['Susan', 'Whitfield'],
  ['Tomas', 'Lindqvist'],
];

/** Openers a guest sends when booking or asking. `{listing}` is the listing name. */
export const GUEST_OPENERS = [
  'Hi! We just booked {listing} and are really looking forward to it.',
  'Hello, thanks for accepting our reservation. Could you tell us a bit about parking?',
  'Hi there, we are a family of {guests}. Is there a crib available?',
  'Good morning! Just booked, excited to visit {city}.',
] as const;

export const HOST_REPLIES = [
  'Thanks for booking with us! We will send check-in instructions a few days before arrival.',
  'Welcome! There is free parking in front of the building. Let us know if you need anything else.',
  'Great to hear from you. A travel crib is available, we will set it up before you arrive.',
  'Thank you, we look forward to hosting you!',
] as const;

export const CHECKIN_MESSAGES = [
  'Your stay at {listing} starts soon. Check-in is from {checkin}:00; the door code is sent the day before.',
  'Hi {first}, quick reminder: check-in opens at {checkin}:00. Reply here if your arrival time changes.',
] as const;

/** Questions that sometimes stay unanswered: these make the "who is waiting for a reply" queue. */
export const GUEST_QUESTIONS = [
  'Hi, is early check-in possible? Our flight lands at 9am.',
  'What is the wifi password? It is not in the guidebook.',
  'Can we bring our dog? She is small and very calm.',
  'The hot water is not working in the main bathroom, can someone take a look?',
  'Is it possible to extend our stay by one night?',
  'Where should we leave the keys when we check out?',
  'Could we get a late checkout, around 1pm?',
  'Hi, we cannot find the parking spot, which one is ours?',
] as const;

export const HOST_ANSWERS = [
  'Sure, we can arrange that for you.',
  'Thanks for letting us know, we are on it.',
  'Of course! Everything is set, enjoy your stay.',
  'Good question: all the details are in the guidebook we just sent you.',
] as const;

export const REVIEW_TEXTS = [
  'Wonderful stay, spotless and exactly as pictured.',
  'Great location and very responsive host. Would stay again.',
  'Comfortable beds, well-equipped kitchen. The street was a bit noisy at night.',
  'Amazing views and a smooth check-in. Highly recommended!',
  'Good value. The wifi was slow but everything else was fine.',
] as const;
