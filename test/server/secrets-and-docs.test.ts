import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { TOOLS } from '../../src/tools/index.js';
import { capturedLogger, FAST_RETRIES, NO_LIMITS } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import { connect } from '../helpers/server.js';

const API_KEY = 'live-mode-api-key-3f9a7c1e';

describe('live mode with known credentials: no secret in any answer, error or log line', () => {
  let sandbox: Sandbox;
  let runtime: Runtime;
  const log = capturedLogger('debug');
  beforeAll(async () => {
    // A "live" account: real credentials pointing at a sandbox, as a user's would point at Hostaway.
    sandbox = await startSandbox({
      now: TEST_NOW,
      rateLimits: false,
      clientSecret: API_KEY,
      accountId: 987654,
    });
    const config = loadConfig({
      env: {
        HOSTAWAY_ACCOUNT_ID: '987654',
        HOSTAWAY_API_KEY: API_KEY,
        HOSTAWAY_BASE_URL: sandbox.url,
        HOSTAWAY_TOKEN_FILE: '/dev/null/none',
        HOSTAWAY_WRITES: 'true',
        MCP_HTTP_PORT: '0',
      },
      envFile: '/dev/null',
    });
    expect(config.mode).toBe('live');
    runtime = await createRuntime(config, {
      writeStore: { kind: 'memory' },
      logger: log.logger,
      client: { limits: NO_LIMITS, retries: FAST_RETRIES, token: { activationDelayMs: 0, file: undefined } },
    });
  });
  afterAll(async () => {
    await runtime.close();
    await sandbox.close();
  });

  it('every tool, on success and on failure', async () => {
    const { client, close } = await connect(runtime, 'modern (HTTP over a socket)');
    const answers: string[] = [];
    const args: Record<string, Record<string, unknown>> = {
      hostaway_get_listing: { listingId: 40160, detail: 'full' },
      hostaway_get_availability: { listingId: 40160, startDate: '2026-12-01', endDate: '2026-12-05' },
      hostaway_find_available_listings: { checkIn: '2027-03-08', checkOut: '2027-03-11' },
      hostaway_get_reservation: { reservationId: 1000001, detail: 'full' },
      hostaway_get_conversation: { conversationId: 200001 },
      hostaway_send_message: { conversationId: 200001, text: 'See you soon' },
      hostaway_finance_report: { from: '2026-10-01', to: '2026-10-31' },
    };
    for (const def of TOOLS)
      answers.push(
        JSON.stringify(await client.callTool({ name: def.name, arguments: args[def.name] ?? {} })),
      );
    sandbox.auth.revokeAll();
    // A read that is not cached, so that it meets the revoked token and mints a new one.
    answers.push(
      JSON.stringify(
        await client.callTool({ name: 'hostaway_search_listings', arguments: { city: 'Austin' } }),
      ),
    );
    sandbox.faults.add({ kind: 'status', status: 503 });
    runtime.client.clearCache();
    for (const def of TOOLS)
      answers.push(
        JSON.stringify(await client.callTool({ name: def.name, arguments: args[def.name] ?? {} })),
      );
    sandbox.faults.clear();
    await close();

    const tokens = sandbox.requests.list().filter((e) => e.path === '/v1/accessTokens');
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const everything = [...answers, ...log.lines].join('\n');
    expect(answers.some((a) => a.includes('"isError":true'))).toBe(true);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(everything).not.toMatch(/Bearer [\w.-]{20,}/);
  });
});

describe('documentation', () => {
  it('the README lists every tool', async () => {
    const readme = await readFile('README.md', 'utf8');
    for (const def of TOOLS) expect(readme).toContain(`\`${def.name}\``);
  });
});
