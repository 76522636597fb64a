/**
 * `WWW-Authenticate: Bearer ...` challenges (RFC 6750 §3, RFC 9728 §5.1) and the refusal an HTTP
 * surface writes: the challenge plus an RFC 9457 problem document.
 */
import type { ServerResponse } from 'node:http';
import { sendProblem } from '../http-util.js';
import { type AuthFailure, REALM } from './types.js';

export interface ChallengeParams {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description?: string;
  /** Space-separated scope strings the request needs. */
  scope?: string;
}

/**
 * Builds a Bearer challenge. With `resourceMetadata` (OAuth on) it names the metadata document, as MCP
 * clients need to find the authorization server; without, it names the realm.
 */
export function bearerChallenge(params: ChallengeParams, resourceMetadata?: string): string {
  const parts: string[] = [];
  if (!resourceMetadata) parts.push(`realm="${REALM}"`);
  if (params.error) parts.push(`error="${params.error}"`);
  if (params.error && params.description) parts.push(`error_description="${quotable(params.description)}"`);
  if (params.scope) parts.push(`scope="${quotable(params.scope)}"`);
  if (resourceMetadata) parts.push(`resource_metadata="${quotable(resourceMetadata)}"`);
  return `Bearer ${parts.join(', ')}`;
}

/**
 * RFC 6750 limits these quoted values to printable ASCII without `"` and `\`: anything else becomes `?`
 * (so a claim from a token cannot break the header or smuggle another parameter).
 */
export function quotable(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

/** Thrown by `authenticate` when a token cannot be checked now: the authorization server's keys are out of reach. */
export class AuthUnavailableError extends Error {
  readonly status = 503;
  /** Seconds a client should wait before trying again. */
  readonly retryAfterSeconds = 30;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthUnavailableError';
  }
}

/**
 * Writes a refusal: `WWW-Authenticate` and RFC 9457 problem details, the same shape as every other
 * problem this server answers. For an {@link AuthUnavailableError}, a 503 with `Retry-After` (its
 * message, which names URLs, is for the log, not the caller).
 */
export function writeAuthFailure(res: ServerResponse, outcome: AuthFailure | AuthUnavailableError): void {
  if (outcome instanceof AuthUnavailableError) {
    sendProblem(res, {
      status: 503,
      kind: 'auth_unavailable',
      title: 'The token cannot be checked now',
      detail:
        'The access token cannot be checked right now (the authorization server is out of reach); try again shortly.',
      headers: { 'retry-after': String(outcome.retryAfterSeconds), 'cache-control': 'no-store' },
    });
    return;
  }
  sendProblem(res, {
    status: outcome.status,
    kind: outcome.error,
    title: outcome.status === 401 ? 'A valid token is required' : 'The token lacks a scope this needs',
    detail: outcome.description,
    headers: { 'www-authenticate': outcome.wwwAuthenticate, 'cache-control': 'no-store' },
  });
}
