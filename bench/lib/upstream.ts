/** What the server asked of Hostaway: counting, timing and recording upstream requests. */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { RequestLogEntry } from '../../src/sandbox/request-log.js';

/** `300 GET /v1/reservations/{id}, 1 POST /v1/accessTokens`: what a list of upstream requests was. */
export function describeRequests(entries: ReadonlyArray<{ method: string; path: string }>): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const key = `${e.method} ${e.path.split('?')[0]?.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/**
 * The least time in which `requests` can all be sent under sliding-window limits, with the first ones
 * sent at once. Within one window of `windowMs` at most `limit` requests may start, so request k
 * (counting from 0) can start no sooner than the one `limit` places before it plus a window: at
 * floor(k / limit) windows. The last of n starts at floor((n - 1) / limit) windows. Each limit counts
 * its own requests (every request counts per IP; only authenticated ones per account), and the
 * binding one is whichever ends later. The last answer's own latency comes on top, so the true
 * minimum is a little higher still: this one is generous to the figure it is compared with.
 */
export function leastTimeMs(limits: Array<{ requests: number; limit: number; windowMs: number }>): number {
  return Math.max(
    0,
    ...limits.map((l) => (l.requests > 0 ? Math.floor((l.requests - 1) / l.limit) * l.windowMs : 0)),
  );
}

/**
 * The sandbox's requests after sequence number `since`, failing if its log has already dropped some
 * of them (it keeps only its latest entries, up to the capacity it was started with): a count read
 * from a log that overflowed would be wrong without a sign.
 */
export function requestsSince(sandbox: Sandbox, since: number): RequestLogEntry[] {
  const log = sandbox.requests.list(since);
  const sent = sandbox.requests.lastSeq - since;
  if (log.length !== sent)
    throw new Error(
      `the sandbox's request log has dropped ${sent - log.length} of the ${sent} requests since #${since}: start it with a larger requestLogCapacity`,
    );
  return log;
}

/**
 * A pass-through proxy in front of the sandbox that notes every answer's size, so that a tool's answer
 * can be set against the raw JSON of exactly the requests it made. It keeps the answers since the last
 * `clear()` only: clear before each call measured, read `seen` after it.
 */
export async function recordingProxy(target: Sandbox) {
  let seen: Array<{ method: string; path: string; status: number; bytes: number }> = [];
  const origin = new URL(target.origin);
  const server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        // Noted before the body reaches the caller, so never after the tool call that asked for it.
        answer.on('end', () =>
          seen.push({
            method: req.method ?? '',
            path: req.url ?? '',
            status: answer.statusCode ?? 0,
            bytes,
          }),
        );
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    /** The answers noted since the last `clear()`, in the order they ended. */
    get seen() {
      return seen;
    },
    clear: () => {
      seen = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
