import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkHttpConfig, loadConfig } from '../../src/config.js';

const NO_FILE = '/dev/null';
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('no credentials means demo mode, with safe defaults', () => {
    const c = loadConfig({ env: {}, envFile: NO_FILE });
    expect(c.mode).toBe('sandbox');
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3000, authToken: undefined });
    expect(c.readOnly).toBe(false);
    expect(c.client.token?.file).toBeUndefined();
  });

  it('credentials mean live mode, with the token kept in a per-account file', () => {
    const c = loadConfig({
      env: { HOSTAWAY_ACCOUNT_ID: '12345', HOSTAWAY_API_KEY: 'k'.repeat(40) },
      envFile: NO_FILE,
    });
    expect(c.mode).toBe('live');
    expect(c.client.token?.file).toMatch(/hostaway-mcp\/token-12345\.json$/);
  });

  it('names every bad setting at once', () => {
    const found = problems(() =>
      loadConfig({
        env: {
          HOSTAWAY_ACCOUNT_ID: 'acme',
          MCP_HTTP_PORT: '99999',
          LOG_LEVEL: 'loud',
          HOSTAWAY_READ_ONLY: 'maybe',
        },
        envFile: NO_FILE,
      }),
    );
    expect(found.join('\n')).toMatch(/MCP_HTTP_PORT must be a whole number from 0 to 65535/);
    expect(found.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(found.join('\n')).toMatch(/HOSTAWAY_READ_ONLY must be true or false/);
  });

  it('asks for both credentials, and a numeric account id', () => {
    expect(problems(() => loadConfig({ env: { HOSTAWAY_API_KEY: 'x' }, envFile: NO_FILE }))[0]).toMatch(
      /HOSTAWAY_ACCOUNT_ID is not/,
    );
    expect(
      problems(() =>
        loadConfig({ env: { HOSTAWAY_ACCOUNT_ID: 'acme', HOSTAWAY_API_KEY: 'x' }, envFile: NO_FILE }),
      )[0],
    ).toMatch(/numeric account id/);
  });

  it('reads secrets from *_FILE, the .env file under the environment, and flags over both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hostaway-config-'));
    await writeFile(join(dir, 'key'), 'secret-from-file\n');
    await writeFile(join(dir, '.env'), 'HOSTAWAY_ACCOUNT_ID=777\nLOG_LEVEL=debug\nMCP_HTTP_PORT=4000\n');
    const c = loadConfig({
      env: { HOSTAWAY_API_KEY_FILE: join(dir, 'key'), MCP_HTTP_PORT: '5000' },
      envFile: join(dir, '.env'),
      overrides: { LOG_LEVEL: 'warn' },
    });
    expect(c.client.apiKey).toBe('secret-from-file');
    expect(c.client.accountId).toBe('777');
    expect(c.http.port).toBe(5000);
    expect(c.logLevel).toBe('warn');
    expect(
      problems(() =>
        loadConfig({ env: { HOSTAWAY_API_KEY_FILE: join(dir, 'missing') }, envFile: NO_FILE }),
      )[0],
    ).toMatch(/HOSTAWAY_API_KEY_FILE: cannot read/);
    expect(problems(() => loadConfig({ env: {}, envFile: join(dir, 'nope.env') }))[0]).toMatch(
      /cannot read the env file/,
    );
  });

  it('HTTP beyond loopback needs a bearer token of 16 characters or more', () => {
    expect(() =>
      checkHttpConfig(loadConfig({ env: { MCP_HTTP_HOST: '0.0.0.0' }, envFile: NO_FILE })),
    ).toThrow(/MCP_AUTH_TOKEN/);
    expect(() =>
      checkHttpConfig(
        loadConfig({
          env: { MCP_HTTP_HOST: '0.0.0.0', MCP_AUTH_TOKEN: 'long-enough-token-123' },
          envFile: NO_FILE,
        }),
      ),
    ).not.toThrow();
    expect(() => checkHttpConfig(loadConfig({ env: {}, envFile: NO_FILE }))).not.toThrow();
    expect(problems(() => loadConfig({ env: { MCP_AUTH_TOKEN: 'short' }, envFile: NO_FILE }))[0]).toMatch(
      /at least 16/,
    );
  });
});
