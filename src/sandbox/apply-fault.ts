/**
 * What each injected fault does to a request (the rules and their matching are in `faults.ts`).
 *
 * Faults that fail before the handler leave the store as it was; `latency` lets the handler run late;
 * the others run the handler first, so a write is committed before its answer is spoiled or lost.
 */
import type { Socket } from 'node:net';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { failBody, RATE_LIMIT_BODY } from './envelope.js';
import { DEFAULT_HANG_MS, type FaultRule } from './faults.js';
import { type Ctx, JSON_HEADERS } from './http.js';

/**
 * Answers held back by `hangAfterCommit`. A hold ends when its time is up, when the client goes away, or
 * when the sandbox closes (`releaseAll`), so that no held request keeps a closing sandbox open.
 */
export class HeldAnswers {
  private readonly drops = new Set<() => void>();

  get size(): number {
    return this.drops.size;
  }

  /** Waits `ms`; true if the client is still there to be answered, false if it left or was dropped. */
  hold(socket: Socket, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (socket.destroyed) return resolve(false);
      const finish = (answer: boolean) => {
        clearTimeout(timer);
        socket.off('close', gone);
        this.drops.delete(drop);
        resolve(answer);
      };
      const gone = () => finish(false);
      const drop = () => {
        finish(false);
        socket.destroy();
      };
      const timer = setTimeout(() => finish(!socket.destroyed), ms);
      socket.once('close', gone);
      this.drops.add(drop);
    });
  }

  /** Ends every hold now and drops its connection unanswered. */
  releaseAll(): void {
    for (const drop of [...this.drops]) drop();
  }
}

export async function applyFault(
  c: Ctx,
  rule: FaultRule,
  next: () => Promise<void>,
  held: HeldAnswers,
): Promise<Response | undefined> {
  switch (rule.kind) {
    case 'latency':
      // The handler runs after the delay even if the client has given up meanwhile (as a server that
      // is slow to pick a request up would): a write sent with latency may be committed unanswered.
      await sleep(rule.ms ?? 1000);
      await next();
      return undefined;
    case 'status':
      return c.body(
        failBody(`Injected fault: HTTP ${rule.status}`),
        (rule.status ?? 503) as ContentfulStatusCode,
        JSON_HEADERS,
      );
    case 'rateLimit': {
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (rule.retryAfterSeconds !== null) headers['retry-after'] = String(rule.retryAfterSeconds ?? 1);
      return c.body(RATE_LIMIT_BODY, 429, headers);
    }
    case 'reset':
      c.set('rawStatus', 0);
      c.env.incoming.socket.destroy();
      return RESPONSE_ALREADY_SENT;
    case 'malformed':
      return c.body('{"status":"success","result":[{"id": <html>Bad gateway</html>', 200, JSON_HEADERS);
    case 'badShape':
      return c.body(
        '{"status":"success","result":[{"id":"not-a-number","name":null,"listingMapId":"x","arrivalDate":"soon"}],"count":"many"}',
        200,
        JSON_HEADERS,
      );
    case 'truncated': {
      // Promise the whole body, deliver half, then drop the connection.
      await next();
      const full = Buffer.from(await c.res.text());
      const out = c.env.outgoing;
      out.writeHead(c.res.status, { ...JSON_HEADERS, 'content-length': String(full.length) });
      out.write(full.subarray(0, Math.floor(full.length / 2)), () => out.socket?.destroy());
      return alreadySent(c, c.res.status);
    }
    case 'slowBody': {
      await next();
      const full = new TextEncoder().encode(await c.res.text());
      const chunks = 10;
      const pause = Math.round((rule.ms ?? 2000) / chunks);
      const size = Math.ceil(full.length / chunks);
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          for (let i = 0; i < full.length; i += size) {
            if (i > 0) await sleep(pause);
            controller.enqueue(full.slice(i, i + size));
          }
          controller.close();
        },
      });
      c.res = new Response(stream, {
        status: c.res.status,
        headers: { ...JSON_HEADERS, 'content-length': String(full.length) },
      });
      return c.res;
    }
    case 'resetAfterCommit':
      // The handler's answer (whatever it is) is thrown away and the connection dropped: the client
      // sees a reset with no status line, though the write is in the store.
      await next();
      c.env.incoming.socket.destroy();
      return alreadySent(c, 0);
    case 'hangAfterCommit': {
      // The write is committed, then its answer waits: a client with a shorter timeout gives up first.
      await next();
      const socket = c.env.incoming.socket;
      if (await held.hold(socket, rule.ms ?? DEFAULT_HANG_MS)) return undefined;
      socket.destroy();
      return alreadySent(c, 0);
    }
  }
}

/**
 * Tells the Node adapter that the answer is on the socket already (or never will be), and the request
 * log what went out (0: nothing). Clear first: assigning over a response makes Hono merge the two into
 * a new one, and only the original marker object tells the adapter to leave the socket alone.
 */
function alreadySent(c: Ctx, rawStatus: number): Response {
  c.set('rawStatus', rawStatus);
  c.res = undefined;
  c.res = RESPONSE_ALREADY_SENT;
  return RESPONSE_ALREADY_SENT;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
