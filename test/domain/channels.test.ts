import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAME_LIST,
  CHANNEL_NAMES,
  channelLabel,
  channelLabelFromName,
} from '../../src/domain/channels.js';

describe('channel labels', () => {
  it('every documented channel id reads as its brand', () => {
    const labels = Object.fromEntries(
      [2018, 2005, 2002, 2000, 2013, 2007, 2022, 2019, 2020, 2015, 2009, 2010, 2016, 2017, 2021].map((id) => [
        id,
        channelLabel(id),
      ]),
    );
    expect(labels).toEqual({
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
    });
  });

  it("an unknown id falls back to Hostaway's channel name, then to the id", () => {
    expect(channelLabel(2999, 'someNewChannel')).toBe('someNewChannel');
    expect(channelLabel(2999, null)).toBe('channel 2999');
    expect(channelLabel(2999)).toBe('channel 2999');
    expect(channelLabel(2018, 'ignored')).toBe('Airbnb');
  });

  it("finance rows name channels by Hostaway's name; those read as the same brands", () => {
    expect(channelLabelFromName('airbnbOfficial')).toBe('Airbnb');
    expect(channelLabelFromName('bookingcom')).toBe('Booking.com');
    expect(channelLabelFromName('homeaway')).toBe('Vrbo');
    expect(channelLabelFromName('gds')).toBe('GDS');
    expect(channelLabelFromName('brandNewChannel')).toBe('brandNewChannel');
  });

  it('the names a manager may ask for map to the documented ids', () => {
    expect(CHANNEL_NAMES).toEqual({
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
    });
    expect(CHANNEL_NAME_LIST).toEqual(Object.keys(CHANNEL_NAMES));
  });
});
