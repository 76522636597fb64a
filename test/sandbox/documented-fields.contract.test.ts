/**
 * Every documented field is in every answer: the strict parsers of the other contract tests reject
 * fields the docs do not name, these tests fail when the sandbox leaves out one they do name
 * (src/hostaway/documented-fields.ts), including the opt-in ones when their parameter is given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as docs from '../../src/hostaway/documented-fields.js';
import {
  BATHROOM_TYPES,
  CALENDAR_DAY_STATUSES,
  CANCELLED_BY,
  CalendarDay,
  CHANNELS,
  CLAIM_STATUSES,
  Conversation,
  ConversationMessage,
  FinanceReport,
  INSURANCE_STATUSES,
  itemEnvelope,
  LISTING_SPECIAL_STATUSES,
  Listing,
  MESSAGE_STATUSES,
  MessageTemplate,
  RESERVATION_AGREEMENTS,
  RESERVATION_STATUSES,
  REVIEW_STATUSES,
  REVIEW_TYPES,
  Reservation,
  Review,
  ROOM_TYPES,
  TASK_EVENTS,
  TASK_STATUSES,
  Task,
  UnifiedWebhook,
  UnifiedWebhookLog,
} from '../../src/hostaway/schemas.js';
import {
  expectDocumentedKeys,
  type Harness,
  missingKeys,
  parseItem,
  parseList,
  startHarness,
} from '../helpers/sandbox.js';
import { startReceiver, until } from '../helpers/webhook-receiver.js';

type Row = Record<string, unknown>;
const rows = (v: unknown) => (Array.isArray(v) ? (v as Row[]) : []);

describe('documented fields are never left out (src/hostaway/documented-fields.ts)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const get = (path: string) => h.get<Row>(path);

  it('the missing-key check itself sees a missing key and accepts a null one', () => {
    expect(missingKeys({ a: null }, ['a', 'b'])).toEqual(['b']);
    expect(() => expectDocumentedKeys('x', { a: 1 }, ['a', 'b'])).toThrow(/x lacks documented field\(s\): b/);
  });

  it('lists carry the documented envelope', async () => {
    for (const path of ['/listings?limit=2', '/reservations?limit=2', '/conversations?limit=2', '/tasks']) {
      expectDocumentedKeys(path, await get(path), docs.LIST_ENVELOPE_FIELDS);
    }
  });

  it('listings: every field, and each nested object', async () => {
    const body = await get('/listings?limit=3');
    parseList(Listing, body);
    const one = await get('/listings/40160');
    parseItem(Listing, one);
    for (const l of [...rows(body.result), one.result as Row]) {
      expectDocumentedKeys(`listing ${l.id}`, l, docs.LISTING_FIELDS);
      for (const a of rows(l.listingAmenities))
        expectDocumentedKeys('amenity', a, docs.LISTING_AMENITY_FIELDS);
      for (const b of rows(l.listingBedTypes))
        expectDocumentedKeys('bed type', b, docs.LISTING_BED_TYPE_FIELDS);
      for (const i of rows(l.listingImages)) expectDocumentedKeys('image', i, docs.LISTING_IMAGE_FIELDS);
      for (const v of rows(l.customFieldValues))
        expectDocumentedKeys('custom field value', v, docs.CUSTOM_FIELD_VALUE_FIELDS);
      expect(rows(l.listingImages).length).toBeGreaterThan(0);
      expect(rows(l.customFieldValues).length).toBeGreaterThan(0);
    }
  });

  it('listings: bookingEngineUrls is empty unless attachObjects[]=bookingEngineUrls asks for it', async () => {
    const plain = rows((await get('/listings')).result);
    expect(plain.every((l) => Array.isArray(l.bookingEngineUrls) && l.bookingEngineUrls.length === 0)).toBe(
      true,
    );
    const attached = rows((await get('/listings?attachObjects[]=bookingEngineUrls')).result);
    expect(attached.some((l) => rows(l.bookingEngineUrls).length > 0)).toBe(true);
    const res = await h.api('/listings?attachObjects[]=somethingElse');
    expect(res.status).toBe(400);
  });

  it('calendar days, and with includeResources=1 the documented reservation subset', async () => {
    const body = await get(
      '/listings/40160/calendar?startDate=2026-11-01&endDate=2026-12-31&includeResources=1',
    );
    const days = itemEnvelope(CalendarDay.array()).parse(body).result;
    const held = rows(body.result).filter((d) => rows(d.reservations).length > 0);
    expect(held.length).toBeGreaterThan(0);
    for (const d of rows(body.result)) expectDocumentedKeys(`day ${d.date}`, d, docs.CALENDAR_DAY_FIELDS);
    for (const r of held.flatMap((d) => rows(d.reservations)))
      expectDocumentedKeys(`calendar reservation ${r.id}`, r, docs.CALENDAR_DAY_RESERVATION_FIELDS);
    expect(days).toHaveLength(61);
  });

  it('reservations (list): every field, finance fields; opt-in fields only when asked', async () => {
    const plain = await get('/reservations?limit=50');
    parseList(Reservation, plain);
    for (const r of rows(plain.result)) {
      expectDocumentedKeys(`reservation ${r.id}`, r, docs.RESERVATION_FIELDS);
      for (const f of rows(r.financeField))
        expectDocumentedKeys('financeField', f, docs.FINANCE_FIELD_FIELDS);
      expect(missingKeys(r, docs.RESERVATION_CANCELLATION_POLICY_FIELDS)).toEqual([
        ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
      ]);
      expect(r.remainingBalance).toBeNull();
    }

    const rich = await get(
      '/reservations?limit=50&includeResources=1&includeCancellationPolicy=1&includePayments=1',
    );
    parseList(Reservation, rich);
    const fees = rows(rich.result).flatMap((r) => rows(r.reservationFees));
    expect(fees.length).toBeGreaterThan(0);
    for (const f of fees) expectDocumentedKeys('reservationFee', f, docs.RESERVATION_FEE_FIELDS);
    for (const r of rows(rich.result)) {
      expectDocumentedKeys(`reservation ${r.id}`, r, [
        ...docs.RESERVATION_FIELDS,
        ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
      ]);
      expect(typeof r.hostProxyEmail).toBe('string');
      expect(typeof r.remainingBalance).toBe('number');
      const details = r.cancellationPolicyDetails as Row | null;
      if (details) {
        expectDocumentedKeys('cancellationPolicyDetails', details, docs.CANCELLATION_POLICY_DETAILS_FIELDS);
        for (const step of rows(details.cancellationPolicyItem))
          expectDocumentedKeys('cancellationPolicyItem', step, docs.CANCELLATION_POLICY_ITEM_FIELDS);
      }
    }
  });

  it('reservations (one): policy fields always; Booking.com details with includeResources=1', async () => {
    const booking = rows((await get('/reservations?limit=200&channelId=2005')).result)[0]!;
    const plain = await get(`/reservations/${booking.id}`);
    parseItem(Reservation, plain);
    expectDocumentedKeys('reservation', plain.result, [
      ...docs.RESERVATION_FIELDS,
      ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
    ]);
    expect(missingKeys(plain.result, docs.RESERVATION_BOOKINGCOM_FIELDS)).toHaveLength(
      docs.RESERVATION_BOOKINGCOM_FIELDS.length,
    );

    const rich = await get(`/reservations/${booking.id}?includeResources=1`);
    parseItem(Reservation, rich);
    const r = rich.result as Row;
    expectDocumentedKeys('reservation', r, [
      ...docs.RESERVATION_FIELDS,
      ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
      ...docs.RESERVATION_BOOKINGCOM_FIELDS,
    ]);
    const requests = r.bookingcomSpecialRequests as Row;
    expectDocumentedKeys('bookingcomSpecialRequests', requests, docs.BOOKINGCOM_SPECIAL_REQUESTS_FIELDS);
    for (const f of rows(requests.geniusFreebies))
      expectDocumentedKeys('geniusFreebie', f, docs.GENIUS_FREEBIE_FIELDS);
  });

  it('conversations with their attached message and reservation; messages with attachments', async () => {
    const body = await get('/conversations?limit=5&includeResources=1');
    parseList(Conversation, body);
    for (const c of rows(body.result)) {
      expectDocumentedKeys(`conversation ${c.id}`, c, docs.CONVERSATION_FIELDS);
      expectDocumentedKeys('conversation Reservation', c.Reservation, [
        ...docs.RESERVATION_FIELDS,
        ...docs.CONVERSATION_RESERVATION_EXTRA_FIELDS,
      ]);
      for (const m of rows(c.conversationMessages))
        expectDocumentedKeys('attached message', m, docs.CONVERSATION_MESSAGE_FIELDS);
    }

    let attachments: Row[] = [];
    for (const c of rows((await get('/conversations?limit=60')).result)) {
      const messages = await get(`/conversations/${c.id}/messages`);
      parseList(ConversationMessage, messages);
      for (const m of rows(messages.result))
        expectDocumentedKeys(`message ${m.id}`, m, docs.CONVERSATION_MESSAGE_FIELDS);
      attachments = attachments.concat(rows(messages.result).flatMap((m) => rows(m.attachments)));
      if (attachments.length > 0) break;
    }
    expect(attachments.length).toBeGreaterThan(0);
    for (const a of attachments) expectDocumentedKeys('attachment', a, docs.MESSAGE_ATTACHMENT_FIELDS);
  });

  it('message templates, reviews and tasks', async () => {
    const check = async (path: string, fields: readonly string[]) => {
      const body = await get(path);
      expect(rows(body.result).length, path).toBeGreaterThan(0);
      for (const item of rows(body.result)) expectDocumentedKeys(`${path} ${item.id}`, item, fields);
      return body;
    };
    parseList(MessageTemplate, await check('/messageTemplates', docs.MESSAGE_TEMPLATE_FIELDS));
    parseList(Review, await check('/reviews?limit=50', docs.REVIEW_FIELDS));
    parseList(Task, await check('/tasks?limit=50', docs.TASK_FIELDS));
  });

  it('JSON finance reports: the documented report fields and columns', async () => {
    for (const [kind, columns] of [
      ['listingFinancials', docs.FINANCE_LISTING_COLUMNS],
      ['consolidated', docs.FINANCE_CONSOLIDATED_COLUMNS],
    ] as const) {
      const fd = new FormData();
      fd.append('format', 'json');
      const res = await h.api(`/finance/report/${kind}`, { method: 'POST', body: fd });
      const body = (await res.json()) as Row;
      const report = itemEnvelope(FinanceReport).parse(body).result;
      expectDocumentedKeys(kind, body.result, docs.FINANCE_REPORT_FIELDS);
      for (const c of report.columns) expectDocumentedKeys(`${kind} column`, c, docs.FINANCE_COLUMN_FIELDS);
      expect(report.columns.map((c) => c.name)).toEqual([...columns]);
    }
  });

  it('unified webhooks and the delivery log', async () => {
    const receiver = await startReceiver();
    try {
      const res = await h.api('/webhooks/unifiedWebhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${receiver.origin}/hook`, login: 'l', password: 'p' }),
      });
      const created = (await res.json()) as Row;
      parseItem(UnifiedWebhook, created);
      expectDocumentedKeys('unified webhook', created.result, docs.UNIFIED_WEBHOOK_FIELDS);
      const listed = await get('/webhooks/unifiedWebhooks');
      parseList(UnifiedWebhook, listed);
      for (const w of rows(listed.result))
        expectDocumentedKeys('unified webhook', w, docs.UNIFIED_WEBHOOK_FIELDS);
      await fetch(`${h.sandbox.url}/reservations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channelId: 2000,
          listingMapId: 40160,
          arrivalDate: '2028-10-01',
          departureDate: '2028-10-02',
        }),
      });
      await receiver.waitFor(1);
      const logs = await until(async () => {
        const body = await get('/unifiedWebhookLogs');
        return rows(body.result).length > 0 ? body : undefined;
      });
      parseList(UnifiedWebhookLog, logs);
      for (const l of rows(logs.result))
        expectDocumentedKeys('webhook log', l, docs.UNIFIED_WEBHOOK_LOG_FIELDS);
    } finally {
      await receiver.close();
    }
  });

  it('the access token answer', async () => {
    const res = await fetch(`${h.sandbox.url}/accessTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: String(h.sandbox.accountId),
        client_secret: h.sandbox.clientSecret,
        scope: 'general',
      }),
    });
    expectDocumentedKeys('token', await res.json(), docs.ACCESS_TOKEN_FIELDS);
  });

  it('enumerated fields hold only the values the docs list', async () => {
    const within = (label: string, values: unknown[], allowed: readonly unknown[], nullable = true) => {
      const bad = values.filter((v) => !(allowed.includes(v) || (nullable && v === null)));
      expect([...new Set(bad)], label).toEqual([]);
    };
    const reservations = rows((await get('/reservations?limit=10000')).result);
    within(
      'status',
      reservations.map((r) => r.status),
      RESERVATION_STATUSES,
      false,
    );
    within(
      'channelId',
      reservations.map((r) => r.channelId),
      Object.keys(CHANNELS).map(Number),
      false,
    );
    expect(reservations.every((r) => CHANNELS[r.channelId as keyof typeof CHANNELS] === r.channelName)).toBe(
      true,
    );
    within(
      'cancelledBy',
      reservations.map((r) => r.cancelledBy),
      CANCELLED_BY,
    );
    within(
      'reservationAgreement',
      reservations.map((r) => r.reservationAgreement),
      RESERVATION_AGREEMENTS,
    );
    within(
      'insuranceStatus',
      reservations.map((r) => r.insuranceStatus),
      INSURANCE_STATUSES,
    );
    within(
      'claimStatus',
      reservations.map((r) => r.claimStatus),
      CLAIM_STATUSES,
    );

    const listings = rows((await get('/listings')).result);
    within(
      'roomType',
      listings.map((l) => l.roomType),
      ROOM_TYPES,
    );
    within(
      'bathroomType',
      listings.map((l) => l.bathroomType),
      BATHROOM_TYPES,
    );
    within(
      'specialStatus',
      listings.map((l) => l.specialStatus),
      LISTING_SPECIAL_STATUSES,
    );

    const days = rows((await get('/listings/40160/calendar?startDate=2026-01-01&endDate=2026-12-31')).result);
    within(
      'calendar day status',
      days.map((d) => d.status),
      CALENDAR_DAY_STATUSES,
    );

    const messages: Row[] = [];
    for (const c of rows((await get('/conversations?limit=20')).result))
      messages.push(
        ...rows((await get(`/conversations/${c.id}/messages?includeScheduledMessages=1`)).result),
      );
    within(
      'message status',
      messages.map((m) => m.status),
      MESSAGE_STATUSES,
    );

    const reviews = rows((await get('/reviews')).result);
    within(
      'review status',
      reviews.map((r) => r.status),
      REVIEW_STATUSES,
      false,
    );
    within(
      'review type',
      reviews.map((r) => r.type),
      REVIEW_TYPES,
      false,
    );
    const tasks = rows((await get('/tasks')).result);
    within(
      'task status',
      tasks.map((t) => t.status),
      TASK_STATUSES,
    );
    within(
      'canStartFromEvent',
      tasks.map((t) => t.canStartFromEvent),
      TASK_EVENTS,
    );
    within(
      'shouldEndByEvent',
      tasks.map((t) => t.shouldEndByEvent),
      TASK_EVENTS,
    );
  });
});
