import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { capturedLogger, clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const mints = (s: Sandbox) =>
  s.requests.list().filter((e) => e.path === '/v1/accessTokens' && e.method === 'POST');

describe('client auth: client-credentials token', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox?.close());

  it('mints once even when 50 calls need a token at the same moment', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, { cache: { enabled: false } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.listings.get(40160 + (i % 25))),
    );
    expect(results).toHaveLength(50);
    expect(mints(sandbox)).toHaveLength(1);
    // 25 distinct listings: identical reads in flight are shared.
    expect(client.stats.upstreamRequests).toBe(26);
    expect((await client.status()).token).toMatchObject({ state: 'valid', source: 'minted', mints: 1 });
    // A call after the burst reuses the token too.
    await client.listings.get(40160);
    expect(mints(sandbox)).toHaveLength(1);
    await client.close();
  });

  it('recovers from a token that expires mid-run without the caller noticing', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const { logger, parsed } = capturedLogger();
    const client = clientFor(sandbox, { cache: { enabled: false } }, logger);
    await client.listings.list({ limit: 1 });
    sandbox.auth.expireAll();
    const since = sandbox.requests.lastSeq;
    const listing = await client.listings.get(40160);
    expect(listing.id).toBe(40160);
    expect(sandbox.requests.list(since).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /v1/listings/40160 403',
      'POST /v1/accessTokens 200',
      'GET /v1/listings/40160 200',
    ]);
    const audit = parsed()
      .filter((l) => l.audit === 'auth')
      .map((l) => l.event);
    expect(audit).toEqual(['token_minted', 'token_rejected', 'token_minted']);
    expect(client.stats.retries).toBe(0);
    // The replacement is kept: later calls mint nothing.
    await client.listings.get(40161);
    expect(mints(sandbox)).toHaveLength(2);
    await client.close();
  });

  it('recovers from revocation, and many rejected calls re-mint once', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const client = clientFor(sandbox, { cache: { enabled: false } });
    await client.listings.list({ limit: 1 });
    sandbox.auth.revokeAll();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.reservations.list({ limit: 1, offset: i })),
    );
    expect(mints(sandbox)).toHaveLength(2);
    await client.reservations.list({ limit: 1, offset: 10 });
    expect(mints(sandbox)).toHaveLength(2);
    await client.close();
  });

  it('renews the token ahead of expiry instead of waiting for a rejection', async () => {
    // Only the clock is fake, the client's and the sandbox's alike; sockets and timers are real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, tokenTtlSeconds: 2 });
      const client = clientFor(sandbox, {
        cache: { enabled: false },
        token: { activationDelayMs: 0, refreshMarginMs: 1_000 },
      });
      await client.listings.list({ limit: 1 });
      await client.listings.list({ limit: 1 });
      expect(mints(sandbox)).toHaveLength(1);
      vi.setSystemTime(Date.now() + 999);
      await client.listings.list({ limit: 1 });
      expect(mints(sandbox)).toHaveLength(1);
      vi.setSystemTime(Date.now() + 101);
      await client.listings.list({ limit: 1 });
      await client.listings.list({ limit: 1 });
      expect(sandbox.requests.list().filter((e) => e.status === 403)).toHaveLength(0);
      expect(mints(sandbox)).toHaveLength(2);
      await client.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits the documented second after minting before using a new token', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false, tokenActivationDelayMs: 1_000 });
    const client = clientFor(sandbox, { token: { activationDelayMs: 1_000 } });
    const started = performance.now();
    await client.listings.list({ limit: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    // The token is ready now: the next call neither mints nor waits again.
    await client.listings.list({ limit: 2 });
    expect(mints(sandbox)).toHaveLength(1);
    expect(sandbox.requests.list().filter((e) => e.status === 403)).toHaveLength(0);
    await client.close();
  });

  it('keeps the token in an owner-only file so that a restart does not mint again', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'hostaway-token-'));
    const file = join(dir, 'nested', 'token.json');
    const first = clientFor(sandbox, { token: { activationDelayMs: 0, file } });
    await first.listings.list({ limit: 1 });
    await first.listings.list({ limit: 2 });
    expect(mints(sandbox)).toHaveLength(1);
    await first.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = await readFile(file, 'utf8');
    expect(stored).not.toContain(sandbox.clientSecret);

    const second = clientFor(sandbox, { token: { activationDelayMs: 0, file } });
    await second.listings.list({ limit: 2 });
    expect(mints(sandbox)).toHaveLength(1);
    expect((await second.status()).token.source).toBe('file');
    await second.close();

    // A file for other credentials is ignored, not trusted.
    await writeFile(file, stored.replace(/"accountId":"\d+"/, '"accountId":"999"'));
    const third = clientFor(sandbox, { token: { activationDelayMs: 0, file } });
    await third.listings.list({ limit: 3 });
    expect(mints(sandbox)).toHaveLength(2);
    await third.close();
  });

  it('wrong credentials give a bad_credentials error that names the settings and no secret', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const { logger, lines } = capturedLogger();
    const client = clientFor(sandbox, { apiKey: 'wrong-key-123456' }, logger);
    const err = await client.listings.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostawayError);
    expect((err as HostawayError).kind).toBe('bad_credentials');
    expect((err as HostawayError).message).toMatch(/HOSTAWAY_API_KEY/);
    expect((err as HostawayError).message).not.toContain('wrong-key-123456');
    expect(lines.join('\n')).not.toContain('wrong-key-123456');
    expect(mints(sandbox)).toHaveLength(1);
    await client.close();
  });
});
