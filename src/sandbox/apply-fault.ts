/**
 * What each injected fault does to a request (the rules and their matching are in `faults.ts`).
 *
 * Faults that fail before the handler leave the store as it was; `latency` lets the handler run late;
 * `truncated` and `slowBody` run the handler first, so a write is committed before its answer is spoiled.
 */
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { failBody, RATE_LIMIT_BODY } from './envelope.js';
import type { FaultRule } from './faults.js';
import { type Ctx, JSON_HEADERS } from './http.js';

export async function applyFault(
  c: Ctx,
  rule: FaultRule,
  next: () => Promise<void>,
): Promise<Response | undefined> {
  switch (rule.kind) {
    case 'latency':
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
