/**
 * The authenticator's vocabulary, shared by every HTTP surface: what a caller may do (scopes), who it is
 * (principal), and what the settings say (tokens, OAuth).
 */

/** What a route needs. `write` implies `read` wherever a scope is granted. */
export type Scope = 'read' | 'write';
export const SCOPES: readonly Scope[] = ['read', 'write'];

export interface Principal {
  /**
   * Who is calling, for logs and the write audit: `token:<name>` for a named (or the default) token,
   * `oauth:<sub>` for an OAuth access token, `loopback` when no authentication is configured.
   */
  name: string;
  scopes: ReadonlySet<Scope>;
  via: 'token' | 'oauth' | 'loopback';
  /**
   * The Hostaway accounts it may use, by name, when a named token is limited to some (its `accounts` in
   * MCP_TOKENS_FILE); absent means every account (OAuth principals, the default token, loopback).
   */
  accounts?: ReadonlySet<string>;
  /** The OAuth client the token was issued to (`client_id` or `azp`), when the token says. */
  clientId?: string;
  /** When the credential stops being valid, in seconds since the epoch (OAuth `exp`). */
  expiresAt?: number;
}

/** A refusal: the status, the `WWW-Authenticate` challenge, and the OAuth error code with its text. */
export interface AuthFailure {
  ok: false;
  status: 401 | 403;
  wwwAuthenticate: string;
  /**
   * The RFC 6750 error code: `invalid_request`, `invalid_token` or `insufficient_scope`; `unauthorized`
   * when no credentials came at all (the challenge then carries no error code, as RFC 6750 §3.1 asks).
   */
  error: string;
  /** What is wrong, for the caller; never contains the presented token. */
  description: string;
}

export type AuthOutcome = { ok: true; principal: Principal } | AuthFailure;

export interface Authenticator {
  /** `authorization` is the raw Authorization header value (or undefined); `required` is the scope the route needs. */
  authenticate(authorization: string | undefined, required: Scope): Promise<AuthOutcome>;
  /** Protected resource metadata document (RFC 9728), or undefined when OAuth is not configured. */
  resourceMetadata(): Record<string, unknown> | undefined;
  /**
   * The path(s) the metadata document is served at: the path-suffixed form first
   * (`/.well-known/oauth-protected-resource/mcp`, the one the challenges name), then the root form.
   * Empty when OAuth is not configured.
   */
  metadataPaths: string[];
  close?(): void;
}

/** One named token from MCP_TOKENS_FILE (or MCP_AUTH_TOKEN), kept as the SHA-256 of its secret. */
export interface NamedToken {
  name: string;
  /** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
  sha256: string;
  scopes: Scope[];
  /** The accounts (names from HOSTAWAY_ACCOUNTS_FILE) it may use; every one when absent. */
  accounts?: string[];
}

export interface OAuthSettings {
  /** The authorization server's issuer identifier; tokens' `iss` must equal it exactly. */
  issuer: string;
  /** The server's public origin (MCP_PUBLIC_URL), e.g. `https://mcp.example.com`; no path. */
  publicUrl: string;
  /** Accepted `aud` values (any one suffices); defaults to the resource URL, `<publicUrl>/mcp`. */
  audience?: string[];
  /** The issuer's JWKS; discovered from its metadata when omitted. */
  jwksUrl?: string;
  /** The token scope strings that grant read and write; default `hostaway:read`, `hostaway:write`. */
  scopes?: { read: string; write: string };
}

export interface AuthSettings {
  /** MCP_AUTH_TOKEN: one shared token, the principal `token:default`, read and write. */
  token?: string;
  /** MCP_TOKENS_FILE's entries. */
  tokens?: NamedToken[];
  oauth?: OAuthSettings;
}

export const DEFAULT_OAUTH_SCOPES = { read: 'hostaway:read', write: 'hostaway:write' } as const;
export const DEFAULT_TOKEN_NAME = 'default';
/** Shortest accepted token secret, in characters. */
export const MIN_TOKEN_LENGTH = 16;
/** The realm named in challenges when OAuth is off. */
export const REALM = 'hostaway-mcp';
/** Where the MCP endpoint lives on the server. */
export const MCP_PATH = '/mcp';
export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The canonical URI of the MCP endpoint (the OAuth resource), from the public origin. */
export function resourceUrl(publicUrl: string): string {
  return `${new URL(publicUrl).origin}${MCP_PATH}`;
}

/** Where the protected resource metadata is published for that resource (RFC 9728 §3.1). */
export function resourceMetadataUrl(publicUrl: string): string {
  return `${new URL(publicUrl).origin}${METADATA_PATH}${MCP_PATH}`;
}

/** https, or http to a loopback host (a local authorization server, tests). */
export function isSecureUrl(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'https:') return true;
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}
