/**
 * Property-based fuzzing of every tool's arguments through the SDK's client: whatever arrives, the answer
 * is a valid result or a clear error, never a crash, a stack trace or a hang. Arguments are drawn from
 * each tool's own JSON Schema: plausible values that reach Hostaway (the sandbox), edge values, wrong
 * types, unknown fields and arbitrary JSON.
 */
import type { Client } from '@modelcontextprotocol/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Runtime } from '../../src/server/runtime.js';
import { TOOLS } from '../../src/tools/index.js';
import { connect, startTestRuntime } from '../helpers/server.js';

const RUNS = 1_000;

/** The wrapper's answers for our own bugs: a handler that crashed, or output that broke its schema. */
const INTERNAL_ERROR = /failed unexpectedly|could not vouch/;

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

/** Values that exist in the seeded account, so that many calls go all the way to the sandbox. */
const KNOWN: Record<string, unknown[]> = {
  listingId: [40160, 40161, 40170],
  reservationId: [1000001, 1000002, 1000500],
  conversationId: [200001, 200100],
  query: ['beach', 'House'],
  city: ['Miami Beach', 'Austin'],
  guest: ['Smith'],
  guestEmail: ['guest@example.com'],
  // Well-formed but never issued: a confirmation must be refused, never commit. Often left out, so that
  // enough calls reach a write's preview.
  confirmationId: [undefined, undefined, undefined, 'cf_AAAAAAAAAAAAAAAAAAAAAA', 'cf_0123456789abcdefghijkl'],
  changeId: ['cf_AAAAAAAAAAAAAAAAAAAAAA'],
  text: ['Hello, your room is ready.', 'Thanks!'],
  templateId: [901, 905, 999],
  tool: ['hostaway_send_message', 'hostaway_create_task'],
  taskId: [70003, 70010, 70100],
  title: ['Turnover cleaning', 'Fix the porch light'],
  afterCheckoutOf: [1000001, 1000500],
  description: ['Bulb and fitting'],
  assigneeUserId: [7, 12],
  priority: [1, 2],
  since: ['2026-11-29T08:00:00Z', '2020-01-01T00:00:00+02:00'],
  // The feed's cursor: left out (the newest), from the start, or past anything recorded.
  cursor: [undefined, '0', '17', '999999999999999'],
  ranges: [
    [{ startDate: '2026-12-05', endDate: '2026-12-06' }],
    [
      { startDate: '+10', endDate: '+11' },
      { startDate: '2026-12-10', endDate: '2026-12-13' },
    ],
  ],
  set: [{ price: 250 }, { available: false }, { minimumStay: 2, note: 'fuzz' }],
  // A month, not a day: the date pattern's values would never match it.
  month: [undefined, '2026-11', '2026-12', 'this', 'next'],
};
const DATES = ['2026-10-01', '2026-11-25', '2026-12-01', '2026-12-08', '2027-03-08', '2027-03-11'];
const BAD_DATES = ['2026-02-30', '2026-13-01', '25/11/2026', ''];

function arbitraryFor(name: string, s: JsonSchema): fc.Arbitrary<unknown> {
  const known = KNOWN[name] ? [fc.constantFrom(...KNOWN[name])] : [];
  const garbage = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.double(),
  );
  if (s.enum)
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: garbage });
  switch (s.type) {
    case 'string':
      if (s.pattern?.includes('\\d{4}') && !KNOWN[name])
        return fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom(...DATES) },
          { weight: 1, arbitrary: fc.constantFrom(...BAD_DATES) },
          { weight: 1, arbitrary: garbage },
        );
      return fc.oneof(
        ...known.map((arbitrary) => ({ weight: 3, arbitrary })),
        fc.string({ minLength: 0, maxLength: (s.maxLength ?? 50) + 5 }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        garbage,
      );
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? -1_000;
      const hi = s.maximum ?? 2_000_000;
      return fc.oneof(
        ...known.map((arbitrary) => ({ weight: 6, arbitrary })),
        { weight: 3, arbitrary: fc.integer({ min: Math.max(lo, -1e9), max: Math.min(hi, 1e9) }) },
        { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo - 1, hi + 1, 0, -1) },
        { weight: 1, arbitrary: garbage },
      );
    }
    case 'boolean':
      return fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: garbage });
    case 'array':
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(arbitraryFor(`${name}[]`, s.items ?? {}), { maxLength: 4 }) },
        { weight: 1, arbitrary: garbage },
      );
    default:
      return fc.jsonValue();
  }
}

/** Values of the right type and in range only, so that a share of the cases passes the argument check. */
function plausibleFor(name: string, s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (KNOWN[name]) return fc.constantFrom(...(KNOWN[name] as unknown[]));
  switch (s.type) {
    case 'string':
      if (s.pattern?.includes('\\d{4}')) return fc.constantFrom(...DATES);
      return fc.string({ unit: fc.constantFrom(...'abcdefgh '), minLength: s.minLength ?? 0, maxLength: 8 });
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100, (s.minimum ?? 0) + 100) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausibleFor(`${name}[]`, s.items ?? {}), { minLength: 1, maxLength: 3 });
    default:
      return fc.constant(undefined);
  }
}

function argumentsFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  // Required fields are present in most cases, so that calls get past validation often enough.
  const required = new Set(schema.required ?? []);
  const record = fc
    .tuple(
      fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryFor(k, v)])), { requiredKeys: [] }),
      fc.record(
        Object.fromEntries(props.filter(([k]) => required.has(k)).map(([k, v]) => [k, arbitraryFor(k, v)])),
      ),
      fc.nat(9),
    )
    .map(([optional, needed, roll]) => (roll === 0 ? optional : { ...optional, ...needed }));
  const withStranger = fc
    .tuple(record, fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue())
    .map(([r, k, v]) => ({ ...r, [k]: v }));
  const plausible = fc.record(Object.fromEntries(props.map(([k, v]) => [k, plausibleFor(k, v)])), {
    requiredKeys: [...required].filter((k) => props.some(([p]) => p === k)),
  });
  return fc.oneof(
    { weight: 6, arbitrary: record },
    { weight: 2, arbitrary: plausible },
    { weight: 1, arbitrary: withStranger },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }) },
  );
}

describe(`fuzzing every tool's arguments (${RUNS} cases each)`, () => {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });

  for (const def of TOOLS) {
    it(def.name, async () => {
      const schema = z.toJSONSchema(def.input, { io: 'input' }) as JsonSchema;
      const outcomes = { protocol: 0, invalid: 0, refused: 0, ok: 0 };
      await fc.assert(
        fc.asyncProperty(argumentsFor(schema), async (args) => {
          let result: Awaited<ReturnType<Client['callTool']>>;
          try {
            result = await client.callTool({ name: def.name, arguments: args as Record<string, unknown> });
          } catch (err) {
            // Only a malformed call may be refused at the protocol level (not an object, for example).
            expect(String(err)).toMatch(/Invalid|params|arguments/i);
            outcomes.protocol++;
            return;
          }
          const text = (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
          if (!result.isError) {
            expect(def.output.safeParse(result.structuredContent).success).toBe(true);
            outcomes.ok++;
            return;
          }
          // A crash or an answer the tool could not vouch for is our bug, whatever the input was.
          expect(text).not.toMatch(INTERNAL_ERROR);
          expect(text).not.toMatch(/\n\s+at |node_modules|TypeError|ReferenceError|Cannot read prop/);
          expect(text.length).toBeGreaterThan(10);
          // Refused by the argument check (ours: the SDK only describes the schemas), or past it.
          if (/^Invalid arguments for hostaway_\w+: /.test(text)) outcomes.invalid++;
          else outcomes.refused++;
        }),
        { numRuns: RUNS, seed: 20261125 },
      );
      // The generator must exercise both sides: the argument check, and the handler past it.
      const pastValidation = outcomes.ok + outcomes.refused;
      expect(outcomes.invalid, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(RUNS / 10);
      expect(pastValidation, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(RUNS / 10);
      expect(outcomes.ok, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(RUNS / 100);
    }, 120_000);
  }
});
