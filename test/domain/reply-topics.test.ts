import { describe, expect, it } from 'vitest';
import { fittingTemplates, guestTopics, templateTopics } from '../../src/domain/reply-topics.js';

describe('guestTopics', () => {
  it('finds what a guest asks about, by whole words', () => {
    expect(guestTopics('What is the wifi password? It is not in the guidebook.')).toEqual(['wifi']);
    expect(guestTopics('Is the Wi-Fi fast enough for video calls?')).toEqual(['wifi']);
    expect(guestTopics('Hi, we cannot find the parking spot, which one is ours?')).toEqual(['parking']);
    expect(guestTopics('Can we bring our dog? She is small.')).toEqual(['pets']);
    expect(guestTopics('Is it possible to extend our stay by one night?')).toEqual(['extend stay']);
    expect(guestTopics('The hot water is not working in the main bathroom')).toEqual(['maintenance']);
    expect(guestTopics('What time is check-in, and what is the door code?')).toEqual(['check-in']);
    expect(guestTopics('Where should we leave the keys when we check out?')).toEqual(['checkout']);
    expect(guestTopics('We need to cancel, can we get a refund?')).toEqual(['cancellation']);
    expect(guestTopics('What is the address? We need directions from the airport.')).toEqual(['directions']);
  });

  it('a narrower topic hides the broader one it contains', () => {
    expect(guestTopics('Hi, is early check-in possible? Our flight lands at 9am.')).toEqual([
      'early check-in',
    ]);
    expect(guestTopics('Could we check in a bit earlier?')).toEqual(['early check-in']);
    expect(guestTopics('Could we get a late checkout, around 1pm?')).toEqual(['late checkout']);
  });

  it('finds several topics in one message, in a fixed order', () => {
    expect(
      guestTopics('Where do we park the car? And the wifi does not connect. Can we arrive early?'),
    ).toEqual(['early check-in', 'wifi', 'parking']);
  });

  it('does not see a topic inside another word or in small talk', () => {
    expect(guestTopics('We walked in the park and loved the scarf shop.')).toEqual([]);
    expect(guestTopics('Thanks so much, see you soon!')).toEqual([]);
    expect(guestTopics('Our catalogue of questions: none')).toEqual([]);
  });
});

describe('templateTopics and fittingTemplates', () => {
  const templates = [
    { id: 1, name: 'Booking confirmation', description: 'Sent when a reservation is confirmed' },
    { id: 2, name: 'Check-in instructions', description: 'Sent 3 days before arrival' },
    { id: 3, name: 'Wifi details', description: 'Answer to wifi questions' },
    { id: 4, name: 'Early check-in', description: 'Reply to early check-in requests' },
    { id: 5, name: 'Checkout reminder', description: 'Sent the evening before departure' },
    { id: 6, name: 'Review request', description: 'Sent after departure' },
    { id: 7, name: 'Parking (beach house)', description: null, listingMapId: 40160 },
    { id: 8, name: 'Airbnb wifi', description: null, channelId: 2018 },
  ];

  it("reads a template's name and description, the narrower topic first", () => {
    expect(templateTopics('Early check-in', 'Reply to early check-in requests')).toEqual(['early check-in']);
    expect(templateTopics('Check-in instructions', 'Sent 3 days before arrival')).toEqual(['check-in']);
    expect(templateTopics('Review request', 'Sent after departure')).toEqual([]);
    expect(templateTopics('Guest help', 'Internet and parking')).toEqual(['wifi', 'parking']);
  });

  it('keeps the templates that answer the topics, in topic order, each once', () => {
    const stay = { listingId: 40161, channelId: 2005 };
    expect(fittingTemplates(['early check-in', 'wifi'], templates, stay)).toEqual([
      { templateId: 4, name: 'Early check-in', topic: 'early check-in' },
      { templateId: 3, name: 'Wifi details', topic: 'wifi' },
    ]);
    expect(fittingTemplates(['checkout'], templates, stay)).toEqual([
      { templateId: 5, name: 'Checkout reminder', topic: 'checkout' },
    ]);
    expect(fittingTemplates([], templates, stay)).toEqual([]);
  });

  it("leaves out a template tied to another listing or channel, keeps one tied to the stay's own", () => {
    expect(fittingTemplates(['parking'], templates, { listingId: 40161, channelId: 2005 })).toEqual([]);
    expect(fittingTemplates(['parking'], templates, { listingId: 40160, channelId: 2005 })).toEqual([
      { templateId: 7, name: 'Parking (beach house)', topic: 'parking' },
    ]);
    expect(
      fittingTemplates(['wifi'], templates, { listingId: 40160, channelId: 2018 }).map((t) => t.templateId),
    ).toEqual([3, 8]);
  });
});
