/**
 * OAuth 2.1 access tokens as a resource server checks them: a JWT signed by the configured issuer's
 * keys (JWKS), issued for this server (audience, RFC 8707), not expired, with an asymmetric algorithm.
 *
 * The JWKS comes from MCP_OAUTH_JWKS_URL or, when that is unset, from the issuer's metadata (RFC 8414
 * `oauth-authorization-server`, then OpenID Connect discovery: the same documents, in the same order, an
 * MCP client reads to find the authorization server), fetched on the first token and kept. A document
 * that names another issuer is not used (RFC 8414 §3.3). Failing to reach the keys is not the caller's
 * fault: it surfaces as {@link AuthUnavailableError}, not as an invalid token.
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { AuthUnavailableError } from './challenge.js';
import {
  DEFAULT_OAUTH_SCOPES,
  isSecureUrl,
  type OAuthSettings,
  resourceMetadataUrl,
  resourceUrl,
} from './types.js';

/** Asymmetric signatures only: a shared-secret HS256 token or an unsigned one (`none`) is refused. */
export const ACCEPTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** Allowed clock skew between this server and the authorization server, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** How long to wait for the issuer's metadata or keys. */
const FETCH_TIMEOUT_MS = 5_000;
/** After failing to discover the keys, how long to answer from that failure before trying again. */
const DISCOVERY_RETRY_MS = 30_000;

export interface ResolvedOAuth {
  issuer: string;
  resource: string;
  metadataUrl: string;
  audience: string[];
  jwksUrl?: string;
  scopes: { read: string; write: string };
}

export function resolveOAuth(s: OAuthSettings): ResolvedOAuth {
  const resource = resourceUrl(s.publicUrl);
  return {
    issuer: s.issuer,
    resource,
    metadataUrl: resourceMetadataUrl(s.publicUrl),
    audience: s.audience?.length ? [...s.audience] : [resource],
    jwksUrl: s.jwksUrl,
    scopes: s.scopes ?? { ...DEFAULT_OAUTH_SCOPES },
  };
}

export type TokenCheck =
  | { ok: true; subject: string; clientId?: string; scopes: Set<string>; expiresAt: number }
  | { ok: false; description: string };

export interface OAuthDeps {
  fetch?: typeof fetch;
  now?: () => number;
}

/** The metadata documents to try for an issuer, in the order MCP clients try them. */
export function metadataCandidates(issuer: string): string[] {
  const { origin, pathname } = new URL(issuer);
  const path = pathname.replace(/\/+$/, '');
  if (!path)
    return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

export class OAuthVerifier {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private keys: JWTVerifyGetKey | undefined;
  private pending: Promise<JWTVerifyGetKey> | undefined;
  private failure: { at: number; error: AuthUnavailableError } | undefined;

  constructor(
    readonly settings: ResolvedOAuth,
    deps: OAuthDeps = {},
  ) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.now = deps.now ?? Date.now;
    if (settings.jwksUrl) this.keys = this.remoteKeys(settings.jwksUrl);
  }

  async check(token: string): Promise<TokenCheck> {
    const { issuer, audience } = this.settings;
    // Cheap refusals first, from the unverified claims: refusing on them is safe, and a foreign token
    // then costs no key fetch.
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      return { ok: false, description: 'the token is not a well-formed JWT' };
    }
    if (typeof claims.iss !== 'string') return { ok: false, description: 'the token names no issuer (iss)' };
    if (claims.iss !== issuer) return { ok: false, description: wrongIssuer(claims.iss, issuer) };

    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      return { ok: false, description: this.explain(err, token) };
    }
    if (typeof payload.sub !== 'string' || payload.sub === '')
      return { ok: false, description: 'the token names no subject (sub)' };
    const client = payload.client_id ?? payload.azp;
    return {
      ok: true,
      subject: payload.sub,
      ...(typeof client === 'string' && client ? { clientId: client } : {}),
      scopes: tokenScopes(payload),
      expiresAt: payload.exp as number,
    };
  }

  private explain(err: unknown, token: string): string {
    if (err instanceof errors.JWTExpired) {
      const exp = err.payload.exp;
      return typeof exp === 'number' ? `the token expired at ${isoTime(exp)}` : 'the token has expired';
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      const { claim, reason, payload } = err;
      if (claim === 'aud')
        return reason === 'missing'
          ? `the token names no audience (aud); it must be issued for ${this.settings.audience.join(' or ')}`
          : `the token is not for this server: its audience is ${shown(payload.aud)}, not ${this.settings.audience.join(' or ')} (the client must ask for resource=${this.settings.resource})`;
      if (claim === 'iss') return wrongIssuer(payload.iss, this.settings.issuer);
      if (claim === 'nbf') return 'the token is not valid yet (nbf is in the future)';
      if (claim === 'exp') return 'the token has no valid expiry (exp)';
      return `the token's ${shown(claim)} claim is invalid`;
    }
    if (err instanceof errors.JOSEAlgNotAllowed) {
      const alg = safeAlg(token);
      return alg === 'none'
        ? 'the token is unsigned (alg none); only signed tokens are accepted'
        : `the token is signed with ${shown(alg)}; accepted algorithms are ${ACCEPTED_ALGORITHMS.join(', ')}`;
    }
    if (err instanceof errors.JWSSignatureVerificationFailed)
      return "the token's signature does not verify against the authorization server's keys";
    if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
      return "the token is signed with a key the authorization server does not publish (or not for the token's algorithm)";
    if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
      return 'the token is not a well-formed JWT';
    if (err instanceof errors.JOSEError) return `the token cannot be verified (${err.code})`;
    // Ours (the keys are out of reach) or a fault: not the caller's token's doing.
    throw err;
  }

  /** The JWKS resolver: configured, or discovered once from the issuer's metadata. */
  private async keySet(): Promise<JWTVerifyGetKey> {
    if (this.keys) return this.keys;
    if (this.failure && this.now() - this.failure.at < DISCOVERY_RETRY_MS) throw this.failure.error;
    this.pending ??= this.discover().then(
      (jwksUrl) => {
        this.keys = this.remoteKeys(jwksUrl);
        this.failure = undefined;
        this.pending = undefined;
        return this.keys;
      },
      (err: unknown) => {
        const error =
          err instanceof AuthUnavailableError
            ? err
            : new AuthUnavailableError(`cannot discover the keys of ${this.settings.issuer}`, { cause: err });
        this.failure = { at: this.now(), error };
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  private async discover(): Promise<string> {
    const { issuer } = this.settings;
    const notes: string[] = [];
    for (const url of metadataCandidates(issuer)) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          headers: { accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        });
      } catch (err) {
        notes.push(`${url}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`);
        continue;
      }
      if (response.status !== 200) {
        notes.push(`${url}: HTTP ${response.status}`);
        await response.body?.cancel();
        continue;
      }
      let doc: { issuer?: unknown; jwks_uri?: unknown };
      try {
        doc = (await response.json()) as typeof doc;
      } catch {
        notes.push(`${url}: not JSON`);
        continue;
      }
      if (doc?.issuer !== issuer) {
        notes.push(`${url}: names the issuer ${shown(doc?.issuer)}, not ${issuer}`);
        continue;
      }
      if (typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri)) {
        notes.push(`${url}: has no jwks_uri`);
        continue;
      }
      if (!isSecureUrl(doc.jwks_uri)) {
        notes.push(`${url}: its jwks_uri is not https`);
        continue;
      }
      return doc.jwks_uri;
    }
    throw new AuthUnavailableError(
      `cannot discover the keys of ${issuer} (set MCP_OAUTH_JWKS_URL to skip discovery): ${notes.join('; ')}`,
    );
  }

  private remoteKeys(jwksUrl: string): JWTVerifyGetKey {
    const remote = createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      [customFetch]: this.fetch,
    });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        // No key for the token is the token's problem; no keys at all is ours.
        if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
          throw err;
        throw new AuthUnavailableError(
          `cannot fetch the keys at ${jwksUrl} (${err instanceof errors.JOSEError ? err.message : (err as Error).name})`,
          { cause: err },
        );
      }
    };
  }
}

/** The scope strings a token carries: `scope` (space-separated, RFC 9068) and `scp` (string or list). */
export function tokenScopes(payload: JWTPayload): Set<string> {
  const out = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    if (typeof claim === 'string') for (const s of claim.split(' ')) s && out.add(s);
    else if (Array.isArray(claim)) for (const s of claim) typeof s === 'string' && s && out.add(s);
  }
  return out;
}

function wrongIssuer(found: unknown, expected: string): string {
  return `the token was issued by ${shown(found)}, not by ${expected}`;
}

function safeAlg(token: string): unknown {
  try {
    return decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/** A claim's value for a message: short, printable (claims come from the caller's token). */
function shown(value: unknown): string {
  const text = Array.isArray(value)
    ? value.map((v) => String(v)).join(', ')
    : value === undefined
      ? 'nothing'
      : String(value);
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}
