import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Listing } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, parseItem, parseList, startHarness } from '../helpers/sandbox.js';

describe('listings (_listing_retrieveListingsList.md, _listing_retrieveListing.md, _listing_listingObject.md)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('GET /v1/listings returns documented listing objects only', async () => {
    const body = parseList(Listing, await h.get('/listings'));
    expect(body.count).toBe(25);
    expect(body.result).toHaveLength(25);
    const zones = new Set(body.result.map((l) => l.timeZoneName));
    const cities = new Set(body.result.map((l) => l.city));
    expect(zones.size).toBeGreaterThanOrEqual(4);
    expect(cities.size).toBeGreaterThanOrEqual(5);
    for (const l of body.result) {
      expect(l.externalListingName).toBe(l.name);
      expect(l.personCapacity).toBeGreaterThan(0);
      expect(l.price).toBeGreaterThan(0);
      expect(l.currencyCode).toBe('USD');
      expect(l.contactEmail).toMatch(/@example\.com$/);
    }
    expect(body.result.some((l) => l.name === 'The Beach House')).toBe(true);
  });

  it('GET /v1/listings/{id} returns one listing; unknown ids 404, malformed ids 400', async () => {
    const all = parseList(Listing, await h.get('/listings?limit=1'));
    const id = all.result[0]?.id as number;
    const one = parseItem(Listing, await h.get(`/listings/${id}`));
    expect(one.result).toEqual(all.result[0]);
    await expectFail(await h.api('/listings/1'), 404, /Listing 1 not found/);
    await expectFail(await h.api('/listings/abc'), 400, /listingId must be a positive integer/);
  });

  it('filters by city, match (name), country and capacity', async () => {
    const all = parseList(Listing, await h.get('/listings')).result;
    const city = all[0]?.city as string;
    const inCity = parseList(Listing, await h.get(`/listings?city=${encodeURIComponent(city)}`)).result;
    expect(inCity.length).toBe(all.filter((l) => l.city === city).length);
    const beach = parseList(Listing, await h.get('/listings?match=beach')).result;
    expect(beach.length).toBeGreaterThan(0);
    expect(beach.every((l) => l.name.toLowerCase().includes('beach'))).toBe(true);
    expect(parseList(Listing, await h.get('/listings?country=US')).count).toBe(25);
    const big = parseList(Listing, await h.get('/listings?availabilityGuestNumber=8')).result;
    expect(big.every((l) => (l.personCapacity ?? 0) >= 8)).toBe(true);
  });

  it('availabilityDateStart/End keeps the listings whose nights are all open', async () => {
    const start = '2026-12-10';
    const end = '2026-12-13';
    const free = parseList(
      Listing,
      await h.get(`/listings?availabilityDateStart=${start}&availabilityDateEnd=${end}`),
    ).result;
    const all = parseList(Listing, await h.get('/listings')).result;
    for (const l of all) {
      const days = (
        await h.get<{ result: Array<{ isAvailable: number }> }>(
          `/listings/${l.id}/calendar?startDate=${start}&endDate=2026-12-12`,
        )
      ).result;
      const open = days.every((d) => d.isAvailable === 1);
      expect(free.some((f) => f.id === l.id)).toBe(open);
    }
  });

  it('sorts by the documented sortOrder values and pages with limit/offset', async () => {
    const byName = parseList(Listing, await h.get('/listings?sortOrder=name')).result.map((l) =>
      l.name.toLowerCase(),
    );
    expect(byName).toEqual([...byName].sort());
    const reversed = parseList(Listing, await h.get('/listings?sortOrder=nameReversed')).result.map((l) =>
      l.name.toLowerCase(),
    );
    expect(reversed).toEqual([...byName].reverse());
    const page1 = parseList(Listing, await h.get('/listings?limit=10&offset=0')).result;
    const page3 = parseList(Listing, await h.get('/listings?limit=10&offset=20')).result;
    expect(page1).toHaveLength(10);
    expect(page3).toHaveLength(5);
    await expectFail(
      await h.api('/listings?sortOrder=price'),
      400,
      /sortOrder must be one of: name, nameReversed/,
    );
    await expectFail(await h.api('/listings?limit=0'), 400, /limit must be at least 1/);
    await expectFail(await h.api('/listings?offset=-1'), 400, /offset/);
  });

  it('includeResources=1 on the list adds the hidden custom field values (changelog 2025-04-25)', async () => {
    const plain = parseList(Listing, await h.get('/listings?limit=3')).result;
    const rich = parseList(Listing, await h.get('/listings?limit=3&includeResources=1')).result;
    for (const [i, l] of rich.entries()) {
      const ids = (l.customFieldValues ?? []).map((v) => v.customFieldId);
      const publicIds = (plain[i]!.customFieldValues ?? []).map((v) => v.customFieldId);
      expect(ids.length).toBe(publicIds.length + 1);
      expect(ids).toEqual(expect.arrayContaining(publicIds));
    }
  });
});
