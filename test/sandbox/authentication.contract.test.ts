import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenResponse, OAuthErrorBody } from '../../src/hostaway/schemas.js';
import { expectFail, type Harness, mintToken, startHarness } from '../helpers/sandbox.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});

describe('authentication (_authentication.md; index page "Working with authorization token")', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const good = () => ({
    grant_type: 'client_credentials',
    client_id: String(h.sandbox.accountId),
    client_secret: h.sandbox.clientSecret,
    scope: 'general',
  });

  it('POST /v1/accessTokens returns token_type, expires_in (24 months) and a JWT access_token', async () => {
    const res = await fetch(`${h.sandbox.url}/accessTokens`, form(good()));
    expect(res.status).toBe(200);
    const body = AccessTokenResponse.strict().parse(await res.json());
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(63_072_000);
    const [header, payload, signature] = body.access_token.split('.');
    expect(signature).toBeTruthy();
    expect(JSON.parse(Buffer.from(header as string, 'base64url').toString())).toMatchObject({ typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    expect(claims).toMatchObject({ aud: String(h.sandbox.accountId), scopes: ['general'] });
    // The token carries no secret.
    expect(body.access_token).not.toContain(h.sandbox.clientSecret);
  });

  it('also accepts the multipart form the docs show with curl --form', async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(good())) fd.append(k, v);
    const res = await fetch(`${h.sandbox.url}/accessTokens`, { method: 'POST', body: fd });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { client_secret: 'not-the-secret' }, 401, 'invalid_client'],
    ['a wrong account id', { client_id: '999' }, 401, 'invalid_client'],
    ['another grant type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['another scope', { scope: 'admin' }, 400, 'invalid_scope'],
    ['no client_secret', { client_secret: '' }, 400, 'invalid_request'],
  ])('rejects %s with the OAuth error body', async (_name, change, status, error) => {
    const fields = { ...good(), ...change };
    const res = await fetch(`${h.sandbox.url}/accessTokens`, form(fields));
    expect(res.status).toBe(status);
    expect(OAuthErrorBody.parse(await res.json()).error).toBe(error);
  });

  it('rejects a JSON body: the endpoint takes a form', async () => {
    const res = await fetch(`${h.sandbox.url}/accessTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(good()),
    });
    expect(res.status).toBe(400);
  });

  it('answers 403 with a fail body to a missing, malformed or forged token', async () => {
    await expectFail(await fetch(`${h.sandbox.url}/listings`), 403, /missing/);
    await expectFail(
      await fetch(`${h.sandbox.url}/listings`, { headers: { authorization: 'Token x' } }),
      403,
      /Bearer/,
    );
    const forged = `${h.token.slice(0, -4)}AAAA`;
    await expectFail(
      await fetch(`${h.sandbox.url}/listings`, { headers: { authorization: `Bearer ${forged}` } }),
      403,
      /Invalid/,
    );
  });

  it('answers 403 once the token has expired (clock moved past its lifetime)', async () => {
    const token = await mintToken(h.sandbox);
    const ok = await fetch(`${h.sandbox.url}/listings?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    h.sandbox.auth.expireAll();
    await expectFail(
      await fetch(`${h.sandbox.url}/listings?limit=1`, { headers: { authorization: `Bearer ${token}` } }),
      403,
      /expired/,
    );
    h.token = await mintToken(h.sandbox);
  });

  it('DELETE /v1/accessTokens?token= revokes a token; a revoked token gets 403', async () => {
    const token = await mintToken(h.sandbox);
    const res = await fetch(`${h.sandbox.url}/accessTokens?token=${encodeURIComponent(token)}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', result: [] });
    await expectFail(
      await fetch(`${h.sandbox.url}/listings`, { headers: { authorization: `Bearer ${token}` } }),
      403,
      /revoked/,
    );
    await expectFail(await fetch(`${h.sandbox.url}/accessTokens?token=nope`, { method: 'DELETE' }), 404);
  });

  it('expires tokens after a configured short lifetime', async () => {
    const short = await startHarness({ tokenTtlSeconds: 60 });
    try {
      expect((await short.api('/listings?limit=1')).status).toBe(200);
      short.sandbox.advanceClock(61_000);
      await expectFail(await short.api('/listings?limit=1'), 403, /expired/);
    } finally {
      await short.close();
    }
  });

  it('enforces the documented one-second wait before a new token works, when configured', async () => {
    const delayed = await startHarness({ tokenActivationDelayMs: 1000 }).catch((e: unknown) => e);
    // The harness mints and keeps the token; using it at once is refused.
    expect(delayed).not.toBeInstanceOf(Error);
    const d = delayed as Harness;
    try {
      await expectFail(await d.api('/listings?limit=1'), 403, /not active yet/);
      d.sandbox.advanceClock(1000);
      expect((await d.api('/listings?limit=1')).status).toBe(200);
    } finally {
      await d.close();
    }
  });
});
