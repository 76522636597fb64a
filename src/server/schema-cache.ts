/**
 * Tool schemas converted to JSON Schema once per process, in the most portable spelling.
 *
 * The HTTP transport builds a server per request, and the SDK converts a tool's zod schema to JSON
 * Schema (through the schema's Standard JSON Schema hook) once per server: profiling showed that
 * conversion was a tenth of the CPU time of a cached tool call over HTTP. The schemas never change, so
 * each conversion is kept on the schema itself.
 *
 * Portable and small: zod writes a nullable scalar as `type: ["string", "null"]`, which clients that map
 * tool schemas onto a single-type dialect (Gemini's OpenAPI subset, for one) reject or weaken, and the
 * official inspector's strict mode warns about each; they become `anyOf` branches with one type each. A
 * free-form record's `additionalProperties: {}` becomes `true`. Dropped: zod's safe-integer bounds on
 * every integer (they constrain nothing) and the `$schema` line (2020-12 is MCP's default dialect).
 */
import type * as z from 'zod';

type Converter = (options?: Record<string, unknown>) => Record<string, unknown>;
interface StandardWithJson {
  jsonSchema?: { input: Converter; output: Converter };
}

const done = new WeakSet<object>();

export function memoizeJsonSchema<S extends z.ZodType>(schema: S): S {
  if (done.has(schema)) return schema;
  const std = schema['~standard'] as unknown as StandardWithJson & Record<string, unknown>;
  const json = std.jsonSchema;
  if (!json) return schema;
  const memo = (convert: Converter): Converter => {
    const seen = new Map<string, Record<string, unknown>>();
    return (options) => {
      const key = JSON.stringify(options ?? {});
      let result = seen.get(key);
      if (!result) {
        result = portable(convert(options)) as Record<string, unknown>;
        seen.set(key, result);
      }
      return result;
    };
  };
  (schema as unknown as Record<string, unknown>)['~standard'] = {
    ...std,
    jsonSchema: { input: memo(json.input.bind(json)), output: memo(json.output.bind(json)) },
  };
  done.add(schema);
  return schema;
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
