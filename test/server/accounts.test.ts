/**
 * Several Hostaway accounts in one server, end to end: two sandboxes (accounts 11111 and 22222) over
 * real HTTP, named in an accounts file whose keys sit in files of their own; the server over HTTP with
 * named tokens, one of them limited to one account.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccountsFile } from '../../src/accounts.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type HttpServerHandle, startHttpServer } from '../../src/server/http.js';
import { createRuntime, type Runtime } from '../../src/server/runtime.js';
import { FAST_RETRIES, maxInWindow, NO_LIMITS } from '../helpers/client.js';
import { until } from '../helpers/live.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const ALL_TOKEN = 'all-accounts-token-0123456789';
const LISBON_TOKEN = 'lisbon-only-token-0123456789';
const PORTO_TOKEN = 'porto-only-token-01234567890';

let dir: string;
let lisbon: Sandbox;
let porto: Sandbox;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostaway-accounts-'));
  lisbon = await startSandbox({
    port: 0,
    now: TEST_NOW,
    rateLimits: false,
    accountId: 11111,
    clientSecret: 'lisbon-secret-key-0001',
  });
  porto = await startSandbox({
    port: 0,
    now: TEST_NOW,
    rateLimits: false,
    accountId: 22222,
    clientSecret: 'porto-secret-key-00002',
  });
  await writeFile(join(dir, 'lisbon-key'), `${lisbon.clientSecret}\n`);
  await writeFile(join(dir, 'porto-key'), porto.clientSecret);
  await writeFile(join(dir, 'empty-key'), '  \n');
});
afterAll(async () => {
  await lisbon.close();
  await porto.close();
  await rm(dir, { recursive: true, force: true });
});

async function accountsFile(name: string, accounts: unknown[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify({ accounts }));
  return file;
}

const entry = (name: string, sandbox: Sandbox, key: string) => ({
  name,
  accountId: String(sandbox.accountId),
  apiKeyFile: join(dir, key),
  baseUrl: sandbox.url,
});

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('the accounts file', () => {
  it('reads each account, its key from its own file', async () => {
    const file = await accountsFile('two.json', [
      entry('lisbon', lisbon, 'lisbon-key'),
      entry('porto', porto, 'porto-key'),
    ]);
    const config = loadConfig({ env: { HOSTAWAY_ACCOUNTS_FILE: file }, envFile: '/dev/null' });
    expect(config.mode).toBe('live');
    expect(config.accounts.map((a) => [a.name, a.accountId, a.apiKey])).toEqual([
      ['lisbon', '11111', lisbon.clientSecret],
      ['porto', '22222', porto.clientSecret],
    ]);
    // The first account stays the client's, so code that knows one account keeps working.
    expect(config.client).toMatchObject({ accountId: '11111', apiKey: lisbon.clientSecret });
    expect(config.accounts[0]?.tokenFile).not.toBe(config.accounts[1]?.tokenFile);
  });

  it('names the file and the entry for each problem, never a key', () => {
    const found = parseAccountsFile(
      JSON.stringify({
        accounts: [
          { name: 'Lisbon!', accountId: '1', apiKeyFile: join(dir, 'lisbon-key') },
          { name: 'a', accountId: 'abc', apiKeyFile: join(dir, 'lisbon-key') },
          { name: 'b', accountId: '2', apiKeyFile: join(dir, 'missing') },
          { name: 'c', accountId: '3', apiKeyFile: join(dir, 'empty-key') },
          { name: 'd', accountId: '4', apiKeyFile: join(dir, 'porto-key'), apiKey: 'x' },
          { name: 'e', accountId: '5', apiKeyFile: join(dir, 'porto-key') },
          { name: 'e', accountId: '6', apiKeyFile: join(dir, 'porto-key') },
          { name: 'f', accountId: '5', apiKeyFile: join(dir, 'porto-key') },
        ],
      }),
      'accounts.json',
    );
    expect(found.ok).toBe(false);
    const text = found.ok ? '' : found.problems.join('\n');
    expect(text).toMatch(/HOSTAWAY_ACCOUNTS_FILE \(accounts\.json\): accounts\[0\]: name must be/);
    expect(text).toMatch(/accounts\[1\] "a": accountId must be the numeric account id/);
    expect(text).toMatch(/accounts\[2\] "b": cannot read its apiKeyFile .*ENOENT/);
    expect(text).toMatch(/accounts\[3\] "c": its apiKeyFile .* is empty/);
    expect(text).toMatch(/accounts\[4\] "d": unknown field\(s\) apiKey/);
    expect(text).toMatch(
      /accounts\[6\] "e": the name is also used by accounts\[4\]|accounts\[6\] "e": the name is also used by accounts\[5\]/,
    );
    expect(text).toMatch(/accounts\[7\] "f": account 5 is also "e"/);
    expect(text).not.toContain(lisbon.clientSecret);
    expect(text).not.toContain(porto.clientSecret);
    expect(parseAccountsFile('{"accounts": []}', 'x.json')).toEqual({
      ok: false,
      problems: ['HOSTAWAY_ACCOUNTS_FILE (x.json): accounts is empty'],
    });
  });

  it('is one way or the other: the accounts file, or one account from the environment', async () => {
    const file = await accountsFile('one.json', [entry('lisbon', lisbon, 'lisbon-key')]);
    const found = problems(() =>
      loadConfig({
        env: { HOSTAWAY_ACCOUNTS_FILE: file, HOSTAWAY_ACCOUNT_ID: '1', HOSTAWAY_API_KEY: 'k'.repeat(20) },
        envFile: '/dev/null',
      }),
    );
    expect(found.join('\n')).toMatch(/HOSTAWAY_ACCOUNTS_FILE is set and so is HOSTAWAY_ACCOUNT_ID/);
    expect(
      problems(() =>
        loadConfig({ env: { HOSTAWAY_ACCOUNTS_FILE: join(dir, 'nope.json') }, envFile: '/dev/null' }),
      )[0],
    ).toMatch(/HOSTAWAY_ACCOUNTS_FILE: cannot read .*ENOENT/);
    // The environment's single account is the one named "default".
    const single = loadConfig({
      env: { HOSTAWAY_ACCOUNT_ID: '12345', HOSTAWAY_API_KEY: 'k'.repeat(40) },
      envFile: '/dev/null',
    });
    expect(single.accounts.map((a) => a.name)).toEqual(['default']);
  });

  it('a token may be limited only to accounts the server serves', async () => {
    const file = await accountsFile('one-b.json', [entry('lisbon', lisbon, 'lisbon-key')]);
    const tokens = join(dir, 'bad-tokens.json');
    await writeFile(
      tokens,
      JSON.stringify({ tokens: [{ name: 'x', token: ALL_TOKEN, scopes: ['read'], accounts: ['faro'] }] }),
    );
    expect(
      problems(() =>
        loadConfig({ env: { HOSTAWAY_ACCOUNTS_FILE: file, MCP_TOKENS_FILE: tokens }, envFile: '/dev/null' }),
      ).join('\n'),
    ).toMatch(/token "x" names accounts this server does not serve \(faro\)/);
  });
});

async function runtimeFor(file: string, env: Record<string, string> = {}): Promise<Runtime> {
  const config = loadConfig({
    env: { HOSTAWAY_ACCOUNTS_FILE: file, MCP_HTTP_PORT: '0', HOSTAWAY_WRITES: 'true', ...env },
    envFile: '/dev/null',
  });
  return createRuntime(config, {
    logger: silentLogger,
    writeStore: { kind: 'memory' },
    client: {
      limits: NO_LIMITS,
      retries: FAST_RETRIES,
      token: { activationDelayMs: 0, file: undefined },
    },
  });
}

async function mcpClient(http: HttpServerHandle, token: string): Promise<Client> {
  const client = new Client({ name: 'accounts-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

type Props = { properties?: Record<string, { enum?: string[]; type?: string }>; required?: string[] };
const text = (r: Awaited<ReturnType<Client['callTool']>>) =>
  (r.content as Array<{ text: string }>).map((c) => c.text).join('\n');

describe('two accounts in one server', () => {
  let runtime: Runtime;
  let http: HttpServerHandle;
  let all: Client;
  let lisbonOnly: Client;
  beforeAll(async () => {
    const file = await accountsFile('server.json', [
      entry('lisbon', lisbon, 'lisbon-key'),
      entry('porto', porto, 'porto-key'),
    ]);
    const tokens = join(dir, 'tokens.json');
    await writeFile(
      tokens,
      JSON.stringify({
        tokens: [
          { name: 'office', token: ALL_TOKEN, scopes: ['read', 'write'] },
          { name: 'lisbon-desk', token: LISBON_TOKEN, scopes: ['read', 'write'], accounts: ['lisbon'] },
          { name: 'porto-desk', token: PORTO_TOKEN, scopes: ['read'], accounts: ['porto'] },
        ],
      }),
    );
    runtime = await runtimeFor(file, { MCP_TOKENS_FILE: tokens });
    http = await startHttpServer(runtime);
    all = await mcpClient(http, ALL_TOKEN);
    lisbonOnly = await mcpClient(http, LISBON_TOKEN);
  });
  afterAll(async () => {
    await all.close();
    await lisbonOnly.close();
    await http.close();
    await runtime.close();
  });

  it('every tool takes a required account, one of the names the caller may use', async () => {
    const { tools } = await all.listTools();
    expect(tools.length).toBeGreaterThan(5);
    for (const tool of tools) {
      const schema = tool.inputSchema as Props;
      expect(schema.properties?.account).toMatchObject({ type: 'string', enum: ['lisbon', 'porto'] });
      expect(schema.required).toContain('account');
    }
    const limited = await lisbonOnly.listTools();
    for (const tool of limited.tools)
      expect((tool.inputSchema as Props).properties?.account?.enum).toEqual(['lisbon']);
    // No secret in any argument: the schemas name accounts, never keys.
    expect(JSON.stringify(tools)).not.toContain(lisbon.clientSecret);
  });

  it("a call for each account reaches that account's sandbox and no other", async () => {
    for (const [name, mine, other] of [
      ['lisbon', lisbon, porto],
      ['porto', porto, lisbon],
    ] as const) {
      const [mineBefore, otherBefore] = [mine.requests.lastSeq, other.requests.lastSeq];
      const r = await all.callTool({
        name: 'hostaway_search_listings',
        arguments: { account: name, limit: 2 },
      });
      expect(r.isError, text(r)).toBeFalsy();
      expect(mine.requests.list(mineBefore).some((e) => e.path.includes('/listings'))).toBe(true);
      expect(other.requests.list(otherBefore)).toEqual([]);
    }
  });

  it('refuses a call without an account, or with one it does not serve, as bad arguments', async () => {
    const before = [lisbon.requests.lastSeq, porto.requests.lastSeq];
    const none = await all.callTool({ name: 'hostaway_search_listings', arguments: { limit: 2 } });
    expect(none.isError).toBe(true);
    expect(text(none)).toMatch(
      /Invalid arguments for hostaway_search_listings: account: .*"lisbon", "porto"/,
    );
    const wrong = await all.callTool({
      name: 'hostaway_search_listings',
      arguments: { account: 'faro', limit: 2 },
    });
    expect(text(wrong)).toMatch(/account: "faro" is not an account you may use here/);
    // A token limited to lisbon cannot reach porto over MCP either.
    const denied = await lisbonOnly.callTool({
      name: 'hostaway_search_listings',
      arguments: { account: 'porto', limit: 2 },
    });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/"porto" is not an account you may use here: use one of "lisbon"/);
    expect([lisbon.requests.lastSeq, porto.requests.lastSeq]).toEqual(before);
  });

  it('a write previewed for one account cannot be confirmed for the other', async () => {
    const args = { conversationId: 200005, text: 'See you at check-in' };
    const preview = await all.callTool({
      name: 'hostaway_send_message',
      arguments: { account: 'lisbon', ...args },
    });
    expect(preview.isError, text(preview)).toBeFalsy();
    const { confirmationId } = preview.structuredContent as { confirmationId: string };
    expect(confirmationId).toMatch(/^cf_/);
    const before = [lisbon.requests.lastSeq, porto.requests.lastSeq];
    const moved = await all.callTool({
      name: 'hostaway_send_message',
      arguments: { account: 'porto', ...args, confirmationId },
    });
    expect(moved.isError).toBe(true);
    expect(text(moved)).toMatch(/another account than "porto"\. Nothing was changed/);
    const sent = (s: Sandbox, since: number) => s.requests.list(since).filter((e) => e.method === 'POST');
    expect(sent(lisbon, before[0] as number)).toEqual([]);
    expect(sent(porto, before[1] as number).filter((e) => !e.path.includes('accessTokens'))).toEqual([]);
    // For its own account it commits, once; the audit log names the account.
    const done = await all.callTool({
      name: 'hostaway_send_message',
      arguments: { account: 'lisbon', ...args, confirmationId },
    });
    expect(done.isError, text(done)).toBeFalsy();
    expect((done.structuredContent as { status: string }).status).toBe('done');
    expect(sent(lisbon, before[0] as number).some((e) => e.path.includes('/messages'))).toBe(true);
    const log = await all.callTool({
      name: 'hostaway_recent_changes',
      arguments: { account: 'lisbon', changeId: confirmationId },
    });
    expect(text(log)).toContain('lisbon');
    const entries = (log.structuredContent as { entries: Array<{ action: string; detail: unknown }> })
      .entries;
    expect(entries.find((e) => e.action === 'refused')).toBeDefined();
    expect(JSON.stringify(entries.find((e) => e.action === 'refused'))).toContain('porto');
    // Nor is a change undone from the other account.
    const undo = await all.callTool({
      name: 'hostaway_undo_change',
      arguments: { account: 'porto', changeId: confirmationId },
    });
    expect(JSON.stringify(undo)).toMatch(/made in the account \\"lisbon\\", not \\"porto\\"/);
  });

  it('resources read the first account the caller may use, never another', async () => {
    const portoOnly = await mcpClient(http, PORTO_TOKEN);
    try {
      const since = [lisbon.requests.lastSeq, porto.requests.lastSeq] as const;
      const { resources } = await portoOnly.listResources();
      expect(resources.length).toBeGreaterThan(0);
      expect(lisbon.requests.list(since[0])).toEqual([]);
      expect(porto.requests.list(since[1]).some((e) => e.path.includes('/listings'))).toBe(true);
      // The inbox and the changes feed too: the caller's first account, not an error for want of one.
      for (const uri of ['hostaway://inbox', 'hostaway://changes']) {
        const read = await portoOnly.readResource({ uri });
        expect((read.contents[0] as { text: string }).text).not.toMatch(/Invalid arguments|account/i);
      }
      expect(porto.requests.list(since[1]).some((e) => e.path.includes('/conversations'))).toBe(true);
      expect(lisbon.requests.list(since[0])).toEqual([]);
    } finally {
      await portoOnly.close();
    }
  });

  it('REST takes account as a parameter and answers 403 for an account the token does not cover', async () => {
    const base = http.url.replace(/\/mcp$/, '');
    const get = (token: string, account: string) =>
      fetch(`${base}/api/v1/search_listings?account=${account}&limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const before = porto.requests.lastSeq;
    const refused = await get(LISBON_TOKEN, 'porto');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/may not use the account "porto"/);
    expect(porto.requests.list(before)).toEqual([]);
    expect((await get(LISBON_TOKEN, 'lisbon')).status).toBe(200);
    expect((await get(ALL_TOKEN, 'porto')).status).toBe(200);
    const missing = await fetch(`${base}/api/v1/search_listings?limit=1`, {
      headers: { authorization: `Bearer ${ALL_TOKEN}` },
    });
    expect(missing.status).toBe(400);
    // The OpenAPI document lists the parameter, required, with the accounts as its enum.
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<Record<string, unknown>>; requestBody?: unknown }>
      >;
    };
    const param = doc.paths['/api/v1/search_listings']?.get?.parameters?.find((p) => p.name === 'account');
    expect(param).toMatchObject({ in: 'query', required: true, schema: { enum: ['lisbon', 'porto'] } });
    expect(JSON.stringify(doc.paths['/api/v1/send_message']?.post?.requestBody)).toContain('"account"');
  });

  it('a change in one account reaches the listening callers whose resources read that account, and no other', async () => {
    const listen = async (token: string) => {
      const client = new Client(
        { name: 'listener', version: '1.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      expect(client.getProtocolEra()).toBe('modern');
      const heard: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        heard.push(n.params.uri);
      });
      const subscription = await client.listen({
        resourceSubscriptions: [1001, 2002, 1003, 2004].map((id) => `hostaway://reservations/${id}`),
      });
      return { client, heard, subscription };
    };
    // Resources read the caller's first account: the office's is Lisbon, the Porto desk's Porto.
    const office = await listen(ALL_TOKEN);
    const desk = await listen(PORTO_TOKEN);
    try {
      const booked = (account: Sandbox, reservationId: number) =>
        runtime.changes.hub.announce({
          account: String(account.accountId),
          seq: reservationId,
          key: `reservation:${reservationId}`,
          kind: 'booking',
          reservationId,
          conversationId: null,
        });
      booked(porto, 1001);
      booked(lisbon, 2002);
      booked(porto, 1003);
      // Each stream gets its own account's notices, in order; a stray one would show in the lists.
      await until("Lisbon's notice on the office stream", () =>
        office.heard.length >= 1 ? true : undefined,
      );
      await until("Porto's notices on the desk's stream", () => (desk.heard.length >= 2 ? true : undefined));
      booked(lisbon, 2004);
      await until('the last notice on the office stream', () =>
        office.heard.length >= 2 ? true : undefined,
      );
      expect(office.heard).toEqual(['hostaway://reservations/2002', 'hostaway://reservations/2004']);
      expect(desk.heard).toEqual(['hostaway://reservations/1001', 'hostaway://reservations/1003']);
    } finally {
      await office.subscription.close();
      await desk.subscription.close();
      await office.client.close();
      await desk.client.close();
    }
  });
});

describe('one account from an accounts file', () => {
  it('behaves as today: no account argument', async () => {
    const file = await accountsFile('single.json', [entry('lisbon', lisbon, 'lisbon-key')]);
    const runtime = await runtimeFor(file);
    const http = await startHttpServer(runtime);
    const client = new Client({ name: 'accounts-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    try {
      expect([...runtime.accounts.keys()]).toEqual(['lisbon']);
      const { tools } = await client.listTools();
      for (const tool of tools) expect((tool.inputSchema as Props).properties?.account).toBeUndefined();
      const r = await client.callTool({ name: 'hostaway_search_listings', arguments: { limit: 1 } });
      expect(r.isError, text(r)).toBeFalsy();
    } finally {
      await client.close();
      await http.close();
      await runtime.close();
    }
  });
});

describe('one rate budget for every account', () => {
  it('the per-IP window holds across both accounts: the union of their requests never exceeds it', async () => {
    const file = await accountsFile('budget.json', [
      entry('lisbon', lisbon, 'lisbon-key'),
      entry('porto', porto, 'porto-key'),
    ]);
    const config = loadConfig({ env: { HOSTAWAY_ACCOUNTS_FILE: file }, envFile: '/dev/null' });
    const WINDOW_MS = 1_000;
    const runtime = await createRuntime(config, {
      logger: silentLogger,
      writeStore: { kind: 'memory' },
      client: {
        retries: FAST_RETRIES,
        cache: { enabled: false },
        token: { activationDelayMs: 0, file: undefined },
        limits: {
          perIp: { limit: 6, windowMs: WINDOW_MS },
          perAccount: { limit: 20, windowMs: WINDOW_MS },
          marginMs: 50,
          maxInFlight: 10,
        },
      },
    });
    try {
      const since = [lisbon.requests.lastSeq, porto.requests.lastSeq] as const;
      const ids = Array.from({ length: 12 }, (_, i) => 1_000_001 + i);
      await Promise.all(
        [...runtime.accounts.values()].flatMap((client) => ids.map((id) => client.reservations.get(id))),
      );
      const union = [...lisbon.requests.list(since[0]), ...porto.requests.list(since[1])];
      // 24 reads and a token each; two separate budgets would let 12 through in a window.
      expect(union.length).toBeGreaterThanOrEqual(24);
      expect(lisbon.requests.list(since[0]).length).toBeGreaterThanOrEqual(12);
      expect(porto.requests.list(since[1]).length).toBeGreaterThanOrEqual(12);
      expect(
        maxInWindow(
          union.map((e) => e.at),
          WINDOW_MS,
        ),
      ).toBeLessThanOrEqual(6);
    } finally {
      await runtime.close();
    }
  });
});

describe('the command line', () => {
  it('passes account=... on to the call path like any argument', async () => {
    const { parseArguments } = await import('../../src/cli-tools.js');
    const { enabledTools } = await import('../../src/tools/index.js');
    const def = enabledTools({ readOnly: true, writes: false, toolsets: ['listings'] }).find(
      (t) => t.name === 'hostaway_search_listings',
    );
    if (!def) throw new Error('hostaway_search_listings is not offered');
    expect(parseArguments(def, ['account=porto', 'limit=2'])).toEqual({
      value: { account: 'porto', limit: 2 },
    });
  });
});
