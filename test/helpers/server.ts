import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { loadConfig } from '../../src/config.js';
import { type Logger, silentLogger } from '../../src/logging.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import { FAST_RETRIES, NO_LIMITS } from './client.js';
import { TEST_NOW } from './sandbox.js';

/** A demo-mode runtime with a pinned clock and no rate limits, so tests are fast and repeatable. */
export async function startTestRuntime(
  options: { readOnly?: boolean; logger?: Logger } = {},
): Promise<Runtime> {
  const config = loadConfig({
    env: { HOSTAWAY_READ_ONLY: options.readOnly ? 'true' : undefined },
    envFile: '/dev/null',
  });
  return createRuntime(config, {
    logger: options.logger ?? silentLogger,
    sandbox: { now: TEST_NOW, rateLimits: false },
    client: { limits: NO_LIMITS, retries: FAST_RETRIES },
  });
}

export type Era = 'legacy (in-memory)' | 'modern (in-process HTTP)';
export const ERAS: Era[] = ['legacy (in-memory)', 'modern (in-process HTTP)'];

/** An SDK client talking to the server: 2025 era over the in-memory transport, 2026 over HTTP in-process. */
export async function connect(
  runtime: Runtime,
  era: Era,
): Promise<{ client: Client; close: () => Promise<void> }> {
  if (era === 'legacy (in-memory)') {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = buildServer(runtime);
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
    return {
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  }
  const handler = createMcpHandler(() => buildServer(runtime));
  const transport = new StreamableHTTPClientTransport(new URL('http://test.local/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  const client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await client.close();
      await handler.close();
    },
  };
}
