import { createHash } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import { retryAfter, TokenManager, type TokenManagerOptions } from '../../src/client/token.js';
import { type RawRequest, Transport } from '../../src/client/transport.js';
import { type Sandbox, type SandboxOptionsInput, startSandbox } from '../../src/sandbox/index.js';
import { capturedLogger } from '../helpers/client.js';
import { mintToken, TEST_NOW } from '../helpers/sandbox.js';

// The token manager against the sandbox's token endpoint over real HTTP. Its own clock is injected, so
// renewal is tested without waiting; the sandbox keeps real time and its tokens stay valid throughout.

const TTL_SECONDS = 100;
const MARGIN_MS = 10_000;
const START = Date.parse('2026-11-25T12:00:00.000Z');

/** The token file's version-1 format, written out here as another run of the server would have. */
function fileFor(accountId: string, apiKey: string, token: string, issuedAt: number, expiresAt: number) {
  return JSON.stringify({
    version: 1,
    accountId,
    keyFingerprint: createHash('sha256').update(`${accountId}:${apiKey}`).digest('hex').slice(0, 16),
    accessToken: token,
    issuedAt,
    expiresAt,
  });
}

describe('TokenManager against the sandbox token endpoint', () => {
  let sandbox: Sandbox;
  let transport: Transport;
  let sent: RawRequest[];
  let clock: number;
  let log: ReturnType<typeof capturedLogger>;

  async function start(options: SandboxOptionsInput = {}) {
    sandbox = await startSandbox({
      now: TEST_NOW,
      rateLimits: false,
      tokenTtlSeconds: TTL_SECONDS,
      ...options,
    });
    transport = new Transport({
      baseUrl: sandbox.url,
      connectTimeoutMs: 5_000,
      readTimeoutMs: 5_000,
      writeTimeoutMs: 5_000,
      maxConnections: 4,
      maxBodyBytes: 1_048_576,
      userAgent: 'token-test',
    });
  }

  function manager(options: Partial<TokenManagerOptions> = {}) {
    return new TokenManager({
      accountId: String(sandbox.accountId),
      apiKey: sandbox.clientSecret,
      refreshMarginMs: MARGIN_MS,
      activationDelayMs: 0,
      tokenFile: undefined,
      send: (req) => {
        sent.push(req);
        return transport.send(req);
      },
      logger: log.logger,
      now: () => clock,
      ...options,
    });
  }

  const mints = () =>
    sandbox.requests.list().filter((e) => e.method === 'POST' && e.path === '/v1/accessTokens');
  const audit = () => log.parsed().filter((l) => l.audit === 'auth');
  const events = () => audit().map((l) => l.event);
  /** Whether the sandbox accepts the token for an API call. */
  const works = async (token: string) =>
    (await fetch(`${sandbox.url}/listings?limit=1`, { headers: { authorization: `Bearer ${token}` } }))
      .status;

  beforeEach(() => {
    sent = [];
    clock = START;
    log = capturedLogger();
  });
  afterEach(async () => {
    // Every audit line says what happened in words, too.
    for (const line of audit()) expect(line.msg).toMatch(/\w{4}/);
    await transport?.close();
    await sandbox?.close();
  });

  it('mints with the documented form request and reuses the token until the renewal margin', async () => {
    await start();
    const tm = manager();
    expect(tm.state()).toEqual({ state: 'none', source: null, expiresAt: null, mints: 0 });
    const token = await tm.get();
    expect(sent).toHaveLength(1);
    const req = sent[0] as RawRequest;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('accessTokens');
    expect(req.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'cache-control': 'no-cache',
    });
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: String(sandbox.accountId),
      client_secret: sandbox.clientSecret,
      scope: 'general',
    });
    expect(await works(token)).toBe(200);
    const expiresAt = new Date(START + TTL_SECONDS * 1000).toISOString();
    expect(tm.state()).toEqual({ state: 'valid', source: 'minted', expiresAt, mints: 1 });
    expect(audit()).toEqual([expect.objectContaining({ event: 'token_minted', expiresAt })]);

    expect(await tm.get()).toBe(token);
    clock = START + TTL_SECONDS * 1000 - MARGIN_MS - 1;
    expect(await tm.get()).toBe(token);
    expect(tm.state().state).toBe('valid');
    expect(mints()).toHaveLength(1);

    clock += 1;
    expect(tm.state()).toEqual({ state: 'renewing_soon', source: 'minted', expiresAt, mints: 1 });
    const renewed = await tm.get();
    expect(renewed).not.toBe(token);
    expect(await works(renewed)).toBe(200);
    expect(mints()).toHaveLength(2);
    expect(tm.state()).toEqual({
      state: 'valid',
      source: 'minted',
      expiresAt: new Date(clock + TTL_SECONDS * 1000).toISOString(),
      mints: 2,
    });
    // No file was asked for: nothing was read, ignored or written.
    expect(events()).toEqual(['token_minted', 'token_minted']);
  });

  it('renews at half the lifetime when the margin is longer than that', async () => {
    await start();
    const tm = manager({ refreshMarginMs: 80_000 });
    const token = await tm.get();
    clock = START + (TTL_SECONDS * 1000) / 2 - 1;
    expect(tm.state().state).toBe('valid');
    expect(await tm.get()).toBe(token);
    clock += 1;
    expect(tm.state().state).toBe('renewing_soon');
    expect(await tm.get()).not.toBe(token);
    expect(mints()).toHaveLength(2);
  });

  it('mints once for many callers at once, and once again after a rejection', async () => {
    await start();
    const tm = manager();
    const first = await Promise.all(Array.from({ length: 20 }, () => tm.get()));
    expect(new Set(first).size).toBe(1);
    expect(mints()).toHaveLength(1);
    tm.invalidate(first[0] as string);
    const second = await Promise.all(Array.from({ length: 20 }, () => tm.get()));
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
    expect(mints()).toHaveLength(2);
    expect(tm.state().mints).toBe(2);
  });

  it('forgets a rejected token once; a late rejection of the old token keeps the new one', async () => {
    await start();
    const tm = manager();
    const old = await tm.get();
    sandbox.auth.revokeAll();
    expect(await works(old)).toBe(403);
    tm.invalidate('some-other-token');
    expect(tm.state().state).toBe('valid');
    tm.invalidate(old);
    expect(tm.state()).toMatchObject({ state: 'none', source: null, expiresAt: null });
    // Another call rejected with the same token, before anyone asked for a new one.
    tm.invalidate(old);
    expect(tm.state().state).toBe('none');
    const fresh = await tm.get();
    expect(fresh).not.toBe(old);
    expect(await works(fresh)).toBe(200);
    tm.invalidate(old);
    expect(await tm.get()).toBe(fresh);
    expect(mints()).toHaveLength(2);
    expect(events()).toEqual(['token_minted', 'token_rejected', 'token_minted']);
    expect(audit()[1]).toMatchObject({ source: 'minted', level: 'warn' });
    // The token itself is never logged.
    expect(log.lines.join('\n')).not.toContain(old.split('.')[2]);
  });

  it('a caller who gives up does not stop the mint that others wait for', async () => {
    await start();
    const tm = manager();
    const controller = new AbortController();
    const leaving = tm.get(controller.signal).catch((e: unknown) => e);
    const staying = tm.get();
    // Cancelled at once, before the token endpoint can have answered anyone.
    controller.abort();
    const err = await leaving;
    expect(err).toBeInstanceOf(HostawayError);
    expect((err as HostawayError).kind).toBe('cancelled');
    expect(await works(await staying)).toBe(200);
    expect(mints()).toHaveLength(1);
  });

  it('waits the activation delay after minting, so the token works when handed out', async () => {
    await start({ tokenActivationDelayMs: 150 });
    const tm = manager({ activationDelayMs: 150 });
    const token = await tm.get();
    expect(await works(token)).toBe(200);
    expect(mints()).toHaveLength(1);
  });

  describe('when Hostaway refuses to issue a token', () => {
    it('wrong credentials: bad_credentials naming the settings and the OAuth error, no secret', async () => {
      await start();
      const tm = manager({ apiKey: 'wrong-key-123456' });
      const err = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(err).toBeInstanceOf(HostawayError);
      expect(err.kind).toBe('bad_credentials');
      expect(err.status).toBe(401);
      expect(err.message).toContain('(HTTP 401, invalid_client)');
      expect(err.message).toMatch(/HOSTAWAY_ACCOUNT_ID.*HOSTAWAY_API_KEY/);
      expect(err.message).not.toContain('wrong-key-123456');
      expect(log.lines.join('\n')).not.toContain('wrong-key-123456');
      expect(audit()).toEqual([
        expect.objectContaining({ event: 'token_mint_failed', status: 401, error: 'invalid_client' }),
      ]);
      expect(tm.state()).toEqual({ state: 'none', source: null, expiresAt: null, mints: 0 });
    });

    it('a malformed token request (400) is bad_credentials too', async () => {
      await start();
      const tm = manager({ accountId: '' });
      const err = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(err.kind).toBe('bad_credentials');
      expect(err.status).toBe(400);
      expect(err.message).toContain('(HTTP 400, invalid_request)');
    });

    it('a 403 without an OAuth body is bad_credentials, and the next call mints afresh', async () => {
      await start({ faults: [{ kind: 'status', status: 403, path: '/v1/accessTokens', times: 1 }] });
      const tm = manager();
      const err = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(err.kind).toBe('bad_credentials');
      expect(err.status).toBe(403);
      expect(err.message).toMatch(/^Hostaway refused to issue an access token \(HTTP 403\)\. Check/);
      expect(audit()[0]).toMatchObject({ event: 'token_mint_failed', status: 403 });
      expect(audit()[0]?.error).toBeUndefined();
      expect(await works(await tm.get())).toBe(200);
      expect(mints()).toHaveLength(2);
      expect(tm.state().mints).toBe(1);
    });

    it('a server error is upstream, retryable only when it is a passing one', async () => {
      await start({
        faults: [
          { kind: 'status', status: 500, path: '/v1/accessTokens', times: 1 },
          { kind: 'status', status: 503, path: '/v1/accessTokens', times: 1 },
        ],
      });
      const tm = manager();
      const first = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(first).toMatchObject({ kind: 'upstream', status: 500, retryable: false });
      expect(first.message).toContain('the access token request');
      const second = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(second).toMatchObject({ kind: 'upstream', status: 503, retryable: true });
      expect(await works(await tm.get())).toBe(200);
    });

    it('a 429 is rate_limited and carries the wait Hostaway asked for', async () => {
      await start({
        faults: [{ kind: 'rateLimit', retryAfterSeconds: 7, path: '/v1/accessTokens', times: 1 }],
      });
      const tm = manager();
      const err = (await tm.get().catch((e: unknown) => e)) as HostawayError;
      expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 7, retryable: true });
    });

    it.each(['malformed', 'badShape'] as const)(
      'an answer that is not a token (%s) is a retryable upstream error',
      async (kind) => {
        await start({ faults: [{ kind, path: '/v1/accessTokens', times: 1 }] });
        const tm = manager();
        const err = (await tm.get().catch((e: unknown) => e)) as HostawayError;
        expect(err).toBeInstanceOf(HostawayError);
        expect(err).toMatchObject({ kind: 'upstream', retryable: true });
        expect(err.message).toMatch(/something other than a token/);
        expect(tm.state()).toMatchObject({ state: 'none', mints: 0 });
        expect(await works(await tm.get())).toBe(200);
      },
    );
  });

  describe('the token file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hostaway-token-unit-'));
    });

    it('is written owner-only in the version-1 format, and another manager reuses it', async () => {
      await start();
      const file = join(dir, 'nested', 'deeper', 'token.json');
      const token = await manager({ tokenFile: file }).get();
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(
        JSON.parse(
          fileFor(String(sandbox.accountId), sandbox.clientSecret, token, START, START + TTL_SECONDS * 1000),
        ),
      );
      expect(events()).toEqual(['token_minted']);

      clock += 5_000;
      const next = manager({ tokenFile: file });
      expect(await next.get()).toBe(token);
      expect(mints()).toHaveLength(1);
      const expiresAt = new Date(START + TTL_SECONDS * 1000).toISOString();
      expect(next.state()).toEqual({ state: 'valid', source: 'file', expiresAt, mints: 0 });
      expect(audit()[1]).toMatchObject({ event: 'token_loaded', expiresAt });
    });

    it('a file written by an earlier run is reused without minting', async () => {
      await start();
      const token = await mintToken(sandbox);
      const file = join(dir, 'token.json');
      const issuedAt = START - 60_000;
      await writeFile(
        file,
        fileFor(String(sandbox.accountId), sandbox.clientSecret, token, issuedAt, issuedAt + 100_000),
        { mode: 0o600 },
      );
      const tm = manager({ tokenFile: file });
      expect(await tm.get()).toBe(token);
      expect(await tm.get()).toBe(token);
      expect(sent).toHaveLength(0);
      expect(tm.state()).toMatchObject({ state: 'valid', source: 'file', mints: 0 });
      expect(events()).toEqual(['token_loaded']);
      // Renewal follows the stored expiry: due 10 s (the margin) before it.
      clock = issuedAt + 90_000 - 1;
      expect(tm.state().state).toBe('valid');
      clock += 1;
      expect(tm.state().state).toBe('renewing_soon');
    });

    it.each([
      // Our fingerprint, another account: the account alone must rule it out.
      [
        'another account',
        (token: string, id: string, key: string) =>
          fileFor(id, key, token, START, START + 100_000).replace(`"accountId":"${id}"`, '"accountId":"999"'),
      ],
      [
        'another API key',
        (token: string, id: string) => fileFor(id, 'another-secret-0000', token, START, START + 100_000),
      ],
      ['an unreadable file', () => '{"version":1,"accountId":'],
      [
        'an older format',
        (token: string, id: string, key: string) =>
          fileFor(id, key, token, START, START + 100_000).replace('"version":1', '"version":0'),
      ],
    ])('a file for %s is ignored, and the token minted anew', async (_case, content) => {
      await start();
      const token = await mintToken(sandbox);
      const file = join(dir, 'token.json');
      await writeFile(file, content(token, String(sandbox.accountId), sandbox.clientSecret), { mode: 0o600 });
      const tm = manager({ tokenFile: file });
      const got = await tm.get();
      expect(got).not.toBe(token);
      expect(await works(got)).toBe(200);
      expect(tm.state()).toMatchObject({ source: 'minted', mints: 1 });
      expect(events()).toEqual(['token_file_ignored', 'token_minted']);
      // The fresh token replaced the file.
      expect(JSON.parse(await readFile(file, 'utf8')).accessToken).toBe(got);
    });

    it('callers arriving together before the file is read all wait for it, and none mints', async () => {
      await start();
      const token = await mintToken(sandbox);
      const file = join(dir, 'token.json');
      await writeFile(
        file,
        fileFor(String(sandbox.accountId), sandbox.clientSecret, token, START, START + 100_000),
        { mode: 0o600 },
      );
      const tm = manager({ tokenFile: file });
      const got = await Promise.all(Array.from({ length: 5 }, () => tm.get()));
      expect(got).toEqual(Array.from({ length: 5 }, () => token));
      expect(sent).toHaveLength(0);
      expect(events()).toEqual(['token_loaded']);
    });

    it('a stored token due for renewal is replaced without complaint', async () => {
      await start();
      const token = await mintToken(sandbox);
      const file = join(dir, 'token.json');
      await writeFile(
        file,
        fileFor(String(sandbox.accountId), sandbox.clientSecret, token, START - 95_000, START + 5_000),
        { mode: 0o600 },
      );
      const tm = manager({ tokenFile: file });
      expect(await tm.get()).not.toBe(token);
      expect(events()).toEqual(['token_minted']);
    });

    it('a stored token that Hostaway rejects is replaced, not read again', async () => {
      await start();
      const file = join(dir, 'token.json');
      const first = await manager({ tokenFile: file }).get();
      const tm = manager({ tokenFile: file });
      expect(await tm.get()).toBe(first);
      sandbox.auth.revokeAll();
      tm.invalidate(first);
      const fresh = await tm.get();
      expect(fresh).not.toBe(first);
      expect(await works(fresh)).toBe(200);
      expect(tm.state()).toMatchObject({ source: 'minted', mints: 1 });
      expect(events()).toEqual(['token_minted', 'token_loaded', 'token_rejected', 'token_minted']);
    });

    it('a file that cannot be written is reported, and the token is handed out all the same', async () => {
      await start();
      const blocker = join(dir, 'not-a-directory');
      await writeFile(blocker, 'x');
      const tm = manager({ tokenFile: join(blocker, 'token.json') });
      const token = await tm.get();
      expect(await works(token)).toBe(200);
      expect(events()).toEqual(['token_minted', 'token_file_write_failed']);
      expect(audit()[1]?.error).toMatch(/^E[A-Z]+$/);
      expect(await tm.get()).toBe(token);
    });
  });
});

describe('retryAfter: the Retry-After header in seconds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads delay-seconds, and the first of repeated headers', () => {
    expect(retryAfter('0')).toBe(0);
    expect(retryAfter('0.0')).toBe(0);
    expect(retryAfter('12')).toBe(12);
    expect(retryAfter('1.5')).toBe(1.5);
    expect(retryAfter(['3', '9'])).toBe(3);
  });

  it('reads an HTTP date as the seconds until then, rounded up, and a past date as 0', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-11-25T12:00:00.200Z') });
    expect(retryAfter('Wed, 25 Nov 2026 12:00:30 GMT')).toBe(30);
    expect(retryAfter(['Wed, 25 Nov 2026 12:01:00 GMT'])).toBe(60);
    expect(retryAfter('Wed, 25 Nov 2026 11:59:00 GMT')).toBe(0);
  });

  it('has no answer when there is no header or it says nothing usable', () => {
    expect(retryAfter(undefined)).toBeUndefined();
    expect(retryAfter('')).toBeUndefined();
    expect(retryAfter([])).toBeUndefined();
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter('Infinity')).toBeUndefined();
    const negative = retryAfter('-5');
    expect(negative === undefined || negative >= 0).toBe(true);
  });
});
