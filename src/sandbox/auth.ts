/**
 * The sandbox's authorization server (`_authentication.md`): OAuth 2.0 client credentials for one
 * account, access tokens shaped as the docs describe (a signed JWT), expiry, revocation and the
 * documented one-second wait before a new token works (off unless configured).
 *
 * Failures answer as the docs say for API calls: 403 for a token that is missing, unknown, expired or
 * revoked. The token endpoint's own errors are not documented; they follow RFC 6749 section 5.2
 * (400 for a malformed request, 401 `invalid_client` for a wrong id or secret).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AuthOptions {
  accountId: number;
  clientSecret: string;
  tokenTtlSeconds: number;
  /** The docs ask clients to wait 1 s before using a new token; 0 makes tokens valid at once. */
  tokenActivationDelayMs: number;
  now: () => number;
}

interface TokenRecord {
  accountId: number;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type TokenIssue =
  | { ok: true; body: { token_type: 'Bearer'; expires_in: number; access_token: string } }
  | { ok: false; status: 400 | 401; body: { error: string; error_description: string; message: string } };

export type TokenCheck = { ok: true; accountId: number } | { ok: false; message: string };

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export class SandboxAuth {
  private readonly key = randomBytes(32);
  private readonly tokens = new Map<string, TokenRecord>();
  private issued = 0;

  constructor(private readonly options: AuthOptions) {}

  get tokensIssued(): number {
    return this.issued;
  }

  issue(form: Map<string, string[]>): TokenIssue {
    const one = (name: string) => form.get(name)?.[0];
    const fail = (status: 400 | 401, error: string, description: string): TokenIssue => ({
      ok: false,
      status,
      body: { error, error_description: description, message: description },
    });
    const grant = one('grant_type');
    if (!grant) return fail(400, 'invalid_request', 'The request is missing the grant_type parameter.');
    if (grant !== 'client_credentials')
      return fail(400, 'unsupported_grant_type', 'The grant_type must be client_credentials.');
    const clientId = one('client_id');
    const secret = one('client_secret');
    if (!clientId || !secret)
      return fail(400, 'invalid_request', 'The request is missing the client_id or client_secret parameter.');
    const scope = one('scope');
    if (scope !== undefined && scope !== 'general')
      return fail(400, 'invalid_scope', 'The scope must be general.');
    if (clientId !== String(this.options.accountId) || !sameSecret(secret, this.options.clientSecret))
      return fail(401, 'invalid_client', 'Client authentication failed');

    const now = this.options.now();
    const jti = randomBytes(20).toString('hex');
    const record: TokenRecord = {
      accountId: this.options.accountId,
      issuedAt: now,
      expiresAt: now + this.options.tokenTtlSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(jti, record);
    this.issued++;
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
    const payload = b64url(
      JSON.stringify({
        aud: String(record.accountId),
        jti,
        iat: Math.floor(now / 1000),
        nbf: Math.floor((now + this.options.tokenActivationDelayMs) / 1000),
        exp: Math.floor(record.expiresAt / 1000),
        sub: '',
        scopes: ['general'],
      }),
    );
    const signature = this.sign(`${header}.${payload}`);
    return {
      ok: true,
      body: {
        token_type: 'Bearer',
        expires_in: this.options.tokenTtlSeconds,
        access_token: `${header}.${payload}.${signature}`,
      },
    };
  }

  check(authorization: string | undefined): TokenCheck {
    if (!authorization)
      return { ok: false, message: 'Authorization header is missing: send Authorization: Bearer <token>' };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) return { ok: false, message: 'Authorization header must be: Bearer <token>' };
    const record = this.lookup(m[1] as string);
    if (!record) return { ok: false, message: 'Invalid access token' };
    const now = this.options.now();
    if (record.revoked) return { ok: false, message: 'Access token has been revoked' };
    if (now >= record.expiresAt) return { ok: false, message: 'Access token has expired' };
    if (now < record.issuedAt + this.options.tokenActivationDelayMs)
      return { ok: false, message: 'Access token is not active yet: wait 1 second after issuing it' };
    return { ok: true, accountId: record.accountId };
  }

  /** `DELETE /v1/accessTokens?token=...`; false when the token is not one of ours. */
  revoke(token: string): boolean {
    const record = this.lookup(token);
    if (!record) return false;
    record.revoked = true;
    return true;
  }

  /** For tests and the admin API: every token issued so far stops working. */
  revokeAll(): number {
    for (const r of this.tokens.values()) r.revoked = true;
    return this.tokens.size;
  }

  /** For tests and the admin API: every token issued so far is past its expiry. */
  expireAll(): number {
    const now = this.options.now();
    for (const r of this.tokens.values()) r.expiresAt = Math.min(r.expiresAt, now);
    return this.tokens.size;
  }

  private lookup(token: string): TokenRecord | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = this.sign(`${header}.${payload}`);
    if (!sameSecret(signature, expected)) return undefined;
    try {
      const { jti } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: string };
      return jti ? this.tokens.get(jti) : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
