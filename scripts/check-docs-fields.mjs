#!/usr/bin/env node
/**
 * Compares the fields the official Hostaway API docs name for each object we use against our own
 * fixtures (test/fixtures/docs/*.json) and, when the project is built, against the wire schemas
 * (dist/hostaway/schemas.js). Run by hand; CI has no copy of the docs.
 *
 *   node scripts/check-docs-fields.mjs <docs checkout or bare git mirror of Hostaway/api>
 *   node scripts/check-docs-fields.mjs <docs> --list     # print every documented field path, too
 *
 * Fields come from each object page's field tables (first column) and JSON examples (every key, with
 * its nesting: `a.b` for an object, `a[].b` for an array of objects). Exit status 1 when a documented
 * field is missing from a fixture or a schema.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One entry per object page. `prefix` scopes the page's JSON example (a list or item envelope shows
 * the object under `result`); `tables` maps a sub-heading to the path prefix of the table below it.
 */
const OBJECTS = [
  {
    name: 'envelope',
    page: '../index.html.md',
    section: 'Standard Response',
    schema: 'envelope',
    lists: ['LIST_ENVELOPE_FIELDS'],
  },
  {
    name: 'accessToken',
    page: '_authentication.md',
    section: 'Authentication',
    schema: 'AccessTokenResponse',
    lists: ['ACCESS_TOKEN_FIELDS'],
  },
  { name: 'listing', page: '_listing_listingObject.md', schema: 'Listing', lists: ['LISTING_FIELDS'] },
  {
    name: 'listingAmenity',
    page: '_listing_listingAmenityObject.md',
    schema: 'ListingAmenity',
    lists: ['LISTING_AMENITY_FIELDS'],
  },
  {
    name: 'listingBedType',
    page: '_listing_listingBedTypeObject.md',
    schema: 'ListingBedType',
    lists: ['LISTING_BED_TYPE_FIELDS'],
  },
  {
    name: 'listingImage',
    page: '_listing_listingImageObject.md',
    schema: 'ListingImage',
    lists: ['LISTING_IMAGE_FIELDS'],
  },
  {
    name: 'calendarDay',
    page: '_calendar_calendarDayObject.md',
    schema: 'CalendarDay',
    lists: ['CALENDAR_DAY_FIELDS'],
    nested: { reservations: ['CALENDAR_DAY_RESERVATION_FIELDS'] },
  },
  {
    name: 'reservation',
    page: '_reservation_reservationObject.md',
    schema: 'Reservation',
    lists: ['RESERVATION_FIELDS', 'RESERVATION_CANCELLATION_POLICY_FIELDS', 'RESERVATION_BOOKINGCOM_FIELDS'],
  },
  {
    name: 'financeField',
    page: '_finance_field.md',
    section: 'Finance field Object',
    schema: 'FinanceField',
    lists: ['FINANCE_FIELD_FIELDS'],
  },
  {
    name: 'reservationFee',
    page: '_reservation_reservationFeeObject.md',
    schema: 'ReservationFee',
    lists: ['RESERVATION_FEE_FIELDS'],
  },
  {
    name: 'reservationUnit',
    page: '_reservation_reservationUnitObject.md',
    schema: 'ReservationUnit',
    lists: ['RESERVATION_UNIT_FIELDS'],
  },
  {
    name: 'conversation',
    page: '_conversation_conversationObject.md',
    schema: 'Conversation',
    lists: ['CONVERSATION_FIELDS'],
  },
  {
    name: 'conversationMessage',
    page: '_conversation_conversationMessageObject.md',
    schema: 'ConversationMessage',
    lists: ['CONVERSATION_MESSAGE_FIELDS'],
    nested: { attachments: ['MESSAGE_ATTACHMENT_FIELDS'] },
    tables: { 'Attachment object': 'attachments[].' },
  },
  {
    name: 'messageTemplate',
    page: '_messageTemplate_messageTemplateObject.md',
    schema: 'MessageTemplate',
    lists: ['MESSAGE_TEMPLATE_FIELDS'],
  },
  { name: 'review', page: '_review_reviewObject.md', schema: 'Review', lists: ['REVIEW_FIELDS'] },
  { name: 'task', page: '_task_object.md', schema: 'Task', lists: ['TASK_FIELDS'] },
  {
    name: 'unifiedWebhook',
    page: '_webhook_unifiedWebhookObject.md',
    schema: 'UnifiedWebhook',
    lists: ['UNIFIED_WEBHOOK_FIELDS'],
  },
  {
    name: 'unifiedWebhookLog',
    page: '_unifiedWebhookLog_unifiedWebhookLogObject.md',
    schema: 'UnifiedWebhookLog',
    lists: ['UNIFIED_WEBHOOK_LOG_FIELDS'],
  },
  {
    name: 'financeListingFinancials',
    page: '_financialReporting_reportListingFinancials.md',
    schema: 'financeEnvelope',
    columns: 'FINANCE_LISTING_COLUMNS',
  },
  {
    name: 'financeConsolidated',
    page: '_financialReporting_reportConsolidated.md',
    schema: 'financeEnvelope',
    columns: 'FINANCE_CONSOLIDATED_COLUMNS',
  },
];

/** A report column of the docs' example account (a custom formula), not a standard column (see README). */
const NOT_STANDARD_COLUMNS = new Set(['pmCommissionAbc']);

/** Fields the docs name in one place only and that we deliberately spell otherwise (see README). */
const SPELLED_OTHERWISE = { review: { raiting: 'rating' } };

function docsReader(path) {
  if (existsSync(join(path, 'source', 'includes'))) {
    return (file) => readFileSync(join(path, 'source', 'includes', file), 'utf8');
  }
  return (file) =>
    execFileSync('git', ['-C', path, 'show', `HEAD:${join('source/includes', file)}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
}

/** The markdown of one `#`/`##` section, or the whole page. */
function sectionOf(text, title) {
  if (!title) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#{1,2} /.test(l) && l.replace(/^#+ /, '').trim() === title);
  if (start < 0) throw new Error(`section "${title}" not found`);
  const end = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** JSON fences of a page, parsed leniently (the docs' examples carry comments and stray commas). */
function jsonExamples(text) {
  const out = [];
  for (const m of text.matchAll(/```json\s*\n([\s\S]*?)```/g)) {
    const cleaned = m[1]
      .replace(/\/\/[^\n"]*$/gm, '')
      .replace(/,(\s*[}\]])/g, '$1')
      .trim();
    if (!cleaned) continue;
    try {
      out.push(JSON.parse(cleaned));
    } catch (err) {
      console.warn(`  (a JSON example did not parse: ${err.message})`);
    }
  }
  return out;
}

/** Field paths of a JSON value: `a`, `a.b`, `a[].b`. */
function pathsOf(value, prefix = '', into = new Set()) {
  if (Array.isArray(value)) {
    for (const item of value) pathsOf(item, `${prefix.replace(/\.$/, '')}[].`, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(prefix + k);
      pathsOf(v, `${prefix + k}.`, into);
    }
  }
  return into;
}

/** First-column names of the field tables ("Property | ..."), scoped by sub-heading. */
function tableFields(text, tables = {}) {
  const out = new Set();
  let prefix = '';
  let inTable = false;
  for (const line of text.split('\n')) {
    const heading = line.match(/^#{3,} (.*)$/);
    if (heading) prefix = tables[heading[1].trim()] ?? prefix;
    if (/^\|?\s*Property\s*\|/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    if (!line.includes('|')) {
      inTable = false;
      continue;
    }
    const name = line.match(/^\|?\s*(?:<nobr>)?[`']([A-Za-z_][\w]*)[`']/);
    if (name) out.add(prefix + name[1]);
  }
  return out;
}

function documented(read, obj) {
  const text = sectionOf(read(obj.page), obj.section);
  const fields = tableFields(text, obj.tables);
  const examples = jsonExamples(text);
  if (examples[0]) for (const p of pathsOf(examples[0])) fields.add(p);
  const renamed = SPELLED_OTHERWISE[obj.name] ?? {};
  const result = new Set([...fields].map((f) => renamed[f] ?? f));
  const columns = obj.columns ? (examples[0]?.result?.columns ?? []).map((c) => c.name) : [];
  return { fields: result, columns };
}

/** The built schemas and documented-field lists (`npm run build`), or undefined when not built. */
async function loadBuilt() {
  const schemas = join(root, 'dist', 'hostaway', 'schemas.js');
  const lists = join(root, 'dist', 'hostaway', 'documented-fields.js');
  if (!existsSync(schemas) || !existsSync(lists)) return undefined;
  return {
    schemas: await import(pathToFileURL(schemas).href),
    lists: await import(pathToFileURL(lists).href),
  };
}

/** Field paths a zod object schema declares (through nullable/optional wrappers and arrays). */
function schemaPaths(schema, prefix = '', into = new Set(), depth = 0) {
  const inner = unwrap(schema);
  if (depth > 4 || !inner) return into;
  const def = inner._zod?.def;
  if (def?.type === 'array') return schemaPaths(def.element, `${prefix.replace(/\.$/, '')}[].`, into, depth);
  if (def?.type === 'union') {
    for (const option of def.options) schemaPaths(option, prefix, into, depth);
    return into;
  }
  if (def?.type === 'object') {
    for (const [k, v] of Object.entries(def.shape)) {
      into.add(prefix + k);
      schemaPaths(v, `${prefix + k}.`, into, depth + 1);
    }
  }
  return into;
}

function unwrap(schema) {
  let s = schema;
  for (let i = 0; i < 10 && s?._zod?.def; i++) {
    const def = s._zod.def;
    if (['optional', 'nullable', 'default', 'readonly', 'catch', 'nonoptional'].includes(def.type)) {
      s = def.innerType;
    } else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'lazy') s = def.getter();
    else break;
  }
  return s;
}

function schemaFor(mod, name) {
  if (!mod) return undefined;
  if (name === 'envelope') return mod.listEnvelope(mod.Listing);
  if (name === 'financeEnvelope') return mod.itemEnvelope(mod.FinanceReport);
  return mod[name];
}

/** What one object's documented fields lack in a fixture, the schema and the shared lists. */
function gaps(obj, doc, built) {
  const out = [];
  const fixturePath = join(root, 'test', 'fixtures', 'docs', `${obj.name}.json`);
  if (!existsSync(fixturePath)) {
    out.push(`no fixture test/fixtures/docs/${obj.name}.json`);
  } else {
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
    const inFixture = pathsOf(fixture);
    const lacking = [...doc.fields].filter((f) => !inFixture.has(f));
    if (lacking.length) out.push(`missing from the fixture: ${lacking.join(', ')}`);
    const columns = new Set((fixture?.result?.columns ?? []).map((c) => c.name));
    const noColumn = doc.columns.filter((c) => !columns.has(c));
    if (noColumn.length) out.push(`report columns missing from the fixture: ${noColumn.join(', ')}`);
  }
  if (!built) return out;
  const schema = schemaFor(built.schemas, obj.schema);
  if (!schema) out.push(`no schema ${obj.schema} in src/hostaway/schemas`);
  else {
    const declared = schemaPaths(schema);
    const lacking = [...doc.fields].filter((f) => !declared.has(f));
    if (lacking.length) out.push(`missing from the schema ${obj.schema}: ${lacking.join(', ')}`);
  }
  const listed = new Set((obj.lists ?? []).flatMap((name) => built.lists[name] ?? []));
  for (const [field, names] of Object.entries(obj.nested ?? {})) {
    for (const f of names.flatMap((name) => built.lists[name] ?? [])) listed.add(`${field}[].${f}`);
  }
  if (obj.lists) {
    const lacking = [...doc.fields].filter(
      (f) =>
        !listed.has(f) &&
        (!f.includes('.') || Object.keys(obj.nested ?? {}).some((n) => f.startsWith(`${n}[].`))),
    );
    if (lacking.length) out.push(`missing from src/hostaway/documented-fields.ts: ${lacking.join(', ')}`);
  }
  if (obj.columns) {
    const ours = new Set(built.lists[obj.columns] ?? []);
    const lacking = doc.columns.filter((c) => !ours.has(c) && !NOT_STANDARD_COLUMNS.has(c));
    if (lacking.length) out.push(`report columns not in ${obj.columns}: ${lacking.join(', ')}`);
  }
  return out;
}

/**
 * Enumerations a page lists as a table (statuses, channels), with the schema constant that holds ours:
 * `column` is the table column holding the value.
 */
const ENUMS = [
  { page: '_reservation_reservationStatuses.md', constant: 'RESERVATION_STATUSES', column: 0 },
  { page: '_calendar_calendarDayStatuses.md', constant: 'CALENDAR_DAY_STATUSES', column: 0 },
  { page: '_reservation_channels.md', constant: 'CHANNELS', column: 1 },
];

/** Values of a page's enumeration table: the given column of each row, without markup. */
function enumValues(text, column) {
  const out = new Set();
  for (const line of text.split('\n')) {
    if (!line.includes('|') || /^\|?\s*-/.test(line)) continue;
    const cells = line
      .replace(/^\|/, '')
      .split('|')
      .map((c) => c.replace(/<\/?nobr>|`/g, '').trim());
    const value = cells[column];
    if (value && /^[A-Za-z][\w]*$/.test(value) && !/^(Status|Channel)/.test(value)) out.add(value);
  }
  return out;
}

function enumGaps(read, built) {
  let problems = 0;
  for (const e of ENUMS) {
    const documented = enumValues(read(e.page), e.column);
    const ours = built?.schemas[e.constant];
    const values = new Set(Array.isArray(ours) ? ours : Object.values(ours ?? {}));
    const lacking = built ? [...documented].filter((v) => !values.has(v)) : [];
    const extra = built ? [...values].filter((v) => !documented.has(v)) : [];
    const ok = lacking.length + extra.length === 0;
    console.log(`${e.constant} (${e.page}): ${documented.size} documented values, ${ok ? 'ok' : 'GAPS'}`);
    if (lacking.length) console.log(`  missing from ${e.constant}: ${lacking.join(', ')}`);
    if (extra.length) console.log(`  in ${e.constant} but not documented: ${extra.join(', ')}`);
    problems += lacking.length + extra.length;
  }
  return problems;
}

async function main() {
  const args = process.argv.slice(2);
  const docs = args.find((a) => !a.startsWith('--'));
  if (!docs) {
    console.error('usage: node scripts/check-docs-fields.mjs <docs checkout or git mirror> [--list]');
    process.exit(2);
  }
  const list = args.includes('--list');
  const read = docsReader(resolve(docs));
  const built = await loadBuilt();
  if (!built) console.warn('dist/ is not built (npm run build): checking the fixtures only.\n');

  let problems = 0;
  for (const obj of OBJECTS) {
    const doc = documented(read, obj);
    const found = gaps(obj, doc, built);
    console.log(
      `${obj.name} (${obj.page}): ${doc.fields.size} documented fields, ${found.length ? 'GAPS' : 'ok'}`,
    );
    if (list) console.log(`  documented: ${[...doc.fields].join(', ')}`);
    for (const line of found) console.log(`  ${line}`);
    problems += found.length;
  }
  problems += enumGaps(read, built);
  if (problems) {
    console.log(`\n${problems} gap(s) between the docs and the project.`);
    process.exit(1);
  }
  console.log(
    '\nEvery documented field is in the fixtures, the schemas and the documented-field lists, and the ' +
      'statuses and channels match.',
  );
}

await main();
