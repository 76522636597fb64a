import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AuthFailure,
  type AuthOutcome,
  AuthUnavailableError,
  createAuthenticator,
  hashToken,
  loadTokensFile,
  type NamedToken,
  parseTokensFile,
  writeAuthFailure,
} from '../../../src/server/auth/index.js';
import { parseChallenge } from './issuer.js';

const ALICE = 'alice-secret-token-0f3c9a7e51';
const CI = 'ci-plain-token-88d1b2c4e6';
const SHARED = 'shared-default-token-5a6b7c8d';

function refused(outcome: AuthOutcome, status: 401 | 403, error: string): AuthFailure {
  if (outcome.ok) throw new Error(`expected a refusal, got ${outcome.principal.name}`);
  expect(outcome.status).toBe(status);
  expect(outcome.error).toBe(error);
  for (const secret of [ALICE, CI, SHARED]) expect(JSON.stringify(outcome)).not.toContain(secret);
  return outcome;
}

async function tokensFile(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hostaway-tokens-'));
  const file = join(dir, 'tokens.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const teamFile = {
  tokens: [
    { name: 'alice', sha256: hashToken(ALICE).toUpperCase(), scopes: ['read', 'write'] },
    { name: 'ci', token: CI, scopes: ['read'] },
  ],
};

async function teamTokens(): Promise<NamedToken[]> {
  const loaded = loadTokensFile(await tokensFile(teamFile));
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.tokens;
}

describe('named tokens from MCP_TOKENS_FILE', () => {
  it('reads hashed and plain entries, and keeps no plain secret', async () => {
    const tokens = await teamTokens();
    expect(tokens).toEqual([
      { name: 'alice', sha256: hashToken(ALICE), scopes: ['read', 'write'] },
      { name: 'ci', sha256: hashToken(CI), scopes: ['read'] },
    ]);
    expect(JSON.stringify(tokens)).not.toContain(CI);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('each token is its own principal with its own scopes', async () => {
    const auth = createAuthenticator({ tokens: await teamTokens() });
    const alice = await auth.authenticate(`Bearer ${ALICE}`, 'write');
    expect(alice).toMatchObject({ ok: true, principal: { name: 'token:alice', via: 'token' } });
    const ci = await auth.authenticate(`bearer ${CI}`, 'read');
    expect(ci.ok && ci.principal.name).toBe('token:ci');
    expect(ci.ok && [...ci.principal.scopes]).toEqual(['read']);
    expect(auth.resourceMetadata()).toBeUndefined();
    expect(auth.metadataPaths).toEqual([]);
  });

  it('a read-only token asking to write gets 403 insufficient_scope, scope="write"', async () => {
    const auth = createAuthenticator({ tokens: await teamTokens() });
    const outcome = refused(await auth.authenticate(`Bearer ${CI}`, 'write'), 403, 'insufficient_scope');
    expect(parseChallenge(outcome.wwwAuthenticate)).toEqual({
      realm: 'hostaway-mcp',
      error: 'insufficient_scope',
      error_description: 'token:ci may not write: that needs the write scope',
      scope: 'write',
    });
  });

  it('a wrong token, a near miss and a hash given as the token are all 401 invalid_token', async () => {
    const auth = createAuthenticator({ tokens: await teamTokens() });
    for (const wrong of ['not-a-token-we-know-123', `${ALICE}x`, ALICE.slice(0, -1), hashToken(ALICE)]) {
      const outcome = refused(await auth.authenticate(`Bearer ${wrong}`, 'read'), 401, 'invalid_token');
      expect(outcome.description).not.toContain(wrong);
      const challenge = parseChallenge(outcome.wwwAuthenticate);
      expect(challenge).toMatchObject({ realm: 'hostaway-mcp', error: 'invalid_token' });
      expect(challenge.resource_metadata).toBeUndefined();
    }
  });

  it('no header: 401 with a bare realm challenge; a malformed one: invalid_request', async () => {
    const auth = createAuthenticator({ tokens: await teamTokens() });
    for (const missing of [undefined, '', '   ']) {
      const outcome = refused(await auth.authenticate(missing, 'read'), 401, 'unauthorized');
      expect(outcome.wwwAuthenticate).toBe('Bearer realm="hostaway-mcp"');
    }
    for (const malformed of [
      'Bearer',
      'Bearer ',
      `Basic ${ALICE}`,
      `Bearer ${ALICE} extra`,
      `Token ${ALICE}`,
      ALICE,
    ]) {
      const outcome = refused(await auth.authenticate(malformed, 'read'), 401, 'invalid_request');
      expect(parseChallenge(outcome.wwwAuthenticate)).toMatchObject({
        realm: 'hostaway-mcp',
        error: 'invalid_request',
      });
    }
  });

  it('MCP_AUTH_TOKEN is the token "default", with read and write, beside the named ones', async () => {
    const auth = createAuthenticator({ token: SHARED, tokens: await teamTokens() });
    const shared = await auth.authenticate(`Bearer ${SHARED}`, 'write');
    expect(shared.ok && shared.principal.name).toBe('token:default');
    expect((await auth.authenticate(`Bearer ${ALICE}`, 'write')).ok).toBe(true);
    expect(() => createAuthenticator({ token: 'short' })).toThrow(/at least 16/);
  });

  it('with nothing configured, every caller is the loopback principal (the caller allows that on loopback only)', async () => {
    const auth = createAuthenticator({});
    for (const header of [undefined, 'Bearer whatever-it-is-0000']) {
      const outcome = await auth.authenticate(header, 'write');
      expect(outcome).toMatchObject({
        ok: true,
        principal: { name: 'http (loopback, no token)', via: 'loopback' },
      });
      expect(outcome.ok && [...outcome.principal.scopes].sort()).toEqual(['read', 'write']);
    }
    expect(auth.resourceMetadata()).toBeUndefined();
  });
});

describe('tokens file problems name the file and the entry, never a secret', () => {
  const problems = (content: unknown, file = 'team-tokens.json') => {
    const result = parseTokensFile(typeof content === 'string' ? content : JSON.stringify(content), file);
    if (result.ok) throw new Error('expected problems');
    for (const p of result.problems) {
      expect(p).toMatch(/^MCP_TOKENS_FILE \(team-tokens\.json\)/);
      expect(p).not.toContain(CI);
      expect(p).not.toContain('short-secret');
    }
    return result.problems.join('\n');
  };

  it('bad entries', () => {
    const text = problems({
      tokens: [
        { name: 'ok', token: CI, scopes: ['read'] },
        { name: 'both', token: `${CI}2`, sha256: hashToken('x'), scopes: ['read'] },
        { name: 'neither', scopes: ['read'] },
        { name: 'short', token: 'short-secret', scopes: ['read'] },
        { name: 'badhash', sha256: 'abc', scopes: ['read'] },
        { name: 'noscopes', token: `${CI}3`, scopes: [] },
        { name: 'admin', token: `${CI}4`, scopes: ['admin'] },
        { name: 'has space', token: `${CI}5`, scopes: ['read'] },
        { name: 'typo', token: `${CI}6`, scope: ['read'] },
        'just a string',
      ],
    });
    expect(text).toMatch(/tokens\[1\] "both": give either sha256 or token/);
    expect(text).toMatch(/tokens\[2\] "neither": give either sha256 or token/);
    expect(text).toMatch(/tokens\[3\] "short": token must be at least 16 characters/);
    expect(text).toMatch(/tokens\[4\] "badhash": sha256 must be 64 hex digits/);
    expect(text).toMatch(/tokens\[5\] "noscopes": scopes must name at least one scope/);
    expect(text).toMatch(/tokens\[6\] "admin": scopes may hold only "read" and "write"/);
    expect(text).toMatch(/tokens\[7\]: name must be/);
    expect(text).toMatch(/tokens\[8\] "typo": unknown field\(s\) scope/);
    expect(text).toMatch(/tokens\[9\]: must be an object/);
    expect(text).not.toMatch(/tokens\[0\]/);
  });

  it('duplicate names and duplicate secrets', () => {
    const text = problems({
      tokens: [
        { name: 'alice', token: CI, scopes: ['read'] },
        { name: 'alice', token: `${CI}2`, scopes: ['read'] },
        { name: 'bob', sha256: hashToken(CI), scopes: ['read'] },
      ],
    });
    expect(text).toMatch(/tokens\[1\] "alice": the name is also used by tokens\[0\]/);
    expect(text).toMatch(/tokens\[2\] "bob": the same token as "alice"/);
  });

  it('not JSON (without quoting the text), not the right shape, empty', () => {
    const broken = `{"tokens": [{"name": "ci", "token": "${CI}" "scopes": ["read"]}]}`;
    expect(problems(broken)).toMatch(/is not valid JSON/);
    expect(problems([])).toMatch(/team-tokens\.json/);
    expect(problems({ tokens: [] })).toMatch(/tokens is empty/);
    expect(problems({ token: [] })).toMatch(/unknown field\(s\) token/);
  });

  it('a file that cannot be read', () => {
    const result = loadTokensFile(join(tmpdir(), 'no-such-dir-4821', 'tokens.json'));
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/MCP_TOKENS_FILE: cannot read .*ENOENT/)],
    });
  });
});

describe('writeAuthFailure', () => {
  async function served(outcome: AuthFailure | AuthUnavailableError) {
    const server = createServer((_req, res) => writeAuthFailure(res, outcome));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
      return { response, body: (await response.json()) as Record<string, unknown> };
    } finally {
      server.close();
    }
  }

  it('writes the challenge and an RFC 9457 problem document', async () => {
    const auth = createAuthenticator({ tokens: await teamTokens() });
    const outcome = refused(await auth.authenticate(`Bearer ${CI}`, 'write'), 403, 'insufficient_scope');
    const { response, body } = await served(outcome);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('www-authenticate')).toBe(outcome.wwwAuthenticate);
    expect(body).toEqual({
      type: 'tag:hostaway-mcp-server,2026:problem/insufficient_scope',
      title: 'The token lacks a scope this needs',
      status: 403,
      detail: outcome.description,
    });
    const missing = refused(await auth.authenticate(undefined, 'read'), 401, 'unauthorized');
    const second = await served(missing);
    expect(second.response.status).toBe(401);
    expect(second.body).toMatchObject({ title: 'A valid token is required', status: 401 });
    expect(second.response.headers.get('www-authenticate')).toBe('Bearer realm="hostaway-mcp"');
  });

  it('an unreachable authorization server is a 503 with Retry-After, its details kept for the log', async () => {
    const { response, body } = await served(
      new AuthUnavailableError('cannot fetch the keys at https://idp.internal/jwks'),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(body).toMatchObject({
      type: 'tag:hostaway-mcp-server,2026:problem/auth_unavailable',
      status: 503,
    });
    expect(JSON.stringify(body)).not.toContain('idp.internal');
  });
});
