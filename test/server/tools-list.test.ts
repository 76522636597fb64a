/**
 * What clients see of the tools, kept in the repository: any change to a name, schema or annotation shows
 * up as a diff of test/server/__snapshots__/tools-list.json, and any change to the views a client that
 * renders them is offered, of views.json (update them with `npx vitest run -u`).
 * And a rule every input schema keeps: arrays are bounded.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_MIME_TYPE } from '../../src/server/apps.js';
import type { Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { connect, startTestRuntime } from '../helpers/server.js';

type Schema = {
  type?: string | string[];
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
};

/** Every path in a JSON Schema where an array has no maxItems. */
function unboundedArrays(schema: Schema, path = ''): string[] {
  const here = schema.type === 'array' && schema.maxItems === undefined ? [path || '(root)'] : [];
  const items = schema.items ? unboundedArrays(schema.items, `${path}[]`) : [];
  const props = Object.entries(schema.properties ?? {}).flatMap(([k, v]) =>
    unboundedArrays(v, path ? `${path}.${k}` : k),
  );
  return [...here, ...items, ...props];
}

describe('the tools list', () => {
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

  it('matches the snapshot kept in the repository', async () => {
    const { tools } = await client.listTools();
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/tools-list.json',
    );
  });

  it('matches the snapshot of what a client that renders views sees of them', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = buildServer(runtime);
    await server.connect(serverSide);
    const apps = new Client(
      { name: 'apps', version: '1.0.0' },
      { capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } } } },
    );
    await apps.connect(clientSide);
    const links = Object.fromEntries(
      (await apps.listTools()).tools.filter((t) => t._meta).map((t) => [t.name, t._meta]),
    );
    const pages = (await apps.listResources()).resources.filter((r) => r.uri.startsWith('ui://'));
    await apps.close();
    await server.close();
    await expect(`${JSON.stringify({ links, pages }, null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/views.json',
    );
  });

  it('bounds every array argument', async () => {
    const { tools } = await client.listTools();
    const unbounded = tools.flatMap((t) =>
      unboundedArrays(t.inputSchema as Schema).map((p) => `${t.name}: ${p}`),
    );
    expect(unbounded).toEqual([]);
    expect(tools.some((t) => JSON.stringify(t.inputSchema).includes('"maxItems"'))).toBe(true);
  });
});
