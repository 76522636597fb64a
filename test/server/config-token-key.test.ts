import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const NO_FILE = '/dev/null';
const LIVE = { HOSTAWAY_ACCOUNT_ID: '12345', HOSTAWAY_API_KEY: 'the-api-key-0000' };
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ env, envFile: NO_FILE });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('HOSTAWAY_TOKEN_KEY and REDIS_URL', () => {
  const key = randomBytes(32);

  it('live mode with REDIS_URL needs the key, and says how to make one', () => {
    const [problem, ...rest] = problems({ ...LIVE, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /REDIS_URL is set.*HOSTAWAY_TOKEN_KEY \(or HOSTAWAY_TOKEN_KEY_FILE\).*openssl rand -hex 32/,
    );
  });

  it('with the key, as hex or base64, the configuration carries both', () => {
    for (const text of [key.toString('hex'), key.toString('base64')]) {
      const c = loadConfig({
        env: { ...LIVE, REDIS_URL: 'redis://127.0.0.1:6379', HOSTAWAY_TOKEN_KEY: text },
        envFile: NO_FILE,
      });
      expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
      expect(c.tokenKey).toEqual(key);
    }
  });

  it('a key of the wrong size is refused by name, without repeating it', () => {
    const bad = randomBytes(16).toString('hex');
    const [problem] = problems({ ...LIVE, HOSTAWAY_TOKEN_KEY: bad });
    expect(problem).toMatch(/^HOSTAWAY_TOKEN_KEY must be 32 bytes/);
    expect(problem).not.toContain(bad);
  });

  it('can come from a file (HOSTAWAY_TOKEN_KEY_FILE), but not from both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hostaway-token-key-'));
    const file = join(dir, 'key');
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600 });
    const c = loadConfig({
      env: { ...LIVE, REDIS_URL: 'redis://127.0.0.1:6379', HOSTAWAY_TOKEN_KEY_FILE: file },
      envFile: NO_FILE,
    });
    expect(c.tokenKey).toEqual(key);
    expect(
      problems({ ...LIVE, HOSTAWAY_TOKEN_KEY_FILE: file, HOSTAWAY_TOKEN_KEY: key.toString('hex') }),
    ).toEqual(['HOSTAWAY_TOKEN_KEY and HOSTAWAY_TOKEN_KEY_FILE are both set: keep one']);
  });

  it('neither is needed without Redis, nor in demo mode (a sandbox per process shares no token)', () => {
    expect(loadConfig({ env: LIVE, envFile: NO_FILE })).toMatchObject({
      redisUrl: undefined,
      tokenKey: undefined,
    });
    expect(loadConfig({ env: { REDIS_URL: 'redis://127.0.0.1:6379' }, envFile: NO_FILE }).mode).toBe(
      'sandbox',
    );
  });
});
