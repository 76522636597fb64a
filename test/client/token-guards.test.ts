/**
 * The token's guards: a 403 that persists with fresh tokens does not mint one per call, and a stored
 * token file that others can read is tightened (or not used) with a word in the log.
 */
import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostawayError } from '../../src/client/errors.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { capturedLogger, clientFor } from '../helpers/client.js';
import { TEST_NOW } from '../helpers/sandbox.js';

const mints = (s: Sandbox) =>
  s.requests.list().filter((e) => e.path === '/v1/accessTokens' && e.method === 'POST').length;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('a 403 that a new token does not cure', () => {
  it('mints one replacement, then backs off (one minute, then two) until a request succeeds', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const { logger, parsed } = capturedLogger();
    const client = clientFor(sandbox, { cache: { enabled: false } }, { logger, now: () => clock });
    await client.listings.get(40160);
    expect(mints(sandbox)).toBe(1);

    sandbox.faults.add({ kind: 'status', status: 403, path: '/v1/listings/*' });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const err = await client.listings.get(40161 + i).catch((e: unknown) => e);
      outcomes.push(err instanceof HostawayError ? err.kind : 'ok');
    }
    expect(outcomes).toEqual(Array(5).fill('bad_credentials'));
    expect(mints(sandbox)).toBe(2);
    // The first call tried again with its new token; the next four, knowing better, sent one request each.
    const reads = sandbox.requests.list().filter((e) => e.path.startsWith('/v1/listings/'));
    expect(reads.map((e) => e.status)).toEqual([200, 403, 403, 403, 403, 403, 403]);
    const again = parsed().filter((l) => l.event === 'token_rejected_again');
    expect(again.map((l) => l.retryMintInS)).toEqual([60, 60, 60, 60]);

    clock += 61_000; // a minute on: one more replacement is allowed
    await client.listings.get(40170).catch(() => undefined);
    await client.listings.get(40171).catch(() => undefined);
    expect(mints(sandbox)).toBe(3);
    clock += 61_000; // the wait has doubled to two minutes: not yet
    await client.listings.get(40172).catch(() => undefined);
    expect(mints(sandbox)).toBe(3);

    // Once a request succeeds, a rejection is news again and mints at once.
    sandbox.faults.clear();
    await client.listings.get(40173);
    sandbox.auth.revokeAll();
    expect((await client.listings.get(40174)).id).toBe(40174);
    expect(mints(sandbox)).toBe(4);
    const events = parsed()
      .filter((l) => l.audit === 'auth')
      .map((l) => l.event);
    expect(events).toContain('token_rejected_again');
    await client.close();
  });
});

describe('the stored token file', () => {
  async function storedToken(mode: number) {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'hostaway-token-'));
    const file = join(dir, 'token.json');
    const first = clientFor(sandbox, { cache: { enabled: false }, token: { file, activationDelayMs: 0 } });
    await first.listings.get(40160);
    await first.close();
    await chmod(file, mode);
    return { file, s: sandbox };
  }

  it('is tightened to owner-only when others can read it, and still used, with a warning', async () => {
    const { file, s } = await storedToken(0o644);
    const { logger, parsed } = capturedLogger();
    const second = clientFor(s, { cache: { enabled: false }, token: { file, activationDelayMs: 0 } }, logger);
    await second.listings.get(40161);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(mints(s)).toBe(1);
    expect(parsed().find((l) => l.event === 'token_file_tightened')).toMatchObject({
      level: 'warn',
      mode: '0644',
    });
    await second.close();
  });

  it('an owner-only file is used without a word', async () => {
    const { file, s } = await storedToken(0o600);
    const { logger, parsed } = capturedLogger();
    const second = clientFor(s, { cache: { enabled: false }, token: { file, activationDelayMs: 0 } }, logger);
    await second.listings.get(40161);
    expect(mints(s)).toBe(1);
    expect(parsed().some((l) => String(l.event).startsWith('token_file_'))).toBe(false);
    await second.close();
  });

  it('a file that is not the stored format is ignored, whatever its mode', async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'hostaway-token-'));
    const file = join(dir, 'token.json');
    await writeFile(file, 'not json', { mode: 0o600 });
    const client = clientFor(sandbox, { cache: { enabled: false }, token: { file, activationDelayMs: 0 } });
    await client.listings.get(40160);
    expect(mints(sandbox)).toBe(1);
    await client.close();
  });
});
