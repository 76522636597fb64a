/**
 * `hostaway-mcp webhook register|list|remove`: against a sandbox in live mode (the command's function,
 * then the built CLI across separate runs), and in demo mode; what it refuses, before any request.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebhookCommand, webhookUrl } from '../../src/cli-webhooks.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { FAST_RETRIES, NO_LIMITS } from '../helpers/client.js';
import { json, mintToken, TEST_NOW } from '../helpers/sandbox.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const CREDS = { HOSTAWAY_WEBHOOK_LOGIN: 'hostaway', HOSTAWAY_WEBHOOK_PASSWORD: 'receiver-secret-1' };

function liveEnv(sandbox: Sandbox): Record<string, string> {
  return {
    HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
    HOSTAWAY_API_KEY: sandbox.clientSecret,
    HOSTAWAY_BASE_URL: sandbox.url,
    HOSTAWAY_TOKEN_FILE: '/dev/null/none',
    HOSTAWAY_WRITE_STORE: 'memory',
  };
}

describe('webhookUrl', () => {
  it('adds the receiver path to a bare origin and keeps a given path', () => {
    expect(webhookUrl('https://mcp.example.com')).toEqual({
      url: 'https://mcp.example.com/webhooks/hostaway',
    });
    expect(webhookUrl('https://mcp.example.com/')).toEqual({
      url: 'https://mcp.example.com/webhooks/hostaway',
    });
    expect(webhookUrl('https://mcp.example.com/in/hook')).toEqual({ url: 'https://mcp.example.com/in/hook' });
    expect(webhookUrl('http://localhost:3000')).toEqual({ url: 'http://localhost:3000/webhooks/hostaway' });
    expect(webhookUrl('http://127.0.0.1:3000/x')).toEqual({ url: 'http://127.0.0.1:3000/x' });
  });

  it('refuses plain http off the loopback, other schemes, credentials in the URL and non-URLs', () => {
    expect(webhookUrl('http://mcp.example.com')).toMatchObject({
      problem: expect.stringMatching(/plain http/),
    });
    expect(webhookUrl('ftp://mcp.example.com')).toMatchObject({
      problem: expect.stringMatching(/https URL/),
    });
    expect(webhookUrl('https://u:p@mcp.example.com')).toMatchObject({
      problem: expect.stringMatching(/--login/),
    });
    expect(webhookUrl('mcp.example.com')).toMatchObject({ problem: expect.stringMatching(/not a URL/) });
  });
});

describe('hostaway-mcp webhook, against a sandbox (live mode)', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, webhooks: { timeScale: 0.001 } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const run = async (args: string[], env: Record<string, string> = CREDS) => {
    const out: string[] = [];
    const err: string[] = [];
    const config = loadConfig({ env: liveEnv(sandbox), envFile: '/dev/null' });
    const code = await runWebhookCommand(
      config,
      args,
      (t) => out.push(t),
      (t) => err.push(t),
      env,
      {
        logger: silentLogger,
        client: {
          limits: NO_LIMITS,
          retries: FAST_RETRIES,
          token: { activationDelayMs: 0, file: undefined },
        },
      },
    );
    return { code, out: out.join(''), err: err.join('') };
  };
  const stored = () => sandbox.webhooks.list(sandbox.accountId);

  it('registers with the login and password from the environment, then updates the same URL in place', async () => {
    const first = await run(['register', '--url', 'https://mcp.example.com']);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(
      /^registered unified webhook \d+: https:\/\/mcp\.example\.com\/webhooks\/hostaway/,
    );
    expect(first.out).not.toContain('receiver-secret-1');
    expect(stored()).toMatchObject([
      {
        url: 'https://mcp.example.com/webhooks/hostaway',
        login: 'hostaway',
        password: 'receiver-secret-1',
        isEnabled: 1,
      },
    ]);
    const again = await run([
      'register',
      '--url',
      'https://mcp.example.com/webhooks/hostaway',
      '--alert-email',
      'ops@example.com',
      '--password',
      'rotated-secret-2',
    ]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^updated unified webhook/);
    expect(stored()).toMatchObject([
      { alertingEmailAddress: 'ops@example.com', password: 'rotated-secret-2' },
    ]);
  });

  it('lists without ever printing a password', async () => {
    const text = await run(['list']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /\tenabled\thttps:\/\/mcp\.example\.com\/webhooks\/hostaway\tauth: hostaway\talerts: ops@example\.com/,
    );
    const asJson = await run(['list', '--json']);
    const hooks = JSON.parse(asJson.out) as Array<Record<string, unknown>>;
    expect(hooks[0]).toMatchObject({ hasPassword: true, login: 'hostaway' });
    expect(hooks[0]).not.toHaveProperty('password');
    for (const o of [text.out, asJson.out]) expect(o).not.toMatch(/rotated-secret|\*\*\*\*/);
  });

  it('the registered webhook receives deliveries with its Basic auth', async () => {
    const r = await run(['register', '--url', receiver.origin]);
    expect(r.code).toBe(0);
    const token = await mintToken(sandbox);
    const res = await fetch(`${sandbox.url}/reservations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json({
        channelId: 2000,
        listingMapId: 40160,
        arrivalDate: '2028-09-01',
        departureDate: '2028-09-03',
      }).body as string,
    });
    expect(res.status).toBe(200);
    const [got] = await receiver.waitFor(1);
    expect(got!.path).toBe('/webhooks/hostaway');
    expect(got!.headers.authorization).toBe(
      `Basic ${Buffer.from('hostaway:receiver-secret-1').toString('base64')}`,
    );
    expect(got!.body.event).toBe('reservation.created');
  });

  it('removes by id or by URL; an unknown one is a failure', async () => {
    const byUrl = await run(['remove', '--url', 'https://mcp.example.com']);
    expect(byUrl).toMatchObject({ code: 0 });
    expect(byUrl.out).toMatch(/^removed unified webhook \d+/);
    const [left] = stored();
    expect(await run(['remove', String(left!.id)])).toMatchObject({ code: 0 });
    expect(stored()).toEqual([]);
    const missing = await run(['remove', '999']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/unified webhook 999 was not found/i);
    expect((await run(['remove', '--url', 'https://nowhere.example.com'])).code).toBe(1);
    expect((await run(['list'])).out).toBe('no unified webhooks registered\n');
  });

  it('refuses before sending anything: no credentials, plain http, and usage errors', async () => {
    const before = sandbox.requests.lastSeq;
    const bare = await run(['register', '--url', 'https://mcp.example.com'], {});
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(/HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD/);
    const plain = await run(['register', '--url', 'http://mcp.example.com']);
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/refusing plain http/);
    expect((await run([])).code).toBe(2);
    expect((await run(['enable'])).code).toBe(2);
    expect((await run(['register'])).code).toBe(2);
    expect((await run(['remove'])).code).toBe(2);
    expect((await run(['remove', '1', '--url', 'https://x.example.com'])).code).toBe(2);
    expect((await run(['remove', 'abc'])).code).toBe(2);
    expect((await run(['list', '--colour'])).code).toBe(2);
    expect((await run(['list', '--account', 'other'])).code).toBe(2);
    expect(sandbox.requests.list(before)).toEqual([]);
  });
});

const exec = promisify(execFile);

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['dist/cli.js', 'webhook', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the built CLI', () => {
  it('in demo mode registers on the built-in sandbox and says it ends with the command', async () => {
    const r = await cli(['register', '--url', 'http://localhost:8080'], CREDS);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'registered unified webhook 1: http://localhost:8080/webhooks/hostaway (Basic auth as hostaway)\n',
    );
    expect(r.stderr).toMatch(/^demo mode: /);
    const refused = await cli(['register', '--url', 'https://mcp.example.com'], {});
    expect(refused.code).toBe(1);
  }, 30_000);

  it('against a running sandbox, one run registers and the next lists and removes', async () => {
    const sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    try {
      const env = { ...liveEnv(sandbox), ...CREDS };
      const reg = await cli(['register', '--url', 'https://mcp.example.com'], env);
      expect(reg).toMatchObject({ code: 0, stderr: '' });
      const listed = await cli(['list'], env);
      expect(listed.stdout).toMatch(
        /^1\tenabled\thttps:\/\/mcp\.example\.com\/webhooks\/hostaway\tauth: hostaway\n$/,
      );
      expect((await cli(['remove', '1'], env)).code).toBe(0);
      expect(sandbox.webhooks.list(sandbox.accountId)).toEqual([]);
    } finally {
      await sandbox.close();
    }
  }, 30_000);
});
