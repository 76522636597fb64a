import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll } from 'vitest';
import type { ClientOptionsInput } from '../../src/client/options.js';
import { loadConfig } from '../../src/config.js';
import { type Logger, silentLogger } from '../../src/logging.js';
import { startHttpServer } from '../../src/server/http.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { buildServer } from '../../src/server/server.js';
import type { WriteStoreSpec } from '../../src/writes/open.js';
import { FAST_RETRIES, NO_LIMITS } from './client.js';
import { TEST_NOW } from './sandbox.js';

/** A demo-mode runtime with a pinned clock and no rate limits, so tests are fast and repeatable. */
export async function startTestRuntime(
  options: {
    readOnly?: boolean;
    logger?: Logger;
    client?: Partial<ClientOptionsInput>;
    now?: string;
    /** More settings, under their environment names. */
    env?: Record<string, string>;
    writeStore?: WriteStoreSpec;
    clock?: () => number;
    /** Prometheus metrics, without Node's process metrics (they vary run to run). */
    metrics?: boolean;
  } = {},
): Promise<Runtime> {
  const config = loadConfig({
    // Port 0: each runtime's HTTP server (the modern era) takes a free port of its own.
    env: { HOSTAWAY_READ_ONLY: options.readOnly ? 'true' : undefined, MCP_HTTP_PORT: '0', ...options.env },
    envFile: '/dev/null',
  });
  return createRuntime(config, {
    writeStore: options.writeStore,
    clock: options.clock,
    metrics: options.metrics ? { defaultMetrics: false } : undefined,
    logger: options.logger ?? silentLogger,
    sandbox: { now: options.now ?? TEST_NOW, rateLimits: false },
    client: { limits: NO_LIMITS, retries: FAST_RETRIES, ...options.client },
  });
}

export type Era = 'legacy (in-memory)' | 'modern (HTTP over a socket)';
export const ERAS: Era[] = ['legacy (in-memory)', 'modern (HTTP over a socket)'];

/**
 * An SDK client talking to the server: the 2025 era over the in-memory transport; the 2026 era over
 * Streamable HTTP to the real HTTP server on a loopback socket, through its Host, Origin and body guards.
 */
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
  const http = await startHttpServer(runtime);
  const transport = new StreamableHTTPClientTransport(new URL(http.url));
  const client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await client.close();
      await http.close();
    },
  };
}

/** Valid arguments for every tool, chosen to exercise it on the seeded account. */
export const VALID_ARGS: Record<string, Record<string, unknown>> = {
  hostaway_connection_status: {},
  hostaway_search_listings: { query: 'beach' },
  hostaway_get_listing: { listingId: 40160 },
  hostaway_get_availability: { listingId: 40160, startDate: '2026-12-01', endDate: '2026-12-31' },
  hostaway_find_available_listings: { checkIn: '2026-12-08', checkOut: '2026-12-11', guests: 2 },
  hostaway_availability_calendar: { month: '2026-12' },
  hostaway_update_calendar: {
    listingId: 40160,
    ranges: [{ startDate: '2026-12-05', endDate: '2026-12-06' }],
    set: { price: 250 },
  },
  hostaway_search_reservations: { arrivalFrom: '2026-11-25', arrivalTo: '2026-11-25' },
  hostaway_get_reservation: { reservationId: 1000001 },
  hostaway_operations_brief: { from: '2026-11-25', to: '2026-11-27' },
  hostaway_balances_due: { from: 'today', to: '+30' },
  hostaway_list_conversations: { waitingOnly: true },
  hostaway_get_conversation: { conversationId: 200001 },
  hostaway_inbox_triage: { limit: 5 },
  hostaway_list_message_templates: { reservationId: 1000001 },
  hostaway_send_message: { conversationId: 200001, text: 'Hello from the test suite' },
  hostaway_create_task: { title: 'Fix the porch light', listingId: 40160, start: '2026-12-02 10:30' },
  hostaway_update_task: { taskId: 70003, assigneeUserId: 12, status: 'confirmed', due: '2026-11-30 12:00' },
  hostaway_delete_task: { taskId: 70004 },
  hostaway_list_tasks: { status: 'pending', canStartFromStart: '2026-11-25', canStartFromEnd: '2026-12-08' },
  hostaway_list_reviews: { departedFrom: '2026-01-01', departedTo: '2026-11-25' },
  hostaway_finance_report: { from: '2026-10-01', to: '2026-10-31' },
  hostaway_portfolio_metrics: {
    from: '2026-10-01',
    to: '2026-10-31',
    listingIds: [40160, 40161],
    paceMonths: 2,
  },
  hostaway_find_gaps: { days: 30, limit: 5 },
  hostaway_recent_changes: {},
  hostaway_whats_new: { hours: 48 },
  // A preview of an undo: no change has this id, so it answers why it cannot undo it (status blocked).
  hostaway_undo_change: { changeId: 'cf_AAAAAAAAAAAAAAAAAAAAAA' },
};

/**
 * A demo runtime pinned at `now` and an SDK client on it for one describe block: the sandbox's store
 * (the oracle), a listing's zone, and a tool call that throws on a tool error and returns its
 * structured answer.
 */
export function useTestServer(now: string) {
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  beforeAll(async () => {
    runtime = await startTestRuntime({ now });
    ({ client, close } = await connect(runtime, 'legacy (in-memory)'));
  });
  afterAll(async () => {
    await close();
    await runtime.close();
  });
  const store = () => (runtime.sandbox as NonNullable<Runtime['sandbox']>).store();
  return {
    runtime: () => runtime,
    client: () => client,
    store,
    zoneOf: (listingId: number) => store().listing(listingId).timeZoneName as string,
    call: async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(JSON.stringify(r.content));
      return r.structuredContent as T;
    },
  };
}
