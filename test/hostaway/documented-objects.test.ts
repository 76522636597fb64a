/**
 * One example of each documented object (test/fixtures/docs/*.json, our own values with the documented
 * fields, types and nesting) goes through the wire schemas: they must accept it, declare every field at
 * every depth, and hand every field back unchanged. `scripts/check-docs-fields.mjs` checks these
 * fixtures against the docs themselves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as docs from '../../src/hostaway/documented-fields.js';
import {
  AccessTokenResponse,
  CalendarDay,
  Conversation,
  ConversationMessage,
  FinanceField,
  FinanceReport,
  itemEnvelope,
  Listing,
  ListingAmenity,
  ListingBedType,
  ListingImage,
  listEnvelope,
  MessageTemplate,
  Reservation,
  ReservationFee,
  ReservationUnit,
  Review,
  Task,
  UnifiedWebhook,
  UnifiedWebhookLog,
} from '../../src/hostaway/schemas.js';

type Row = Record<string, unknown>;

const fixture = (name: string): Row =>
  JSON.parse(readFileSync(new URL(`../fixtures/docs/${name}.json`, import.meta.url), 'utf8')) as Row;

const FIXTURES: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['envelope', listEnvelope(z.looseObject({ id: z.number().int(), name: z.string() }))],
  ['accessToken', AccessTokenResponse],
  ['listing', Listing],
  ['listingAmenity', ListingAmenity],
  ['listingBedType', ListingBedType],
  ['listingImage', ListingImage],
  ['calendarDay', CalendarDay],
  ['reservation', Reservation],
  ['financeField', FinanceField],
  ['reservationFee', ReservationFee],
  ['reservationUnit', ReservationUnit],
  ['conversation', Conversation],
  ['conversationMessage', ConversationMessage],
  ['messageTemplate', MessageTemplate],
  ['review', Review],
  ['task', Task],
  ['unifiedWebhook', UnifiedWebhook],
  ['unifiedWebhookLog', UnifiedWebhookLog],
  ['financeListingFinancials', itemEnvelope(FinanceReport)],
  ['financeConsolidated', itemEnvelope(FinanceReport)],
];

/** Strips the wrappers (optional, nullable, pipes, lazies) around a schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { _zod: { def: Record<string, unknown> } };
  for (let i = 0; i < 10; i++) {
    const def = s._zod.def;
    if (['optional', 'nullable', 'default', 'readonly', 'catch'].includes(def.type as string))
      s = def.innerType as typeof s;
    else if (def.type === 'pipe') s = def.in as typeof s;
    else if (def.type === 'lazy') s = (def.getter as () => typeof s)();
    else break;
  }
  return s;
}

/**
 * Paths of the value's fields that the schema does not declare, at any depth (a loose schema would let
 * them through; the docs name them, so the schema must). Values under `z.unknown()` are not walked.
 */
function undeclared(schema: z.ZodType, value: unknown, path = ''): string[] {
  const s = unwrap(schema) as z.ZodType & { _zod: { def: Record<string, unknown> } };
  const def = s._zod.def;
  if (def.type === 'union') {
    const options = def.options as z.ZodType[];
    const results = options.map((o) => undeclared(o, value, path));
    return results.find((r) => r.length === 0) ?? results[0] ?? [];
  }
  if (def.type === 'array' && Array.isArray(value))
    return value.flatMap((v) => undeclared(def.element as z.ZodType, v, `${path}[]`));
  if (def.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const shape = def.shape as Record<string, z.ZodType>;
    return Object.entries(value).flatMap(([k, v]) =>
      shape[k] ? undeclared(shape[k], v, `${path}.${k}`) : [`${path}.${k}`],
    );
  }
  return [];
}

const keysOf = (schema: z.ZodType) => Object.keys((unwrap(schema) as z.ZodObject).shape);
const lacking = (item: unknown, keys: readonly string[]) =>
  keys.filter((k) => !Object.hasOwn(item as Row, k));

describe('documented objects pass through the wire schemas (test/fixtures/docs)', () => {
  it.each(FIXTURES)('%s: accepted, every field declared and kept as it was', (name, schema) => {
    const value = fixture(name);
    const parsed = schema.safeParse(value);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(value);
    expect(undeclared(schema, value)).toEqual([]);
  });

  it('the fixtures carry every documented field of src/hostaway/documented-fields.ts, at every depth', () => {
    const reservation = fixture('reservation');
    const day = fixture('calendarDay');
    const conversation = fixture('conversation');
    const message = fixture('conversationMessage');
    const listing = fixture('listing');
    const details = reservation.cancellationPolicyDetails as Row;
    const requests = reservation.bookingcomSpecialRequests as Row;
    const first = (v: unknown) => (v as Row[])[0];
    const cases: ReadonlyArray<readonly [string, unknown, readonly string[]]> = [
      ['envelope', fixture('envelope'), docs.LIST_ENVELOPE_FIELDS],
      ['accessToken', fixture('accessToken'), docs.ACCESS_TOKEN_FIELDS],
      ['listing', listing, docs.LISTING_FIELDS],
      ['listing amenity', first(listing.listingAmenities), docs.LISTING_AMENITY_FIELDS],
      ['listing bed type', first(listing.listingBedTypes), docs.LISTING_BED_TYPE_FIELDS],
      ['listing image', first(listing.listingImages), docs.LISTING_IMAGE_FIELDS],
      ['custom field value', first(listing.customFieldValues), docs.CUSTOM_FIELD_VALUE_FIELDS],
      ['calendar day', day, docs.CALENDAR_DAY_FIELDS],
      ['calendar reservation', first(day.reservations), docs.CALENDAR_DAY_RESERVATION_FIELDS],
      [
        'reservation',
        reservation,
        [
          ...docs.RESERVATION_FIELDS,
          ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
          ...docs.RESERVATION_BOOKINGCOM_FIELDS,
        ],
      ],
      ['cancellationPolicyDetails', details, docs.CANCELLATION_POLICY_DETAILS_FIELDS],
      ['cancellationPolicyItem', first(details.cancellationPolicyItem), docs.CANCELLATION_POLICY_ITEM_FIELDS],
      ['bookingcomSpecialRequests', requests, docs.BOOKINGCOM_SPECIAL_REQUESTS_FIELDS],
      ['genius freebie', first(requests.geniusFreebies), docs.GENIUS_FREEBIE_FIELDS],
      ['financeField', first(reservation.financeField), docs.FINANCE_FIELD_FIELDS],
      ['reservationFee', first(reservation.reservationFees), docs.RESERVATION_FEE_FIELDS],
      ['reservationUnit', first(reservation.reservationUnit), docs.RESERVATION_UNIT_FIELDS],
      ['conversation', conversation, docs.CONVERSATION_FIELDS],
      [
        'conversation Reservation',
        conversation.Reservation,
        [...docs.RESERVATION_FIELDS, ...docs.CONVERSATION_RESERVATION_EXTRA_FIELDS],
      ],
      ['conversation message', first(conversation.conversationMessages), docs.CONVERSATION_MESSAGE_FIELDS],
      ['message', message, docs.CONVERSATION_MESSAGE_FIELDS],
      ['attachment', first(message.attachments), docs.MESSAGE_ATTACHMENT_FIELDS],
      ['messageTemplate', fixture('messageTemplate'), docs.MESSAGE_TEMPLATE_FIELDS],
      ['review', fixture('review'), docs.REVIEW_FIELDS],
      ['task', fixture('task'), docs.TASK_FIELDS],
      ['unified webhook', fixture('unifiedWebhook'), docs.UNIFIED_WEBHOOK_FIELDS],
      ['unified webhook log', fixture('unifiedWebhookLog'), docs.UNIFIED_WEBHOOK_LOG_FIELDS],
      ['listing financials', fixture('financeListingFinancials').result, docs.FINANCE_REPORT_FIELDS],
      ['consolidated', fixture('financeConsolidated').result, docs.FINANCE_REPORT_FIELDS],
    ];
    for (const [label, item, keys] of cases) expect(lacking(item, keys), label).toEqual([]);
    for (const [name, columns] of [
      ['financeListingFinancials', docs.FINANCE_LISTING_COLUMNS],
      ['financeConsolidated', docs.FINANCE_CONSOLIDATED_COLUMNS],
    ] as const) {
      const names = ((fixture(name).result as Row).columns as Row[]).map((c) => c.name);
      expect(lacking(Object.fromEntries(names.map((n) => [n, 1])), columns), name).toEqual([]);
    }
  });

  it('each schema declares every documented field of its object', () => {
    const cases: ReadonlyArray<readonly [string, z.ZodType, readonly string[]]> = [
      ['AccessTokenResponse', AccessTokenResponse, docs.ACCESS_TOKEN_FIELDS],
      ['Listing', Listing, docs.LISTING_FIELDS],
      ['ListingImage', ListingImage, docs.LISTING_IMAGE_FIELDS],
      ['CalendarDay', CalendarDay, docs.CALENDAR_DAY_FIELDS],
      [
        'Reservation',
        Reservation,
        [
          ...docs.RESERVATION_FIELDS,
          ...docs.RESERVATION_CANCELLATION_POLICY_FIELDS,
          ...docs.RESERVATION_BOOKINGCOM_FIELDS,
        ],
      ],
      ['FinanceField', FinanceField, docs.FINANCE_FIELD_FIELDS],
      ['ReservationFee', ReservationFee, docs.RESERVATION_FEE_FIELDS],
      ['ReservationUnit', ReservationUnit, docs.RESERVATION_UNIT_FIELDS],
      ['Conversation', Conversation, docs.CONVERSATION_FIELDS],
      ['ConversationMessage', ConversationMessage, docs.CONVERSATION_MESSAGE_FIELDS],
      ['MessageTemplate', MessageTemplate, docs.MESSAGE_TEMPLATE_FIELDS],
      ['Review', Review, docs.REVIEW_FIELDS],
      ['Task', Task, docs.TASK_FIELDS],
      ['UnifiedWebhook', UnifiedWebhook, docs.UNIFIED_WEBHOOK_FIELDS],
      ['UnifiedWebhookLog', UnifiedWebhookLog, docs.UNIFIED_WEBHOOK_LOG_FIELDS],
      ['FinanceReport', FinanceReport, docs.FINANCE_REPORT_FIELDS],
    ];
    for (const [label, schema, keys] of cases) {
      const declared = new Set(keysOf(schema));
      expect(
        keys.filter((k) => !declared.has(k)),
        label,
      ).toEqual([]);
    }
  });

  it('reads the numeric strings some examples show where the field table says int', () => {
    const template = MessageTemplate.parse({
      ...fixture('messageTemplate'),
      listingMapId: '70011',
      channelId: '2005',
      messageTemplateGroupId: '4',
      color: '3',
    });
    expect([
      template.listingMapId,
      template.channelId,
      template.messageTemplateGroupId,
      template.color,
    ]).toEqual([70011, 2005, 4, 3]);
    expect(Conversation.parse({ ...fixture('conversation'), reservationId: '600123' }).reservationId).toBe(
      600123,
    );
    expect(
      Reservation.parse({ ...fixture('reservation'), hostawayReservationId: '600123' }).hostawayReservationId,
    ).toBe('600123');
  });

  it('keeps nulls where the docs show nulls, and rejects a wrong type', () => {
    const nulls = Reservation.parse({
      ...fixture('reservation'),
      cancellationPolicyDetails: null,
      pets: null,
    });
    expect(nulls.cancellationPolicyDetails).toBeNull();
    expect(Reservation.safeParse({ ...fixture('reservation'), nights: 'three' }).success).toBe(false);
    expect(CalendarDay.safeParse({ ...fixture('calendarDay'), date: '05/12/2026' }).success).toBe(false);
  });
});
