/**
 * HTTP to Hostaway over a keep-alive connection pool (Node's own `http.Agent`), with connect, read and
 * write timeouts and a deadline per attempt. Failures become `HostawayError`s that say whether the
 * request may have reached Hostaway: only one that surely did not (the connection was never made) is
 * safe to repeat when the request is not idempotent.
 *
 * Why Node's agent rather than undici: Hostaway allows about two requests a second, so pool throughput
 * never matters, while undici's load time (~170 ms) was paid on every start of the stdio server.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HostawayError } from './errors.js';

export interface TransportOptions {
  baseUrl: string;
  connectTimeoutMs: number;
  /**
   * Longest time from the request being sent to the whole answer having arrived: a deadline, not an idle
   * timer, so an upstream that trickles a byte now and then cannot hold a call (and a slot) for ever.
   */
  readTimeoutMs: number;
  /** Largest answer body accepted; a bigger one fails the attempt instead of filling memory. */
  maxBodyBytes: number;
  /** Longest time to send the request once connected. */
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

type Phase = 'connect' | 'write' | 'read';

export class Transport {
  private readonly agent: HttpAgent;
  private readonly base: URL;
  private readonly secure: boolean;

  constructor(private readonly options: TransportOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.secure = this.base.protocol === 'https:';
    const agentOptions = {
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxSockets: options.maxConnections,
      maxFreeSockets: options.maxConnections,
      scheduling: 'lifo' as const,
    };
    this.agent = this.secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  send(req: RawRequest): Promise<RawResponse> {
    const url = new URL(req.path.replace(/^\//, ''), this.base);
    if (req.query) url.search = req.query.toString();
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const { connectTimeoutMs, writeTimeoutMs, readTimeoutMs } = this.options;
    return new Promise<RawResponse>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(new HostawayError('cancelled', 'The request to Hostaway was cancelled.'));
        return;
      }
      let phase: Phase = 'connect';
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => fail(this.timeoutError(phase)), ms);
      };
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: Error) => {
        if (settled) return;
        finish();
        outgoing.destroy();
        reject(err);
      };
      const onAbort = () => fail(new HostawayError('cancelled', 'The request to Hostaway was cancelled.'));
      const send = this.secure ? httpsRequest : httpRequest;
      const outgoing = send(url, {
        method: req.method,
        agent: this.agent,
        headers: {
          'user-agent': this.options.userAgent,
          accept: 'application/json',
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...req.headers,
        },
      });
      req.signal?.addEventListener('abort', onAbort, { once: true });
      arm(connectTimeoutMs);
      const connected = () => {
        phase = 'write';
        arm(writeTimeoutMs);
        outgoing.end(body, () => {
          // Sent: from here on Hostaway may have acted on it.
          phase = 'read';
          arm(readTimeoutMs);
        });
      };
      outgoing.once('socket', (socket) => {
        if (socket.connecting) socket.once(this.secure ? 'secureConnect' : 'connect', connected);
        else connected();
      });
      outgoing.once('response', (res: IncomingMessage) => {
        // The read deadline runs from the send (armed below); only a response before the send ended
        // (an early error answer) starts it here.
        if (phase !== 'read') {
          phase = 'read';
          arm(readTimeoutMs);
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > this.options.maxBodyBytes) return fail(this.tooLargeError());
          chunks.push(chunk);
        });
        res.once('end', () => {
          if (settled) return;
          if (!res.complete) return fail(this.brokenError(undefined));
          finish();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.once('aborted', () => fail(this.brokenError(undefined)));
        res.once('error', (err) => fail(this.brokenError(err)));
      });
      outgoing.once('error', (err) =>
        fail(phase === 'connect' ? this.connectError(err) : this.brokenError(err)),
      );
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private timeoutError(phase: Phase): TransportError {
    const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    if (phase === 'connect')
      return new TransportError(
        `Could not connect to Hostaway within ${s(this.options.connectTimeoutMs)}. Check the network, then try again.`,
        false,
        undefined,
      );
    if (phase === 'write')
      return new TransportError(
        `Could not send the request to Hostaway within ${s(this.options.writeTimeoutMs)}. Try again shortly.`,
        true,
        undefined,
      );
    return new TransportError(
      `Hostaway did not send its whole answer within ${s(this.options.readTimeoutMs)}. It may be slow right now: try again, or ask for less at once.`,
      true,
      undefined,
    );
  }

  private tooLargeError(): HostawayError {
    return new HostawayError(
      'upstream',
      `Hostaway's answer was larger than ${Math.ceil(this.options.maxBodyBytes / 1024)} KiB, so it was not read. Ask for less at once (a smaller limit or a narrower range).`,
    );
  }

  /** No address in the text: it reaches the model, and the address is in the configuration. */
  private connectError(err: Error): TransportError {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return new TransportError(
      `Could not reach Hostaway${code ? ` (${code})` : ''}. Check the network or HOSTAWAY_BASE_URL, then try again.`,
      false,
      err,
    );
  }

  private brokenError(err: Error | undefined): TransportError {
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
    return new TransportError(
      `The connection to Hostaway broke during the request${code ? ` (${code})` : ''}. It is usually transient: try again.`,
      true,
      err,
    );
  }
}
