/**
 * The OpenAPI 3.1 document: valid by a real OpenAPI validator, one operation per offered tool with the
 * tool's own schemas, and the server's real answers fit the response schemas it declares.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import type { Runtime } from '../../src/server/runtime.js';
import { enabledTools } from '../../src/tools/index.js';
import { startTestRuntime, VALID_ARGS } from '../helpers/server.js';

type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let runtime: Runtime;
let http: HttpServerHandle;
let base: string;
let doc: Doc;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await startHttpServer(runtime);
  base = http.url.replace(/\/mcp$/, '');
  doc = (await (await fetch(`${base}/openapi.json`)).json()) as Doc;
});
afterAll(async () => {
  await http.close();
  await runtime.close();
});

const offered = enabledTools({ readOnly: false, writes: true, toolsets: undefined });

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by a real validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has one operation per offered tool, reads as GET and changes as POST', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, id: op.operationId })),
    );
    expect(ops.map((o) => o.id).sort()).toEqual(offered.map((t) => t.name).sort());
    for (const def of offered) {
      const op = ops.find((o) => o.id === def.name)!;
      expect(op.path).toBe(`/api/v1/${def.name.slice('hostaway_'.length)}`);
      expect(op.method).toBe(def.annotations.readOnlyHint ? 'get' : 'post');
    }
  });

  it('declares the parameters each tool requires', () => {
    const op = doc.paths['/api/v1/get_availability']!.get!;
    const required = op.parameters!.filter((p) => p.required).map((p) => p.name);
    expect(required.sort()).toEqual(['endDate', 'listingId', 'startDate']);
    const send = doc.paths['/api/v1/send_message']!.post!;
    expect(send.requestBody!.content['application/json']!.schema.properties).toHaveProperty('confirmationId');
  });

  it("the server's real answers and problems fit the schemas it declares", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    let checked = 0;
    for (const def of offered.filter((t) => t.annotations.readOnlyHint)) {
      const op = doc.paths[`/api/v1/${def.name.slice('hostaway_'.length)}`]!.get!;
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(VALID_ARGS[def.name] ?? {}))
        for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
      const res = await fetch(`${base}${`/api/v1/${def.name.slice('hostaway_'.length)}`}?${q}`);
      expect(res.status, def.name).toBe(200);
      const validate = ajv.compile(op.responses['200']!.content!['application/json']!.schema);
      const ok = validate(await res.json());
      expect(validate.errors ?? [], def.name).toEqual([]);
      expect(ok).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    const bad = await fetch(`${base}/api/v1/get_listing?listingId=nope`);
    expect(bad.status).toBe(400);
    const problemSchema = ajv.compile({ $ref: 'doc#/components/schemas/Problem' });
    expect(problemSchema(await bad.json())).toBe(true);
  });
});
