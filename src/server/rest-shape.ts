/**
 * How a tool looks over REST, derived from its one definition: its route, its method, and its schemas in
 * JSON Schema (2020-12, the dialect OpenAPI 3.1 uses). Shared by the REST adapter and the OpenAPI
 * document, so the two cannot drift apart.
 */
import * as z from 'zod';
import type { ToolDefinition } from '../tools/define.js';
import { portable } from './schema-cache.js';

export const REST_PREFIX = '/api/v1/';

export type JsonSchema = Record<string, unknown>;

/** `hostaway_search_listings` is served at `/api/v1/search_listings`. */
export function restPath(def: ToolDefinition): string {
  return `${REST_PREFIX}${def.name.replace(/^hostaway_/, '')}`;
}

/** Reads are GET with query parameters (cacheable, linkable); anything that changes is POST with JSON. */
export function restMethod(def: ToolDefinition): 'GET' | 'POST' {
  return def.annotations.readOnlyHint ? 'GET' : 'POST';
}

const inputs = new WeakMap<z.ZodType, JsonSchema>();
const outputs = new WeakMap<z.ZodType, JsonSchema>();

/** The arguments' schema as the caller writes them (defaults optional). */
export function inputSchema(def: ToolDefinition): JsonSchema {
  let schema = inputs.get(def.input);
  if (!schema) {
    schema = portable(z.toJSONSchema(def.input, { io: 'input' })) as JsonSchema;
    inputs.set(def.input, schema);
  }
  return schema;
}

export function outputSchema(def: ToolDefinition): JsonSchema {
  let schema = outputs.get(def.output);
  if (!schema) {
    schema = portable(z.toJSONSchema(def.output, { io: 'output' })) as JsonSchema;
    outputs.set(def.output, schema);
  }
  return schema;
}

/** The JSON type a property takes, looking through a nullable `anyOf`. */
export function propertyType(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (typeof schema.type === 'string') return schema.type;
  const branches = schema.anyOf as JsonSchema[] | undefined;
  return branches?.map((b) => b.type).find((t): t is string => typeof t === 'string' && t !== 'null');
}

/**
 * Query parameters as the tool's arguments: numbers and booleans as their types, arrays from repeated
 * parameters or one comma-separated value. A value that does not read as its type is passed on as it is,
 * so the argument check names it with the same message every surface gives.
 */
export function argsFromQuery(def: ToolDefinition, query: URLSearchParams): Record<string, unknown> {
  const properties = (inputSchema(def).properties ?? {}) as Record<string, JsonSchema>;
  const args: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    const schema = properties[name];
    const type = propertyType(schema);
    if (type === 'array') {
      const itemType = propertyType(schema?.items as JsonSchema | undefined);
      args[name] = values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
        .map((v) => scalar(v, itemType));
    } else {
      args[name] = scalar(values[values.length - 1] ?? '', type);
    }
  }
  return args;
}

function scalar(value: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
