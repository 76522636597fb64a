import { generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authenticator,
  type AuthOutcome,
  type AuthSettings,
  AuthUnavailableError,
  createAuthenticator,
  type OAuthSettings,
} from '../../../src/server/auth/index.js';
import { parseChallenge, startIssuer, type TestIssuer } from './issuer.js';

const PUBLIC_URL = 'https://mcp.example.com';
const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const HOUR = 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const settings = (extra: Partial<OAuthSettings> = {}): OAuthSettings => ({
  issuer: issuer.issuer,
  publicUrl: PUBLIC_URL,
  jwksUrl: issuer.jwksUrl,
  ...extra,
});

const oauthOnly = (extra: Partial<OAuthSettings> = {}): AuthSettings => ({ oauth: settings(extra) });

/** Claims of a good token: for this server, from this issuer, valid for an hour. */
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  iss: issuer.issuer,
  aud: RESOURCE,
  sub: 'alice',
  iat: nowSeconds(),
  exp: nowSeconds() + HOUR,
  ...extra,
});

const bearer = (token: string) => `Bearer ${token}`;

/** Asserts a refusal, parses its challenge, and checks that the token appears nowhere in it. */
function refused(outcome: AuthOutcome, status: 401 | 403, error: string, token?: string) {
  if (outcome.ok) throw new Error(`expected a refusal, got ${outcome.principal.name}`);
  expect(outcome.status).toBe(status);
  expect(outcome.error).toBe(error);
  if (token) {
    expect(JSON.stringify(outcome)).not.toContain(token);
    // Nor any of its parts (the signature is the secret-like part of a JWT).
    for (const part of token.split('.'))
      if (part.length > 8) expect(JSON.stringify(outcome)).not.toContain(part);
  }
  const challenge = parseChallenge(outcome.wwwAuthenticate);
  expect(challenge.resource_metadata).toBe(METADATA_URL);
  expect(challenge.realm).toBeUndefined();
  return { outcome, challenge };
}

describe('OAuth access tokens (a local issuer, JWKS over HTTP)', () => {
  let auth: Authenticator;
  beforeAll(() => {
    auth = createAuthenticator(oauthOnly());
  });

  it('a read token may read; asking to write gets 403 insufficient_scope naming the write scope', async () => {
    const token = await issuer.sign(claims({ scope: 'openid hostaway:read', client_id: 'claude' }));
    const read = await auth.authenticate(bearer(token), 'read');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.principal.name).toBe('oauth:alice');
    expect(read.principal.via).toBe('oauth');
    expect(read.principal.clientId).toBe('claude');
    expect([...read.principal.scopes]).toEqual(['read']);
    expect(read.principal.expiresAt).toBeGreaterThan(nowSeconds());

    const { outcome, challenge } = refused(
      await auth.authenticate(bearer(token), 'write'),
      403,
      'insufficient_scope',
      token,
    );
    expect(challenge.error).toBe('insufficient_scope');
    expect(challenge.scope).toBe('hostaway:write');
    expect(outcome.description).toMatch(/oauth:alice may not write.*hostaway:write/);
  });

  it('a write token may read and write (write implies read)', async () => {
    const token = await issuer.sign(claims({ scope: 'hostaway:write' }));
    for (const need of ['read', 'write'] as const) {
      const outcome = await auth.authenticate(bearer(token), need);
      expect(outcome.ok, need).toBe(true);
      if (outcome.ok) expect([...outcome.principal.scopes].sort()).toEqual(['read', 'write']);
    }
  });

  it('scopes may come as an scp list (as some authorization servers send them)', async () => {
    const token = await issuer.sign(claims({ scp: ['hostaway:read', 'hostaway:write'] }));
    expect((await auth.authenticate(bearer(token), 'write')).ok).toBe(true);
  });

  it('a valid token with none of our scopes gets 403 insufficient_scope, even to read', async () => {
    const token = await issuer.sign(claims({ scope: 'openid profile' }));
    const { challenge } = refused(
      await auth.authenticate(bearer(token), 'read'),
      403,
      'insufficient_scope',
      token,
    );
    expect(challenge.scope).toBe('hostaway:read');
    const none = await issuer.sign(claims());
    refused(await auth.authenticate(bearer(none), 'read'), 403, 'insufficient_scope', none);
  });

  it('a token for another resource (audience) is refused: RFC 8707', async () => {
    const token = await issuer.sign(
      claims({ aud: 'https://other.example.com/mcp', scope: 'hostaway:write' }),
    );
    const { outcome, challenge } = refused(
      await auth.authenticate(bearer(token), 'read'),
      401,
      'invalid_token',
      token,
    );
    expect(challenge.error).toBe('invalid_token');
    expect(challenge.scope).toBe('hostaway:read');
    expect(outcome.description).toMatch(
      /not for this server.*other\.example\.com.*resource=https:\/\/mcp\.example\.com\/mcp/,
    );
    const noAud = await issuer.sign(claims({ aud: undefined, scope: 'hostaway:write' }));
    expect(
      refused(await auth.authenticate(bearer(noAud), 'read'), 401, 'invalid_token').outcome.description,
    ).toMatch(/no audience/);
  });

  it('a token from another issuer is refused, and costs no key fetch', async () => {
    const before = issuer.requests.length;
    const token = await issuer.sign(claims({ iss: 'https://evil.example.com', scope: 'hostaway:write' }));
    const { outcome } = refused(await auth.authenticate(bearer(token), 'read'), 401, 'invalid_token', token);
    expect(outcome.description).toMatch(/issued by https:\/\/evil\.example\.com/);
    expect(issuer.requests.length).toBe(before);
  });

  it('an expired token is refused; a small clock skew is tolerated', async () => {
    const expired = await issuer.sign(claims({ exp: nowSeconds() - 120, scope: 'hostaway:read' }));
    const { outcome } = refused(
      await auth.authenticate(bearer(expired), 'read'),
      401,
      'invalid_token',
      expired,
    );
    expect(outcome.description).toMatch(/expired at \d{4}-\d\d-\d\dT/);
    const skewed = await issuer.sign(claims({ exp: nowSeconds() - 5, scope: 'hostaway:read' }));
    expect((await auth.authenticate(bearer(skewed), 'read')).ok).toBe(true);
    const noExp = await issuer.sign(claims({ exp: undefined, scope: 'hostaway:read' }));
    refused(await auth.authenticate(bearer(noExp), 'read'), 401, 'invalid_token', noExp);
  });

  it('a token not yet valid, or without a subject, is refused', async () => {
    const future = await issuer.sign(claims({ nbf: nowSeconds() + HOUR, scope: 'hostaway:read' }));
    expect(
      refused(await auth.authenticate(bearer(future), 'read'), 401, 'invalid_token').outcome.description,
    ).toMatch(/not valid yet/);
    const noSub = await issuer.sign(claims({ sub: undefined, scope: 'hostaway:read' }));
    expect(
      refused(await auth.authenticate(bearer(noSub), 'read'), 401, 'invalid_token').outcome.description,
    ).toMatch(/no subject/);
  });

  it('the clock is the one given: a token valid now is expired two hours later', async () => {
    const later = createAuthenticator(oauthOnly(), {
      now: () => Date.now() + 2 * HOUR * 1000,
    });
    const token = await issuer.sign(claims({ scope: 'hostaway:read' }));
    expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
    refused(await later.authenticate(bearer(token), 'read'), 401, 'invalid_token', token);
  });

  it('a token signed by another key is refused, whether it claims our key id or another', async () => {
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const sameKid = await issuer.sign(claims({ scope: 'hostaway:write' }), { key: stranger });
    expect(
      refused(await auth.authenticate(bearer(sameKid), 'read'), 401, 'invalid_token', sameKid).outcome
        .description,
    ).toMatch(/signature does not verify/);
    const otherKid = await issuer.sign(claims({ scope: 'hostaway:write' }), { key: stranger, kid: 'k2' });
    expect(
      refused(await auth.authenticate(bearer(otherKid), 'read'), 401, 'invalid_token', otherKid).outcome
        .description,
    ).toMatch(/key the authorization server does not publish/);
    // A token whose payload was changed after signing (scope raised) no longer verifies.
    const good = await issuer.sign(claims({ scope: 'hostaway:read' }));
    const [h, , sig] = good.split('.');
    const raised = Buffer.from(JSON.stringify(claims({ scope: 'hostaway:write' }))).toString('base64url');
    refused(await auth.authenticate(bearer(`${h}.${raised}.${sig}`), 'write'), 401, 'invalid_token');
  });

  it('unsigned (alg none) and shared-secret (HS256) tokens are refused', async () => {
    const none = new UnsecuredJWT(claims({ scope: 'hostaway:write' })).encode();
    expect(
      refused(await auth.authenticate(bearer(none), 'read'), 401, 'invalid_token', none).outcome.description,
    ).toMatch(/unsigned/);
    // The classic confusion: HMAC keyed with the public key's JSON, which anyone can read.
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk));
    const hs = await new SignJWT(claims({ scope: 'hostaway:write' }))
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(secret);
    expect(
      refused(await auth.authenticate(bearer(hs), 'read'), 401, 'invalid_token', hs).outcome.description,
    ).toMatch(/signed with HS256/);
  });

  it('garbage that looks like a JWT, and a non-JWT, are invalid tokens', async () => {
    refused(await auth.authenticate(bearer('aaaa.bbbb.cccc'), 'read'), 401, 'invalid_token');
    const { outcome } = refused(
      await auth.authenticate(bearer('opaque-token-0123456789'), 'read'),
      401,
      'invalid_token',
      'opaque-token-0123456789',
    );
    expect(outcome.description).toMatch(/not a JWT/);
  });

  it('no credentials: 401 with no error code, naming the metadata and the scope needed', async () => {
    const { outcome, challenge } = refused(await auth.authenticate(undefined, 'write'), 401, 'unauthorized');
    expect(challenge).toEqual({ scope: 'hostaway:write', resource_metadata: METADATA_URL });
    expect(outcome.wwwAuthenticate).toBe(
      `Bearer scope="hostaway:write", resource_metadata="${METADATA_URL}"`,
    );
    const malformed = refused(
      await auth.authenticate('Basic YWxpY2U6c2VjcmV0', 'read'),
      401,
      'invalid_request',
    );
    expect(malformed.challenge.error).toBe('invalid_request');
  });

  it('publishes the protected resource metadata (RFC 9728)', () => {
    expect(auth.resourceMetadata()).toEqual({
      resource: RESOURCE,
      authorization_servers: [issuer.issuer],
      scopes_supported: ['hostaway:read', 'hostaway:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Hostaway MCP server',
    });
    expect(auth.metadataPaths).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
    // The challenge's URL is the public origin plus the first path.
    expect(METADATA_URL).toBe(`${PUBLIC_URL}${auth.metadataPaths[0]}`);
  });

  it('custom scope names and audiences', async () => {
    const custom = createAuthenticator(
      oauthOnly({
        scopes: { read: 'mcp.read', write: 'mcp.write' },
        audience: ['api://hostaway', 'https://alt.example.com/mcp'],
      }),
    );
    const token = await issuer.sign(claims({ aud: ['x', 'api://hostaway'], scope: 'mcp.read' }));
    expect((await custom.authenticate(bearer(token), 'read')).ok).toBe(true);
    const { challenge } = refused(
      await custom.authenticate(bearer(token), 'write'),
      403,
      'insufficient_scope',
    );
    expect(challenge.scope).toBe('mcp.write');
    // The default audience (the resource URL) is no longer accepted once others are named.
    const forResource = await issuer.sign(claims({ scope: 'mcp.read' }));
    refused(await custom.authenticate(bearer(forResource), 'read'), 401, 'invalid_token');
    expect(custom.resourceMetadata()?.scopes_supported).toEqual(['mcp.read', 'mcp.write']);
  });
});

describe('finding the keys', () => {
  it('discovers the JWKS from the issuer metadata once, then keeps it', async () => {
    const auth = createAuthenticator(oauthOnly({ jwksUrl: undefined }));
    const start = issuer.requests.length;
    const token = await issuer.sign(claims({ scope: 'hostaway:read' }));
    expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
    expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
    expect(issuer.requests.slice(start)).toEqual(['/.well-known/oauth-authorization-server', '/jwks.json']);
  });

  it('ignores metadata that names another issuer: the keys are then unavailable (503), not the token invalid', async () => {
    issuer.metadataIssuer = 'https://evil.example.com';
    try {
      let now = Date.now();
      const auth = createAuthenticator(oauthOnly({ jwksUrl: undefined }), { now: () => now });
      const token = await issuer.sign(claims({ scope: 'hostaway:read' }));
      const err = await auth.authenticate(bearer(token), 'read').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthUnavailableError);
      expect((err as Error).message).toMatch(/names the issuer https:\/\/evil\.example\.com/);
      expect((err as Error).message).not.toContain(token);
      // Within the retry pause the failure is answered from memory; after it, discovery runs again.
      const count = issuer.requests.length;
      await expect(auth.authenticate(bearer(token), 'read')).rejects.toBeInstanceOf(AuthUnavailableError);
      expect(issuer.requests.length).toBe(count);
      issuer.metadataIssuer = undefined;
      now += 31_000;
      expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
    } finally {
      issuer.metadataIssuer = undefined;
    }
  });

  it('a JWKS that cannot be fetched makes authenticate throw AuthUnavailableError', async () => {
    const auth = createAuthenticator(oauthOnly());
    const token = await issuer.sign(claims({ scope: 'hostaway:read' }));
    issuer.failWith = 500;
    try {
      const err = await auth.authenticate(bearer(token), 'read').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthUnavailableError);
      expect((err as AuthUnavailableError).status).toBe(503);
    } finally {
      issuer.failWith = undefined;
    }
    expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const auth = createAuthenticator(oauthOnly(), { fetch: counting });
    const token = await issuer.sign(claims({ scope: 'hostaway:read' }));
    expect((await auth.authenticate(bearer(token), 'read')).ok).toBe(true);
    expect(seen).toEqual([issuer.jwksUrl]);
  });
});
