/**
 * JSON Schema validation for the packaging tests: ajv with the standard formats, draft-07 (the MCP
 * registry's server.json schema and the Compose Specification's are both draft-07).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: under Node's ESM interop its plugin is the module itself, typed as `default`.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((formats as unknown as { default?: FormatsPlugin }).default ??
  formats) as unknown as FormatsPlugin;

/** A validator for the schema in `file`: it returns the errors, one readable line each (none when valid). */
export function schemaValidator(file: string): (data: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map(describe));
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`;
}
