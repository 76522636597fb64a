/**
 * What can go wrong talking to Hostaway, in a few kinds a caller can act on. Every message says what
 * happened and what to do, and none carries a secret, a token or a URL with credentials: these messages
 * reach the model as they are.
 */
export type HostawayErrorKind =
  /** The account id or API key is wrong, or the key was revoked. */
  | 'bad_credentials'
  /** The listing, reservation, conversation... does not exist (or is not visible to this account). */
  | 'not_found'
  /** Hostaway refused the parameters or body (4xx other than auth, 404 and 429). */
  | 'invalid_request'
  /** Hostaway's rate limit was hit, or our own budget could not be had in time. */
  | 'rate_limited'
  /** Hostaway answered 5xx, or an answer that does not fit the documented shape. */
  | 'upstream'
  /** No answer in time, or the connection failed. */
  | 'timeout'
  /** The caller gave up (its AbortSignal fired). */
  | 'cancelled';

export interface HostawayErrorDetails {
  status?: number;
  /** Seconds Hostaway asked us to wait, when it said. */
  retryAfterSeconds?: number;
  /** Whether repeating the same request could succeed. */
  retryable?: boolean;
  cause?: unknown;
}

export class HostawayError extends Error {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly retryable: boolean;

  constructor(
    readonly kind: HostawayErrorKind,
    message: string,
    details: HostawayErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HostawayError';
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.retryable = details.retryable ?? false;
  }
}

const TOKENISH = /(Bearer\s+)[\w.~+/-]+=*|(access_token|client_secret|token)=([^&\s"]+)/gi;

/** Removes bearer tokens and credential parameters from text that may reach a log or the model. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKENISH, (_m, bearer: string | undefined, name: string | undefined) =>
    bearer ? `${bearer}[redacted]` : `${name}=[redacted]`,
  );
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  return out;
}

/** The message Hostaway put in a failure body, trimmed and scrubbed; undefined when there is none. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const raw = [b.result, b.message, b.error_description, b.error].find(
    (v) => typeof v === 'string' && v.trim(),
  );
  return typeof raw === 'string' ? scrubSecrets(raw.trim()).slice(0, 300) : undefined;
}

/** Maps an HTTP failure from Hostaway to an error whose message says what to do. */
export function errorForStatus(
  status: number,
  body: unknown,
  what: string,
  retryAfterSeconds?: number,
): HostawayError {
  const said = upstreamMessage(body);
  const detail = said ? ` Hostaway said: "${said}".` : '';
  if (status === 401 || status === 403)
    return new HostawayError(
      'bad_credentials',
      `Hostaway refused the credentials (HTTP ${status}) for ${what}.${detail} Check HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY (Hostaway dashboard, Settings > Hostaway API).`,
      { status },
    );
  if (status === 404)
    return new HostawayError(
      'not_found',
      `${capitalize(what)} was not found in this Hostaway account.${detail} Check the id.`,
      {
        status,
      },
    );
  if (status === 429)
    return new HostawayError(
      'rate_limited',
      `Hostaway's rate limit was reached for ${what}${retryAfterSeconds ? `; it asked to wait ${retryAfterSeconds} s` : ''}. Try again shortly, or ask for less at once.`,
      { status, retryAfterSeconds, retryable: true },
    );
  if (status >= 500)
    return new HostawayError(
      'upstream',
      `Hostaway is having trouble (HTTP ${status}) with ${what}.${detail} It is usually brief: try again in a minute.`,
      { status, retryable: status === 502 || status === 503 || status === 504 },
    );
  return new HostawayError(
    'invalid_request',
    `Hostaway rejected ${what} (HTTP ${status}).${detail} Fix the request and try again.`,
    {
      status,
    },
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
