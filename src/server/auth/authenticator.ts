/**
 * One authenticator for every HTTP surface. A bearer token is checked against, in turn:
 *
 * - the named tokens (MCP_TOKENS_FILE) and the shared MCP_AUTH_TOKEN, by SHA-256 digest, compared in
 *   constant time against every entry (no early exit, so timing tells nothing about which one matched);
 * - then, when OAuth is configured and the token looks like a JWT, as an OAuth access token.
 *
 * With nothing configured every caller is the loopback principal with read and write: the caller of
 * this module decides that only happens on loopback (`checkHttpConfig`).
 *
 * Refusals follow RFC 6750 and the MCP authorization spec: 401 with no error code when no credentials
 * came, `invalid_request` for a malformed header, `invalid_token` for a token that does not check out,
 * 403 `insufficient_scope` (naming the scope needed) for a valid token that may not do this. With OAuth
 * on, every challenge names the protected resource metadata, where clients find the authorization server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerChallenge, type ChallengeParams } from './challenge.js';
import { type OAuthDeps, OAuthVerifier, resolveOAuth } from './oauth.js';
import {
  type Authenticator,
  type AuthFailure,
  type AuthOutcome,
  type AuthSettings,
  DEFAULT_TOKEN_NAME,
  MCP_PATH,
  METADATA_PATH,
  MIN_TOKEN_LENGTH,
  type Principal,
  type Scope,
} from './types.js';

/** The characters RFC 6750's b64token allows. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

interface StoredToken {
  principal: Principal;
  digest: Buffer;
}

const withImplied = (scopes: Iterable<Scope>): ReadonlySet<Scope> => {
  const set = new Set(scopes);
  if (set.has('write')) set.add('read');
  return set;
};

export function createAuthenticator(settings: AuthSettings, deps: OAuthDeps = {}): Authenticator {
  const stored: StoredToken[] = [];
  if (settings.token !== undefined) {
    if (settings.token.length < MIN_TOKEN_LENGTH)
      throw new TypeError(`MCP_AUTH_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
    stored.push({
      principal: {
        name: `token:${DEFAULT_TOKEN_NAME}`,
        scopes: withImplied(['read', 'write']),
        via: 'token',
      },
      digest: createHash('sha256').update(settings.token, 'utf8').digest(),
    });
  }
  for (const t of settings.tokens ?? []) {
    if (!/^[0-9a-f]{64}$/i.test(t.sha256))
      throw new TypeError(`token "${t.name}": sha256 must be 64 hex digits`);
    stored.push({
      principal: {
        name: `token:${t.name}`,
        scopes: withImplied(t.scopes),
        via: 'token',
        ...(t.accounts ? { accounts: new Set(t.accounts) } : {}),
      },
      digest: Buffer.from(t.sha256, 'hex'),
    });
  }
  const oauth = settings.oauth ? new OAuthVerifier(resolveOAuth(settings.oauth), deps) : undefined;

  if (!stored.length && !oauth) {
    const loopback: Principal = {
      name: 'http (loopback, no token)',
      scopes: withImplied(['read', 'write']),
      via: 'loopback',
    };
    return {
      authenticate: async () => ({ ok: true, principal: loopback }),
      resourceMetadata: () => undefined,
      metadataPaths: [],
    };
  }

  const o = oauth?.settings;
  /** The scope string a challenge names: the OAuth scope when OAuth is on, else our own name for it. */
  const scopeName = (scope: Scope) => (o ? o.scopes[scope] : scope);
  const refuse = (
    status: 401 | 403,
    error: string,
    description: string,
    params: ChallengeParams,
  ): AuthFailure => ({
    ok: false,
    status,
    error,
    description,
    wwwAuthenticate: bearerChallenge(params, o?.metadataUrl),
  });
  const invalidToken = (description: string, required: Scope) =>
    refuse(401, 'invalid_token', description, {
      error: 'invalid_token',
      description,
      ...(o ? { scope: scopeName(required) } : {}),
    });

  function matchStored(token: string): Principal | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    let found: Principal | undefined;
    for (const entry of stored) if (timingSafeEqual(digest, entry.digest)) found ??= entry.principal;
    return found;
  }

  function authorize(principal: Principal, required: Scope): AuthOutcome {
    if (principal.scopes.has(required)) return { ok: true, principal };
    const needed = scopeName(required);
    const description = `${principal.name} may not ${required}: that needs the ${needed} scope`;
    return refuse(403, 'insufficient_scope', description, {
      error: 'insufficient_scope',
      description,
      scope: needed,
    });
  }

  return {
    async authenticate(authorization, required) {
      if (authorization === undefined || authorization.trim() === '') {
        const description = o
          ? 'an access token is required (Authorization: Bearer <token>); the resource metadata names the authorization server'
          : 'a bearer token is required (Authorization: Bearer <token>)';
        return refuse(401, 'unauthorized', description, o ? { scope: scopeName(required) } : {});
      }
      const match = BEARER.exec(authorization);
      if (!match) {
        const description = 'the Authorization header must be "Bearer <token>"';
        return refuse(401, 'invalid_request', description, {
          error: 'invalid_request',
          description,
          ...(o ? { scope: scopeName(required) } : {}),
        });
      }
      const token = match[1] as string;

      const known = matchStored(token);
      if (known) return authorize(known, required);
      if (!oauth) return invalidToken('the token is not one this server knows', required);
      if (!JWT_SHAPE.test(token))
        return invalidToken(
          stored.length
            ? 'the token is not one this server knows, nor a JWT access token'
            : 'the token is not a JWT access token',
          required,
        );

      const checked = await oauth.check(token);
      if (!checked.ok) return invalidToken(checked.description, required);
      const granted: Scope[] = [];
      if (checked.scopes.has(oauth.settings.scopes.read)) granted.push('read');
      if (checked.scopes.has(oauth.settings.scopes.write)) granted.push('write');
      return authorize(
        {
          name: `oauth:${printable(checked.subject)}`,
          scopes: withImplied(granted),
          via: 'oauth',
          ...(checked.clientId ? { clientId: printable(checked.clientId) } : {}),
          expiresAt: checked.expiresAt,
        },
        required,
      );
    },

    resourceMetadata() {
      if (!o) return undefined;
      return {
        resource: o.resource,
        authorization_servers: [o.issuer],
        scopes_supported: [o.scopes.read, o.scopes.write],
        bearer_methods_supported: ['header'],
        resource_name: 'Hostaway MCP server',
      };
    },

    metadataPaths: o ? [`${METADATA_PATH}${MCP_PATH}`, METADATA_PATH] : [],
  };
}

/** A claim as it may appear in a log line or the audit: printable, bounded. */
function printable(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 197)}...` : clean;
}
