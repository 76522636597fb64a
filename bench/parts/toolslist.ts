/**
 * 8. The tools list as a client receives it: the result of `tools/list` in compact JSON, measured on
 * the messages an SDK client gets from the server in this process, and what share of it the output
 * schemas, the input schemas and the tool descriptions take. A size, so the machine's load does not
 * change it.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { inMemoryServer, liveEnv } from '../lib/servers.js';

type Tool = { name: string; description?: string; inputSchema?: unknown; outputSchema?: unknown };

/** Bytes of a value written as compact JSON (0 when absent). */
const bytes = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

/** Bytes of every `description` value inside a JSON Schema: the text spent describing its fields. */
function fieldDescriptionBytes(schema: unknown): number {
  if (Array.isArray(schema)) return schema.reduce((sum: number, s) => sum + fieldDescriptionBytes(s), 0);
  if (schema === null || typeof schema !== 'object') return 0;
  return Object.entries(schema).reduce(
    (sum, [k, v]) =>
      sum + (k === 'description' && typeof v === 'string' ? bytes(v) : fieldDescriptionBytes(v)),
    0,
  );
}

export async function toolsList(sandbox: Sandbox): Promise<void> {
  process.stderr.write('8. tools list\n');
  const { runtime, client, transport } = await inMemoryServer(liveEnv(sandbox));
  // Every page of the answer exactly as it reaches the client, before the SDK parses it.
  const pages: Array<{ tools: Tool[] }> = [];
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    const result = 'result' in message ? (message.result as { tools?: Tool[] }) : undefined;
    if (result && Array.isArray(result.tools)) pages.push(result as { tools: Tool[] });
    deliver?.(message, extra);
  };
  const { tools: parsed } = await client.listTools();
  await client.close();
  await runtime.close();

  const tools = pages.flatMap((p) => p.tools);
  if (pages.length === 0 || tools.length !== parsed.length)
    throw new Error(
      `saw ${tools.length} tools in ${pages.length} page(s), the client listed ${parsed.length}`,
    );
  const total = pages.reduce((sum, p) => sum + bytes(p), 0);
  const sum = (f: (t: Tool) => number) => tools.reduce((s, t) => s + f(t), 0);
  const outputSchemas = sum((t) => bytes(t.outputSchema));
  const inputSchemas = sum((t) => bytes(t.inputSchema));
  const descriptions = sum((t) => bytes(t.description));
  const rest = total - outputSchemas - inputSchemas - descriptions;
  results.toolsList = {
    tools: tools.length,
    toolsWithOutputSchema: tools.filter((t) => t.outputSchema !== undefined).length,
    pages: pages.length,
    totalBytes: total,
    outputSchemaBytes: outputSchemas,
    outputSchemaFieldDescriptionBytes: sum((t) => fieldDescriptionBytes(t.outputSchema)),
    inputSchemaBytes: inputSchemas,
    descriptionBytes: descriptions,
    otherBytes: rest,
    outputSchemaShare: outputSchemas / total,
    inputSchemaShare: inputSchemas / total,
    descriptionShare: descriptions / total,
  };
  const share = (n: number) => `${n} B (${((n / total) * 100).toFixed(1)} %)`;
  report(
    `tools list as received (tools/list result, compact JSON), ${tools.length} tools`,
    `${total} B: output schemas ${share(outputSchemas)}, input schemas ${share(inputSchemas)}, descriptions ${share(descriptions)}, the rest ${share(rest)}`,
    '',
  );
}
