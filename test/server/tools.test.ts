import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/server/runtime.js';
import { TOOLS } from '../../src/tools/index.js';
import { connect, ERAS, startTestRuntime, VALID_ARGS } from '../helpers/server.js';

type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) =>
  (r.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');

const VALID = VALID_ARGS;

for (const era of ERAS) {
  describe(`MCP tools over the SDK client, ${era}`, () => {
    let runtime: Runtime;
    let client: Client;
    let close: () => Promise<void>;
    beforeAll(async () => {
      runtime = await startTestRuntime();
      ({ client, close } = await connect(runtime, era));
    });
    afterAll(async () => {
      await close();
      await runtime.close();
    });

    it('lists every tool, in order, with title, description, schemas and all four annotations', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
      for (const t of tools) {
        expect(t.name).toMatch(/^hostaway_[a-z_]{3,60}$/);
        expect(t.title).toBeTruthy();
        expect(t.description?.length).toBeGreaterThan(80);
        expect(t.inputSchema.type).toBe('object');
        expect(t.outputSchema?.type).toBe('object');
        for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
          expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe('boolean');
        expect(t.annotations?.readOnlyHint && t.annotations.destructiveHint).toBe(false);
        // No union at the top of an input schema: several clients cannot show them.
        expect(JSON.stringify(t.inputSchema)).not.toMatch(/"(anyOf|oneOf|allOf)"/);
      }
    });

    for (const def of TOOLS) {
      it(`${def.name}: answers valid arguments with structured output that fits its schema, and text`, async () => {
        const result = await client.callTool({ name: def.name, arguments: VALID[def.name] });
        expect(result.isError, text(result)).toBeFalsy();
        expect(def.output.safeParse(result.structuredContent).success).toBe(true);
        expect(text(result).length).toBeGreaterThan(10);
        expect(result._meta).toMatchObject({ 'hostaway/mode': 'sandbox' });
      });
    }

    it('bad arguments give a tool error that names the field', async () => {
      const wrongType = await client.callTool({
        name: 'hostaway_get_listing',
        arguments: { listingId: 'forty' },
      });
      expect(wrongType.isError).toBe(true);
      expect(text(wrongType)).toMatch(/listingId/);
      const unknownField = await client.callTool({
        name: 'hostaway_search_listings',
        arguments: { colour: 'blue' },
      });
      expect(unknownField.isError).toBe(true);
      expect(text(unknownField)).toMatch(/colour/);
      const badDate = await client.callTool({
        name: 'hostaway_finance_report',
        arguments: { from: '2026-02-30', to: '2026-03-01' },
      });
      expect(badDate.isError).toBe(true);
      expect(text(badDate)).toMatch(/from must be a real date written YYYY-MM-DD/);
      const reversed = await client.callTool({
        name: 'hostaway_get_availability',
        arguments: { listingId: 40160, startDate: '2026-12-31', endDate: '2026-12-01' },
      });
      expect(text(reversed)).toMatch(/startDate \(2026-12-31\) is after endDate \(2026-12-01\): swap them/);
      const tooLong = await client.callTool({
        name: 'hostaway_finance_report',
        arguments: { from: '2025-01-01', to: '2026-12-31' },
      });
      expect(text(tooLong)).toMatch(/at most 366 are allowed/);
    });

    it('upstream failures come back as short actionable tool errors, never stack traces', async () => {
      const missing = await client.callTool({
        name: 'hostaway_get_reservation',
        arguments: { reservationId: 42 },
      });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toMatch(/^Reservation 42 was not found in this Hostaway account/);
      runtime.sandbox?.faults.add({ kind: 'status', status: 503, path: '/v1/listings/40161' });
      const down = await client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40161 } });
      runtime.sandbox?.faults.clear();
      expect(down.isError).toBe(true);
      expect(text(down)).toMatch(/Hostaway is having trouble \(HTTP 503\)/);
      for (const r of [missing, down])
        expect(text(r)).not.toMatch(/\n\s+at |node_modules|Bearer|127\.0\.0\.1/);
    });

    it('an unknown tool is a protocol error, not a crash; the server keeps serving', async () => {
      await expect(client.callTool({ name: 'hostaway_delete_everything', arguments: {} })).rejects.toThrow();
      const after = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
      expect(after.isError).toBeFalsy();
    });
  });
}
