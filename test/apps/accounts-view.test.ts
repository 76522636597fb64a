/**
 * Views on a server with several accounts, where every tool call must name one: the calendar's next
 * month and the inbox's preview and send stay on the account the model's call named, and reach only
 * that account's sandbox (two sandboxes over real HTTP, named in an accounts file).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { FAST_RETRIES, NO_LIMITS } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import { type AppHost, launchBrowser, openAppHost } from './host.js';

const REPLY = 'Porto here: the parking spot is number 4.';

let dir: string;
let lisbon: Sandbox;
let porto: Sandbox;
let runtime: Runtime;
let browser: Browser;
let host: AppHost;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostaway-views-accounts-'));
  const sandbox = (accountId: number, clientSecret: string) =>
    startSandbox({ port: 0, now: TEST_NOW, rateLimits: false, accountId, clientSecret });
  lisbon = await sandbox(11111, 'lisbon-secret-key-0001');
  porto = await sandbox(22222, 'porto-secret-key-00002');
  const accounts = [];
  for (const [name, s] of [
    ['lisbon', lisbon],
    ['porto', porto],
  ] as const) {
    await writeFile(join(dir, `${name}-key`), s.clientSecret);
    accounts.push({
      name,
      accountId: String(s.accountId),
      apiKeyFile: join(dir, `${name}-key`),
      baseUrl: s.url,
    });
  }
  await writeFile(join(dir, 'accounts.json'), JSON.stringify({ accounts }));
  const config = loadConfig({
    env: {
      HOSTAWAY_ACCOUNTS_FILE: join(dir, 'accounts.json'),
      MCP_HTTP_PORT: '0',
      HOSTAWAY_WRITES: 'true',
    },
    envFile: '/dev/null',
  });
  runtime = await createRuntime(config, {
    logger: silentLogger,
    writeStore: { kind: 'memory' },
    client: { limits: NO_LIMITS, retries: FAST_RETRIES, token: { activationDelayMs: 0, file: undefined } },
  });
  browser = await launchBrowser();
  host = await openAppHost(runtime, browser);
}, 60_000);

afterAll(async () => {
  await host?.close();
  await browser?.close();
  await runtime?.close();
  await lisbon?.close();
  await porto?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('views with several accounts', () => {
  it("the calendar's next month asks the same account", async () => {
    const { view, result } = await host.show('hostaway_availability_calendar', {
      account: 'porto',
      month: '2026-12',
    });
    expect(result.isError).toBeFalsy();
    host.calls.length = 0;
    const since = [lisbon.requests.lastSeq, porto.requests.lastSeq] as const;
    await view.getByRole('button', { name: 'Next month' }).click();
    await expect.poll(() => host.calls.length).toBe(1);
    const [call] = host.calls;
    expect(call!.arguments).toMatchObject({ account: 'porto', month: '2027-01' });
    expect(call!.result.isError).toBeFalsy();
    await expect.poll(() => view.locator('strong').first().textContent()).toBe('2027-01-01 to 2027-01-31');
    expect(porto.requests.list(since[1]).some((e) => e.path.includes('/calendar'))).toBe(true);
    expect(lisbon.requests.list(since[0])).toEqual([]);
  });

  it("the inbox previews and sends a reply in the triage's account, and only there", async () => {
    const { view, result } = await host.show('hostaway_inbox_triage', { account: 'porto', limit: 3 });
    expect(result.isError).toBeFalsy();
    const waiting = (result.structuredContent as { waiting: Array<{ conversationId: number }> }).waiting;
    const conversationId = waiting[0]!.conversationId;
    const card = view.locator(`article[data-conversation="${conversationId}"]`);
    const replies = (s: Sandbox) =>
      s
        .store()
        .conversationMessages(conversationId, false)
        .filter((m) => m.body === REPLY);
    host.calls.length = 0;

    await card.locator('textarea').fill(REPLY);
    await card.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('preview');
    await card.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => card.locator('[data-status]').getAttribute('data-status')).toBe('done');

    expect(host.calls.map((c) => c.arguments.account)).toEqual(['porto', 'porto']);
    expect(replies(porto)).toHaveLength(1);
    expect(replies(lisbon)).toEqual([]);
  });
});
