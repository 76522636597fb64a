/**
 * Listing resources over both protocol eras: listed (paged), read, offered as a template whose id
 * completes from listing names, and an unknown listing answered with a clear not-found error. Expected
 * values come from the sandbox's own listings.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { connect, ERAS, startTestRuntime } from '../helpers/server.js';

const TEMPLATE = 'hostaway://listings/{id}';
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
/** Word-prefix match, case aside: what completion promises, written out again here. */
const wordStarts = (name: string, typed: string) =>
  name
    .toLowerCase()
    .split(/[\s\-,/()&]+/)
    .some((w) => w.startsWith(typed.toLowerCase())) || name.toLowerCase().startsWith(typed.toLowerCase());

describe.each(ERAS)('listing resources, %s', (era) => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, era));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const listings = () => runtime.sandbox!.store().allListings();

  it('declares resources (with subscriptions: account changes move some) and completions', () => {
    const caps = client.getServerCapabilities();
    expect(caps?.resources).toBeDefined();
    expect(caps?.resources?.subscribe).toBe(true);
    expect(caps?.completions).toBeDefined();
  });

  it('lists the changes feed and the inbox, then every listing once, by name, as the sandbox holds them', async () => {
    const { resources: all, nextCursor } = await client.listResources();
    expect(nextCursor).toBeUndefined();
    expect(all.slice(0, 2).map((r) => r.uri)).toEqual(['hostaway://changes', 'hostaway://inbox']);
    const resources = all.slice(2);
    expect(resources.map((r) => [r.uri, r.name])).toEqual(
      listings().map((l) => [`hostaway://listings/${l.id}`, l.name]),
    );
    for (const r of resources) {
      expect(r.mimeType).toBe('text/markdown');
      expect(r.description).toMatch(/^House facts of /);
    }
  });

  it('offers the template hostaway://listings/{id}', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'listing', uriTemplate: TEMPLATE, mimeType: 'text/markdown' }),
        expect.objectContaining({ name: 'reservation', uriTemplate: 'hostaway://reservations/{id}' }),
      ]),
    );
    expect(resourceTemplates).toHaveLength(2);
  });

  it('reads the house facts of a listing as the sandbox holds them, without access codes', async () => {
    for (const l of listings().slice(0, 3)) {
      const { contents } = await client.readResource({ uri: `hostaway://listings/${l.id}` });
      expect(contents).toHaveLength(1);
      const [c] = contents as Array<{ uri: string; mimeType: string; text: string }>;
      expect(c?.uri).toBe(`hostaway://listings/${l.id}`);
      expect(c?.mimeType).toBe('text/markdown');
      const text = c?.text ?? '';
      expect(text).toContain(`# ${l.name} (listing ${l.id})`);
      expect(text).toContain(`- Address: ${l.address}`);
      expect(text).toContain(`- Time zone: ${l.timeZoneName};`);
      expect(text).toContain(`- Check-in: from ${hh(l.checkInTimeStart!)} until ${hh(l.checkInTimeEnd!)}`);
      expect(text).toContain(`- Check-out: by ${hh(l.checkOutTime!)}`);
      expect(text).toContain(`- Max guests: ${l.personCapacity} guests`);
      expect(text).toContain(l.maxPetsAllowed ? `pets up to ${l.maxPetsAllowed}` : 'no pets');
      const amenities = (l.listingAmenities ?? []).map((a) => a.amenityId).join(', ');
      expect(text).toContain(`- Amenities (Hostaway amenity ids): ${amenities}`);
      expect(text).toContain(`## House rules\n\n${l.houseRules}`);
      expect(text).not.toContain(String(l.doorSecurityCode));
      expect(text).not.toContain(String(l.wifiPassword));
    }
  });

  it('reads through the Hostaway client: a second read is served from its cache', async () => {
    const l = listings()[5]!;
    const since = runtime.sandbox!.requests.lastSeq;
    await client.readResource({ uri: `hostaway://listings/${l.id}` });
    await client.readResource({ uri: `hostaway://listings/${l.id}` });
    const calls = runtime.sandbox!.requests.list(since).filter((e) => e.path.endsWith(`/listings/${l.id}`));
    expect(calls).toHaveLength(1);
  });

  it('answers an unknown listing id with a not-found error naming it', async () => {
    const missing = Math.max(...listings().map((l) => l.id)) + 1000;
    await expect(client.readResource({ uri: `hostaway://listings/${missing}` })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(new RegExp(`No listing ${missing} in this Hostaway account`)),
    });
    await expect(client.readResource({ uri: 'hostaway://listings/beach' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/listing ids are whole numbers/),
    });
  });

  it('passes on a Hostaway failure as an error that says so, without the API key', async () => {
    const l = listings()[6]!;
    const rule = runtime.sandbox!.faults.add({ kind: 'status', status: 503, path: `/v1/listings/${l.id}` });
    try {
      const err = await client.readResource({ uri: `hostaway://listings/${l.id}` }).then(
        () => undefined,
        (e: unknown) => e as { code: number; message: string },
      );
      expect(err?.code).toBe(-32603);
      expect(err?.message).toMatch(/Hostaway/);
      expect(err?.message).not.toContain(runtime.sandbox!.clientSecret);
    } finally {
      runtime.sandbox!.faults.remove(rule.id);
    }
    const { contents } = await client.readResource({ uri: `hostaway://listings/${l.id}` });
    expect(JSON.stringify(contents)).toContain(l.name);
  });

  it('completes the template id from listing names and from id digits', async () => {
    const complete = (value: string) =>
      client.complete({ ref: { type: 'ref/resource', uri: TEMPLATE }, argument: { name: 'id', value } });
    const byName = await complete('beach');
    const expected = listings()
      .filter((l) => wordStarts(l.name, 'beach'))
      .map((l) => String(l.id))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(listings().length);
    expect([...byName.completion.values].sort()).toEqual(expected);

    const prefix = String(listings()[10]!.id).slice(0, 4);
    const byDigits = await complete(prefix);
    expect(byDigits.completion.values).toEqual(
      listings()
        .map((l) => String(l.id))
        .filter((id) => id.startsWith(prefix))
        .sort(),
    );
    expect((await complete('zzzz-no-such-listing')).completion.values).toEqual([]);
  });
});

describe('resources/list pages a large account', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestRuntime({ env: { HOSTAWAY_SANDBOX_LISTINGS: '130' } });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it.each(ERAS)('gives 100 listings a page and a cursor to the rest, %s', async (era) => {
    const { client, close } = await connect(runtime, era);
    try {
      // One page at a time (listResources without a cursor walks every page itself).
      const first = await client.request({ method: 'resources/list', params: {} });
      // The two fixed resources (changes feed, inbox), then 100 listings.
      expect(first.resources).toHaveLength(102);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await client.listResources({ cursor: first.nextCursor });
      expect(second.resources).toHaveLength(30);
      expect(second.nextCursor).toBeUndefined();
      const all = runtime
        .sandbox!.store()
        .allListings()
        .map((l) => `hostaway://listings/${l.id}`);
      const fixed = ['hostaway://changes', 'hostaway://inbox'];
      expect([...first.resources, ...second.resources].map((r) => r.uri)).toEqual([...fixed, ...all]);
      const walked = await client.listResources();
      expect(walked.resources.map((r) => r.uri)).toEqual([...fixed, ...all]);
      await expect(client.listResources({ cursor: 'not-a-cursor' })).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(/Invalid cursor/),
      });
    } finally {
      await close();
    }
  });
});
