/**
 * Tool schemas converted to JSON Schema once per process.
 *
 * The HTTP transport builds a server per request, and the SDK converts a tool's zod schema to JSON
 * Schema (through the schema's Standard JSON Schema hook) once per server: profiling showed that
 * conversion was a tenth of the CPU time of a cached tool call over HTTP. The schemas never change, so
 * each conversion is kept on the schema itself.
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
        result = convert(options);
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
