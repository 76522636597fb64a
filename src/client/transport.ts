/**
 * HTTP to Hostaway over a keep-alive connection pool (undici), with connect and read timeouts and a
 * deadline per attempt. Failures become `HostawayError`s that say whether the request may have reached
 * Hostaway: only one that surely did not (the connection was never made) is safe to repeat when the
 * request is not idempotent.
 */
import { Agent, errors as undiciErrors } from 'undici';
import { HostawayError } from './errors.js';

export interface TransportOptions {
  baseUrl: string;
  connectTimeoutMs: number;
  /**
   * Longest silence while waiting for headers or body. undici checks it on a coarse (about 1 s)
   * timer, so it is meant for values of seconds; the attempt's deadline below is exact.
   */
  readTimeoutMs: number;
  /**
   * Bound on sending the request. undici has no timer of its own for the write phase, so it is
   * enforced in the attempt's overall deadline (connect + write + read).
   */
  writeTimeoutMs: number;
  maxConnections: number;
  userAgent: string;
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A transport failure, with whether the request could have reached the server. */
export class TransportError extends HostawayError {
  constructor(
    message: string,
    readonly maybeSent: boolean,
    cause: unknown,
  ) {
    super('timeout', message, { retryable: true, cause });
    this.name = 'TransportError';
  }
}

export class Transport {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly options: TransportOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.readTimeoutMs,
      bodyTimeout: options.readTimeoutMs,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connections: options.maxConnections,
    });
  }

  /** The origin and path of the API, without credentials, for messages. */
  get describe(): string {
    return `${this.base.origin}${this.base.pathname.replace(/\/$/, '')}`;
  }

  async send(req: RawRequest): Promise<RawResponse> {
    const url = new URL(req.path.replace(/^\//, ''), this.base);
    if (req.query) url.search = req.query.toString();
    const deadline = this.options.connectTimeoutMs + this.options.writeTimeoutMs + this.options.readTimeoutMs;
    const timeout = AbortSignal.timeout(deadline);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      const res = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers: { 'user-agent': this.options.userAgent, accept: 'application/json', ...req.headers },
        body: req.body,
        signal,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      if (req.signal?.aborted)
        throw new HostawayError('cancelled', 'The request to Hostaway was cancelled.', { cause: err });
      throw this.describeFailure(err, timeout.aborted, deadline);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private describeFailure(err: unknown, deadlinePassed: boolean, deadline: number): TransportError {
    const code = (err as { code?: string }).code ?? '';
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    if (err instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT')
      return new TransportError(
        `Could not connect to Hostaway within ${seconds(this.options.connectTimeoutMs)}. Check the network, then try again.`,
        false,
        err,
      );
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH')
      return new TransportError(
        `Could not reach Hostaway at ${this.describe} (${code}). Check the network or HOSTAWAY_BASE_URL, then try again.`,
        false,
        err,
      );
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError)
      return new TransportError(
        `Hostaway did not answer within ${seconds(this.options.readTimeoutMs)}. It may be slow right now: try again, or ask for less at once.`,
        true,
        err,
      );
    if (deadlinePassed)
      return new TransportError(
        `Hostaway did not complete the request within ${seconds(deadline)}. Try again shortly.`,
        true,
        err,
      );
    return new TransportError(
      `The connection to Hostaway broke during the request${code ? ` (${code})` : ''}. It is usually transient: try again.`,
      true,
      err,
    );
  }
}
