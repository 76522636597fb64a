/**
 * Tool schemas as the MCP SDK sees them: described, never validated, and converted to JSON Schema once
 * per process in the most portable spelling.
 *
 * Described only: the surface-neutral call path (run-tool.ts) checks arguments and answers for every
 * surface with the same messages. Were the SDK to validate too, an MCP client would get the SDK's own
 * wording for bad arguments while REST got ours, and each call would be checked twice (a measured share
 * of an HTTP call's time). So the SDK gets a Standard Schema whose `validate` passes the value through.
 *
 * Once per process: the HTTP transport builds a server per request, and the SDK converts each schema to
 * JSON Schema once per server: profiling showed that conversion was a tenth of the CPU time of a cached
 * tool call over HTTP. The schemas never change, so each conversion is kept.
 *
 * Portable and small: zod writes a nullable scalar as `type: ["string", "null"]`, which clients that map
 * tool schemas onto a single-type dialect (Gemini's OpenAPI subset, for one) reject or weaken, and the
 * official inspector's strict mode warns about each; they become `anyOf` branches with one type each. A
 * free-form record's `additionalProperties: {}` becomes `true`. Dropped: zod's safe-integer bounds on
 * every integer (they constrain nothing) and the `$schema` line (2020-12 is MCP's default dialect).
 */
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type * as z from 'zod';

type Converter = (options?: object) => Record<string, unknown>;
interface StandardWithJson {
  jsonSchema?: { input: Converter; output: Converter };
}

/** What the SDK accepts as a tool schema: a Standard Schema that also converts to JSON Schema. */
export type DescribedSchema = StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>>;

const described = new WeakMap<z.ZodType, DescribedSchema>();
const describedWith = new WeakMap<z.ZodType, Map<string, DescribedSchema>>();

/** A converter whose answer, per set of options, is worked out once and then kept. */
function memo(
  convert: Converter,
  shape: (json: Record<string, unknown>) => Record<string, unknown>,
): Converter {
  const seen = new Map<string, Record<string, unknown>>();
  return (options) => {
    const key = JSON.stringify(options ?? {});
    let result = seen.get(key);
    if (!result) {
      result = shape(convert(options));
      seen.set(key, result);
    }
    return result;
  };
}

/** A Standard Schema that describes (JSON Schema) and validates nothing: our call path does that. */
function passThrough(input: Converter, output: Converter): DescribedSchema {
  return {
    '~standard': {
      version: 1,
      vendor: 'hostaway-mcp-server',
      validate: (value) => ({ value: value as Record<string, unknown> }),
      jsonSchema: { input, output },
    },
  };
}

/**
 * Several accounts: an input schema with the required `account` property, whose enum is the names the
 * caller may use. Kept per schema and per list of names, as `describeOnly` keeps the plain one.
 */
export function describeWithAccount(
  schema: z.ZodType,
  extend: (json: Record<string, unknown>) => Record<string, unknown>,
  key: string,
): DescribedSchema {
  let byKey = describedWith.get(schema);
  if (!byKey) {
    byKey = new Map();
    describedWith.set(schema, byKey);
  }
  let made = byKey.get(key);
  if (!made) {
    const base = describeOnly(schema)['~standard'].jsonSchema;
    made = passThrough(memo(base.input as Converter, extend), base.output as Converter);
    byKey.set(key, made);
  }
  return made;
}

export function describeOnly(schema: z.ZodType): DescribedSchema {
  let made = described.get(schema);
  if (made) return made;
  const json = (schema['~standard'] as unknown as StandardWithJson).jsonSchema;
  if (!json) throw new Error('zod 4.2 or later is needed: the schema cannot convert itself to JSON Schema');
  const toPortable = (j: Record<string, unknown>) => portable(j) as Record<string, unknown>;
  made = passThrough(memo(json.input.bind(json), toPortable), memo(json.output.bind(json), toPortable));
  described.set(schema, made);
  return made;
}

/** Rewrites `type: [T, "null"]` as `anyOf: [{type: T, ...}, {type: "null"}]`, everywhere in a schema. */
export function portable(node: unknown, root = true): unknown {
  if (Array.isArray(node)) return node.map((n) => portable(n, false));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (root && k === '$schema') continue;
    // zod bounds every integer by the safe-integer range; that says nothing and cost 11 % of the list.
    if (
      (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) ||
      (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)
    )
      continue;
    // `{}` constrains nothing; `true` says so plainly (the inspector flags the empty object).
    const empty = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
    out[k] = k === 'additionalProperties' && empty ? true : portable(v, false);
  }
  const type = out.type;
  if (!Array.isArray(type) || type.length < 2) return out;
  // Annotations stay on the outside; everything that constrains a type goes into its branch.
  const { type: _type, description, title, default: def, ...constraints } = out;
  const branches = (type as string[]).map((t) =>
    t === 'null' ? { type: 'null' } : { type: t, ...constraints },
  );
  return {
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(def === undefined ? {} : { default: def }),
    anyOf: branches,
  };
}
