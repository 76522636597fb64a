import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkHttpConfig, loadConfig } from '../../../src/config.js';
import { hashToken } from '../../../src/server/auth/index.js';

const NO_FILE = '/dev/null';
const TOKEN = 'a-named-token-for-bob-123';
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};
const load = (env: Record<string, string>) => loadConfig({ env, envFile: NO_FILE });

async function tokensFile(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hostaway-config-tokens-'));
  await writeFile(join(dir, 'tokens.json'), JSON.stringify(content));
  return join(dir, 'tokens.json');
}

describe('configuration: authentication', () => {
  it('nothing set: no tokens, no OAuth', () => {
    expect(load({}).auth).toEqual({ tokens: [] });
  });

  it('MCP_AUTH_TOKEN goes into auth as well as http', () => {
    const c = load({ MCP_AUTH_TOKEN: 'long-enough-token-123' });
    expect(c.auth.token).toBe('long-enough-token-123');
    expect(c.http.authToken).toBe('long-enough-token-123');
  });

  it('MCP_TOKENS_FILE is read, validated and hashed', async () => {
    const file = await tokensFile({ tokens: [{ name: 'bob', token: TOKEN, scopes: ['read'] }] });
    expect(load({ MCP_TOKENS_FILE: file }).auth.tokens).toEqual([
      { name: 'bob', sha256: hashToken(TOKEN), scopes: ['read'] },
    ]);
    const bad = await tokensFile({ tokens: [{ name: 'bob', token: 'short', scopes: ['read'] }] });
    const found = problems(() => load({ MCP_TOKENS_FILE: bad, HOSTAWAY_WRITE_STORE: 'postgres' }));
    // Named with the other problems, at once.
    expect(found.join('\n')).toMatch(/DATABASE_URL is not set/);
    expect(found.join('\n')).toMatch(
      /MCP_TOKENS_FILE \(.*tokens\.json\): tokens\[0\] "bob": token must be at least 16/,
    );
    expect(problems(() => load({ MCP_TOKENS_FILE: join(tmpdir(), 'nope-7731.json') }))[0]).toMatch(
      /MCP_TOKENS_FILE: cannot read/,
    );
  });

  it('the shared token may not also be in the file, nor the name "default" taken', async () => {
    const file = await tokensFile({
      tokens: [
        { name: 'default', sha256: hashToken('x'.repeat(20)), scopes: ['read'] },
        { name: 'bob', sha256: hashToken(TOKEN), scopes: ['read'] },
      ],
    });
    const found = problems(() => load({ MCP_TOKENS_FILE: file, MCP_AUTH_TOKEN: TOKEN })).join('\n');
    expect(found).toMatch(/MCP_AUTH_TOKEN is also in MCP_TOKENS_FILE \(as "bob"\)/);
    expect(found).toMatch(/names a token "default"/);
    expect(found).not.toContain(TOKEN);
  });

  it('OAuth: the issuer and the public URL, with defaults for the rest', () => {
    const c = load({
      MCP_OAUTH_ISSUER: 'https://id.example.com/realms/team',
      MCP_PUBLIC_URL: 'https://mcp.example.com',
    });
    expect(c.auth.oauth).toEqual({
      issuer: 'https://id.example.com/realms/team',
      publicUrl: 'https://mcp.example.com',
      scopes: { read: 'hostaway:read', write: 'hostaway:write' },
    });
    // The issuer is kept exactly as written (a trailing slash matters to `iss`).
    expect(
      load({ MCP_OAUTH_ISSUER: 'https://id.example.com/', MCP_PUBLIC_URL: 'https://mcp.example.com/' }).auth
        .oauth,
    ).toMatchObject({ issuer: 'https://id.example.com/', publicUrl: 'https://mcp.example.com' });
  });

  it('OAuth: every setting', () => {
    const c = load({
      MCP_OAUTH_ISSUER: 'https://id.example.com',
      MCP_PUBLIC_URL: 'https://mcp.example.com:8443',
      MCP_OAUTH_AUDIENCE: 'api://hostaway, https://mcp.example.com:8443/mcp',
      MCP_OAUTH_JWKS_URL: 'https://id.example.com/keys',
      MCP_OAUTH_SCOPE_READ: 'mcp.read',
      MCP_OAUTH_SCOPE_WRITE: 'mcp.write',
    });
    expect(c.auth.oauth).toEqual({
      issuer: 'https://id.example.com',
      publicUrl: 'https://mcp.example.com:8443',
      audience: ['api://hostaway', 'https://mcp.example.com:8443/mcp'],
      jwksUrl: 'https://id.example.com/keys',
      scopes: { read: 'mcp.read', write: 'mcp.write' },
    });
  });

  it('OAuth: the issuer needs the public URL; its other settings need the issuer', () => {
    expect(problems(() => load({ MCP_OAUTH_ISSUER: 'https://id.example.com' }))).toEqual([
      expect.stringMatching(/MCP_OAUTH_ISSUER is set but MCP_PUBLIC_URL is not/),
    ]);
    const found = problems(() =>
      load({
        MCP_OAUTH_JWKS_URL: 'https://id.example.com/keys',
        MCP_OAUTH_SCOPE_READ: 'r',
        MCP_OAUTH_AUDIENCE: 'x',
      }),
    ).join('\n');
    expect(found).toMatch(/MCP_OAUTH_AUDIENCE is set but MCP_OAUTH_ISSUER is not/);
    expect(found).toMatch(/MCP_OAUTH_JWKS_URL is set but MCP_OAUTH_ISSUER is not/);
    expect(found).toMatch(/MCP_OAUTH_SCOPE_READ is set but MCP_OAUTH_ISSUER is not/);
  });

  it('OAuth: https (http only on loopback), an origin for the public URL, sane scopes', () => {
    const found = problems(() =>
      load({
        MCP_OAUTH_ISSUER: 'http://id.example.com',
        MCP_PUBLIC_URL: 'https://mcp.example.com/hostaway',
        MCP_OAUTH_JWKS_URL: 'http://id.example.com/keys',
        MCP_OAUTH_SCOPE_READ: 'hostaway read',
        MCP_OAUTH_SCOPE_WRITE: 'hostaway read',
      }),
    ).join('\n');
    expect(found).toMatch(/MCP_OAUTH_ISSUER must be https/);
    expect(found).toMatch(/MCP_PUBLIC_URL must be the server's public origin only/);
    expect(found).toMatch(/MCP_OAUTH_JWKS_URL must be https/);
    expect(found).toMatch(/MCP_OAUTH_SCOPE_READ must be one scope/);
    expect(found).toMatch(/MCP_OAUTH_SCOPE_READ and MCP_OAUTH_SCOPE_WRITE must differ/);
    expect(problems(() => load({ MCP_PUBLIC_URL: 'http://mcp.example.com' }))[0]).toMatch(
      /MCP_PUBLIC_URL must be https/,
    );
    expect(problems(() => load({ MCP_OAUTH_ISSUER: 'not a url' }))[0]).toMatch(
      /MCP_OAUTH_ISSUER must be an http/,
    );
    // A local authorization server and a local public URL are fine over http.
    expect(
      load({ MCP_OAUTH_ISSUER: 'http://127.0.0.1:8080', MCP_PUBLIC_URL: 'http://localhost:3000' }).auth.oauth
        ?.publicUrl,
    ).toBe('http://localhost:3000');
  });

  it('HTTP beyond loopback accepts any of MCP_AUTH_TOKEN, MCP_TOKENS_FILE, OAuth, and needs one', async () => {
    const http = (env: Record<string, string>) =>
      checkHttpConfig(load({ MCP_HTTP_HOST: '0.0.0.0', ...env }), async () => [{ address: '0.0.0.0' }]);
    const refusal = http({});
    await expect(refusal).rejects.toThrow(/MCP_AUTH_TOKEN.*MCP_TOKENS_FILE.*MCP_OAUTH_ISSUER/);
    await expect(http({ MCP_AUTH_TOKEN: 'long-enough-token-123' })).resolves.toEqual({ loopback: false });
    const file = await tokensFile({ tokens: [{ name: 'bob', token: TOKEN, scopes: ['read'] }] });
    await expect(http({ MCP_TOKENS_FILE: file })).resolves.toEqual({ loopback: false });
    await expect(
      http({ MCP_OAUTH_ISSUER: 'https://id.example.com', MCP_PUBLIC_URL: 'https://mcp.example.com' }),
    ).resolves.toEqual({ loopback: false });
    // A public URL alone turns nothing on.
    await expect(http({ MCP_PUBLIC_URL: 'https://mcp.example.com' })).rejects.toThrow(
      /not a loopback address/,
    );
  });
});
