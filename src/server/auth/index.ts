/**
 * Authentication for the HTTP surfaces: named tokens, the shared MCP_AUTH_TOKEN, OAuth 2.1 access
 * tokens (the MCP server as a resource server), or nothing on loopback. See `authenticator.ts`.
 */
export { createAuthenticator } from './authenticator.js';
export { AuthUnavailableError, bearerChallenge, writeAuthFailure } from './challenge.js';
export { ACCEPTED_ALGORITHMS, CLOCK_TOLERANCE_SECONDS } from './oauth.js';
export { hashToken, loadTokensFile, parseTokensFile, type TokensFileResult } from './tokens-file.js';
export {
  type Authenticator,
  type AuthFailure,
  type AuthOutcome,
  type AuthSettings,
  DEFAULT_OAUTH_SCOPES,
  type NamedToken,
  type OAuthSettings,
  type Principal,
  resourceMetadataUrl,
  resourceUrl,
  type Scope,
} from './types.js';
