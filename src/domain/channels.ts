/**
 * Channels as a manager names them, mapped to Hostaway's documented channel ids
 * (`_reservation_channels.md`).
 */
import { CHANNELS, type ChannelId } from '../hostaway/schemas.js';

export const CHANNEL_NAMES = {
  airbnb: 2018,
  'booking.com': 2005,
  vrbo: 2002,
  direct: 2000,
  booking_engine: 2013,
  expedia: 2007,
  google: 2022,
  marriott: 2019,
  partner: 2020,
  custom_ical: 2015,
} as const satisfies Record<string, ChannelId>;
export type ChannelName = keyof typeof CHANNEL_NAMES;
export const CHANNEL_NAME_LIST = Object.keys(CHANNEL_NAMES) as [ChannelName, ...ChannelName[]];

const LABELS: Partial<Record<number, string>> = {
  2018: 'Airbnb',
  2005: 'Booking.com',
  2002: 'Vrbo',
  2000: 'Direct',
  2013: 'Booking engine',
  2007: 'Expedia',
  2022: 'Google',
  2019: 'Marriott',
  2020: 'Partner',
  2015: 'Custom iCal',
  2009: 'HomeAway iCal',
  2010: 'Vrbo iCal',
  2016: 'TripAdvisor iCal',
  2017: 'WordPress',
  2021: 'GDS',
};

/** A readable channel label from an id (falling back to Hostaway's own name). */
export function channelLabel(channelId: number, channelName?: string | null): string {
  return LABELS[channelId] ?? CHANNELS[channelId as ChannelId] ?? channelName ?? `channel ${channelId}`;
}

const ID_BY_NAME = new Map<string, number>(Object.entries(CHANNELS).map(([id, name]) => [name, Number(id)]));

/** A readable channel label from Hostaway's channel name (as finance reports give it). */
export function channelLabelFromName(channelName: string): string {
  return channelLabel(ID_BY_NAME.get(channelName) ?? 0, channelName);
}
