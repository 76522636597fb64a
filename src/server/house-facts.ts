/**
 * A listing's house facts as a short markdown page: what a guest asks and a reply must get right
 * (address, check-in and check-out hours, house rules, amenities, time zone, how many guests). Access
 * details (door codes, wifi passwords, key pickup) are left out: a resource is easily pasted into a
 * message, and hostaway_get_listing with detail "full" has them when the person asks.
 */
import type { Listing } from '../hostaway/schemas.js';

export const LISTING_URI_PREFIX = 'hostaway://listings/';

export function listingUri(id: number): string {
  return `${LISTING_URI_PREFIX}${id}`;
}

/** An hour of the day as HH:00; null when the listing does not say. */
function hour(h: number | null | undefined): string | null {
  return h === null || h === undefined ? null : `${String(h).padStart(2, '0')}:00`;
}

/** The address as Hostaway gives it, else put together from its parts. */
export function addressOf(l: Listing): string | null {
  if (l.address?.trim()) return l.address.trim();
  const parts = [l.street, l.city, [l.state, l.zipcode].filter(Boolean).join(' '), l.country]
    .map((p) => p?.trim())
    .filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** One line per fact, in the order a reply needs them; a fact the listing lacks says so. */
export function houseFacts(l: Listing): string {
  const unknown = 'not set in Hostaway';
  const checkIn = hour(l.checkInTimeStart);
  const checkInEnd = hour(l.checkInTimeEnd);
  const guests = [
    l.personCapacity != null ? `${l.personCapacity} guests` : null,
    l.maxChildrenAllowed ? `children up to ${l.maxChildrenAllowed}` : null,
    l.maxInfantsAllowed ? `infants up to ${l.maxInfantsAllowed}` : null,
    l.maxPetsAllowed != null ? (l.maxPetsAllowed > 0 ? `pets up to ${l.maxPetsAllowed}` : 'no pets') : null,
  ].filter(Boolean);
  const amenities = (l.listingAmenities ?? []).map((a) => a.amenityId);
  const lines = [
    `# ${l.name} (listing ${l.id})`,
    '',
    `- Address: ${addressOf(l) ?? unknown}`,
    `- Time zone: ${l.timeZoneName || 'UTC (none set in Hostaway)'}; hours below are local time`,
    `- Check-in: ${checkIn ? `from ${checkIn}${checkInEnd ? ` until ${checkInEnd}` : ''}` : unknown}`,
    `- Check-out: ${hour(l.checkOutTime) ? `by ${hour(l.checkOutTime)}` : unknown}`,
    `- Max guests: ${guests.length ? guests.join(', ') : unknown}`,
    `- Rooms: ${l.bedroomsNumber ?? '?'} bedrooms, ${l.bedsNumber ?? '?'} beds, ${l.bathroomsNumber ?? '?'} bathrooms`,
    `- Stay: ${l.minNights ?? 1} nights minimum${l.maxNights ? `, ${l.maxNights} maximum` : ''}`,
    `- Amenities (Hostaway amenity ids): ${amenities.length ? amenities.join(', ') : 'none listed'}`,
    '',
    '## House rules',
    '',
    l.houseRules?.trim() || 'None written in Hostaway.',
  ];
  return `${lines.join('\n')}\n`;
}
