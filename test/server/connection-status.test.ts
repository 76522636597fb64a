/**
 * The connection status tells the truth: it proves the credentials with a token and one request (kept
 * for 30 s), says why a live account fails, and gives the date and time in every zone the listings use.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { FAST_RETRIES, NO_LIMITS } from '../helpers/client.js';
import { connect, startTestRuntime } from '../helpers/server.js';

interface Status {
  mode: string;
  connection: { state: string; reason: string | null; checkedAt: string; ms: number | null };
  nowUtc: string;
  clocks: Array<{ timeZone: string; date: string; time: string; listings: number }>;
}

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

/** A live-mode server whose "Hostaway" is a sandbox, with the API key given. */
async function liveServer(apiKey: string, now = '2026-11-25T12:00:00Z') {
  const sandbox: Sandbox = await startSandbox({
    now,
    rateLimits: false,
    clientSecret: 'right-key-0123456789',
  });
  const config = loadConfig({
    env: {
      HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
      HOSTAWAY_API_KEY: apiKey,
      HOSTAWAY_BASE_URL: sandbox.url,
      HOSTAWAY_TOKEN_FILE: '/dev/null/none',
    },
    envFile: '/dev/null',
  });
  const runtime: Runtime = await createRuntime(config, {
    logger: silentLogger,
    now: () => Date.parse(now),
    client: { limits: NO_LIMITS, retries: FAST_RETRIES, token: { activationDelayMs: 0, file: undefined } },
  });
  const { client, close } = await connect(runtime, 'legacy (in-memory)');
  opened.push(
    () => sandbox.close(),
    () => runtime.close(),
    close,
  );
  return { sandbox, client, runtime };
}

const status = async (client: Client) => {
  const r = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
  expect(r.isError).toBeFalsy();
  return {
    out: r.structuredContent as unknown as Status,
    text: (r.content as Array<{ text: string }>).map((c) => c.text).join('\n'),
  };
};

describe('connection status', () => {
  it('a working live account is live-ok, and a second look within 30 s sends nothing', async () => {
    const { sandbox, client } = await liveServer('right-key-0123456789');
    const { out } = await status(client);
    expect(out.mode).toBe('live');
    expect(out.connection).toMatchObject({ state: 'live-ok', reason: null });
    const probes = () =>
      sandbox.requests.list().filter((e) => e.path === '/v1/listings' && /[?&]limit=1(&|$)/.test(e.query))
        .length;
    expect(probes()).toBe(1);
    expect(sandbox.requests.list().filter((e) => e.path === '/v1/accessTokens')).toHaveLength(1);
    await status(client);
    expect(probes()).toBe(1);
  });

  it('a wrong API key is live-failing, with the reason, and the tool still answers', async () => {
    const { client } = await liveServer('wrong-key-0123456789');
    const { out, text } = await status(client);
    expect(out.connection.state).toBe('live-failing');
    expect(out.connection.reason).toMatch(/refused to issue an access token \(HTTP 401/);
    expect(out.connection.ms).toBeNull();
    expect(text).toMatch(/connection: live-failing: Hostaway refused/);
    expect(text).not.toContain('wrong-key-0123456789');
  });

  it('a Hostaway that answers 503 is live-failing with that reason', async () => {
    const { sandbox, client } = await liveServer('right-key-0123456789');
    sandbox.faults.add({ kind: 'status', status: 503, path: '/v1/listings' });
    const { out } = await status(client);
    expect(out.connection.state).toBe('live-failing');
    expect(out.connection.reason).toMatch(/Hostaway is having trouble \(HTTP 503\)/);
  });

  it("gives each listing zone's own date and time, where US zones and UTC disagree", async () => {
    // 03:30 UTC on the 29th is still the evening of the 28th across the United States.
    const { sandbox, client } = await liveServer('right-key-0123456789', '2026-11-29T03:30:00Z');
    const { out, text } = await status(client);
    expect(out.nowUtc).toBe('2026-11-29T03:30:00.000Z');
    const counts = new Map<string, number>();
    for (const l of sandbox.store().allListings())
      counts.set(l.timeZoneName as string, (counts.get(l.timeZoneName as string) ?? 0) + 1);
    expect(new Map(out.clocks.map((c) => [c.timeZone, c.listings]))).toEqual(counts);
    const offsets: Record<string, number> = {
      'America/New_York': -5,
      'America/Chicago': -6,
      'America/Denver': -7,
      'America/Phoenix': -7,
      'America/Los_Angeles': -8,
      'Pacific/Honolulu': -10,
    };
    for (const c of out.clocks) {
      const offset = offsets[c.timeZone];
      expect(offset, `a zone the test knows: ${c.timeZone}`).toBeDefined();
      // In late November none of these zones is on daylight time.
      const local = new Date(Date.parse('2026-11-29T03:30:00Z') + (offset as number) * 3_600_000);
      expect(c.date).toBe(local.toISOString().slice(0, 10));
      expect(c.time).toBe(local.toISOString().slice(11, 16));
      expect(c.date).toBe('2026-11-28');
    }
    expect(text).toMatch(/2026-11-28 22:30 in America\/New_York/);
    expect(text).toMatch(/2026-11-29T03:30:00\.000Z \(UTC\)/);
  });

  it('demo mode says demo', async () => {
    const runtime = await startTestRuntime();
    const { client, close } = await connect(runtime, 'legacy (in-memory)');
    opened.push(() => runtime.close(), close);
    const { out, text } = await status(client);
    expect(out.connection.state).toBe('demo');
    expect(text).toMatch(/^DEMO MODE/);
  });
});
