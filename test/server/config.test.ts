import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  checkHttpConfig,
  isLoopbackAddress,
  isLoopbackHost,
  loadConfig,
} from '../../src/config.js';

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
    expect(c.toolDeadlineMs).toBe(120_000);
    expect(c.client.token?.file).toBeUndefined();
  });

  it('the deadline per tool call can be set, within bounds', () => {
    expect(loadConfig({ env: { HOSTAWAY_TOOL_DEADLINE_MS: '30000' }, envFile: NO_FILE }).toolDeadlineMs).toBe(
      30_000,
    );
    expect(
      problems(() => loadConfig({ env: { HOSTAWAY_TOOL_DEADLINE_MS: '10' }, envFile: NO_FILE }))[0],
    ).toMatch(/HOSTAWAY_TOOL_DEADLINE_MS/);
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

  it('HTTP beyond loopback needs a bearer token of 16 characters or more', async () => {
    const http = (env: Record<string, string>) => checkHttpConfig(loadConfig({ env, envFile: NO_FILE }));
    await expect(http({ MCP_HTTP_HOST: '0.0.0.0' })).rejects.toThrow(/MCP_AUTH_TOKEN/);
    await expect(
      http({ MCP_HTTP_HOST: '0.0.0.0', MCP_AUTH_TOKEN: 'long-enough-token-123' }),
    ).resolves.toEqual({ loopback: false });
    await expect(http({})).resolves.toEqual({ loopback: true });
    // A name that merely starts like a loopback address is not one (here it does not even resolve).
    await expect(http({ MCP_HTTP_HOST: '127.example.com' })).rejects.toThrow(/not a loopback address/);
    await expect(http({ MCP_HTTP_HOST: 'localhost' })).resolves.toEqual({ loopback: true });
    expect(problems(() => loadConfig({ env: { MCP_AUTH_TOKEN: 'short' }, envFile: NO_FILE }))[0]).toMatch(
      /at least 16/,
    );
  });

  it('loopback means a loopback IP address, literal or resolved, nothing else', async () => {
    for (const address of ['127.0.0.1', '127.255.3.4', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['0.0.0.0', '10.0.0.1', '128.0.0.1', '::', '::2', '::ffff:10.0.0.1', 'localhost'])
      expect(isLoopbackAddress(address), address).toBe(false);
    const resolver = (answers: Record<string, string[]>) => async (host: string) => {
      const found = answers[host];
      if (!found) throw new Error(`ENOTFOUND ${host}`);
      return found.map((address) => ({ address }));
    };
    const dns = resolver({
      '127.example.com': ['203.0.113.7'],
      'dev.local': ['127.0.0.1', '::1'],
      'split.example': ['127.0.0.1', '192.0.2.1'],
      'empty.example': [],
    });
    expect(await isLoopbackHost('127.example.com', dns)).toBe(false);
    expect(await isLoopbackHost('dev.local', dns)).toBe(true);
    expect(await isLoopbackHost('split.example', dns)).toBe(false);
    expect(await isLoopbackHost('empty.example', dns)).toBe(false);
    expect(await isLoopbackHost('unknown.example', dns)).toBe(false);
    expect(await isLoopbackHost('127.0.0.2', dns)).toBe(true);
    expect(await isLoopbackHost('[::1]', dns)).toBe(true);
  });
});
