/**
 * The REST adapter over the call path: every tool the configuration offers is a route under `/api/v1/`,
 * reads as GET with query parameters and writes as POST with a JSON body (the same preview, then
 * confirm, protocol: the first POST returns a preview and a confirmationId, the second commits). An
 * answer is the tool's structured output as JSON, or its compact text for `Accept: text/plain`; a
 * failure is RFC 9457 problem details with the same message an MCP client would read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ToolDefinition } from '../tools/define.js';
import { accountsFor, type Caller, invoke, takesAccount, toolsFor } from './call.js';
import { BodyTooLarge, MAX_BODY_BYTES, type Problem, readBody, sendJson, sendProblem } from './http-util.js';
import { argsFromQuery, REST_PREFIX, restMethod, restPath } from './rest-shape.js';
import type { CallOutcome, FailureKind } from './run-tool.js';
import type { Runtime } from './runtime.js';

/** Each failure kind as an HTTP status and a title that stays the same for every occurrence. */
const FAILURES: Record<FailureKind, { status: number; title: string }> = {
  invalid_arguments: { status: 400, title: 'The arguments are not valid' },
  not_found: { status: 404, title: 'Not found in Hostaway' },
  invalid_request: { status: 422, title: 'Hostaway refused the request' },
  bad_credentials: { status: 502, title: "Hostaway refused the server's credentials" },
  rate_limited: { status: 429, title: "Hostaway's rate limits are busy" },
  upstream: { status: 502, title: 'Hostaway failed' },
  timeout: { status: 504, title: 'Hostaway did not answer in time' },
  deadline: { status: 504, title: 'The call ran past its deadline' },
  // The client has gone; nobody reads this (nginx's status for it).
  cancelled: { status: 499, title: 'The call was cancelled' },
  bad_output: { status: 500, title: 'The answer could not be vouched for' },
  internal: { status: 500, title: 'The server failed' },
};

export function problemFor(outcome: Extract<CallOutcome, { ok: false }>): Problem {
  const { status, title } = FAILURES[outcome.kind];
  return {
    status,
    title,
    detail: outcome.message,
    kind: outcome.kind,
    ...(outcome.retryAfterSeconds !== undefined && {
      headers: { 'retry-after': String(Math.ceil(outcome.retryAfterSeconds)) },
    }),
  };
}

export interface RestRoutes {
  /** The tool a path names, or a problem (404 unknown, 405 wrong method) to answer instead. */
  resolve(path: string, method: string): { def: ToolDefinition } | { problem: Problem };
  /** Runs the tool for an authenticated caller and answers. */
  handle(req: IncomingMessage, res: ServerResponse, def: ToolDefinition, caller: Caller): Promise<void>;
}

export function restRoutes(runtime: Runtime): RestRoutes {
  const byPath = new Map(toolsFor(runtime).map((def) => [restPath(def), def]));
  return {
    resolve(path, method) {
      const def = byPath.get(path);
      if (!def)
        return {
          problem: {
            status: 404,
            kind: 'unknown_route',
            title: 'No such route',
            detail: `${path} is not a route of this server. The routes are listed at /openapi.json and shown at /docs; each tool is ${REST_PREFIX}<tool name without hostaway_>.`,
          },
        };
      const wanted = restMethod(def);
      if (method !== wanted && !(method === 'HEAD' && wanted === 'GET'))
        return {
          problem: {
            status: 405,
            kind: 'method_not_allowed',
            title: 'Wrong method for this route',
            detail: `${path} takes ${wanted}: ${wanted === 'GET' ? 'a read, with its arguments as query parameters' : 'a change, with its arguments as a JSON body'}.`,
            headers: { allow: wanted },
          },
        };
      return { def };
    },

    async handle(req, res, def, caller) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let args: unknown;
      if (restMethod(def) === 'GET') args = argsFromQuery(def, url.searchParams);
      else {
        const parsed = await jsonBody(req);
        if ('problem' in parsed) return sendProblem(res, parsed.problem);
        args = parsed.value;
      }
      // Several accounts: an account this server serves but the caller's token does not cover is 403.
      const account = (args as { account?: unknown } | null)?.account;
      if (
        takesAccount(runtime) &&
        typeof account === 'string' &&
        runtime.accounts.has(account) &&
        !accountsFor(runtime, caller).includes(account)
      )
        return sendProblem(res, {
          status: 403,
          kind: 'account_not_allowed',
          title: 'The token does not cover this account',
          detail: `This token may not use the account "${account}": use ${accountsFor(runtime, caller)
            .map((n) => `"${n}"`)
            .join(', ')}.`,
        });
      // The call stops when the client goes away, as an MCP call does when it is cancelled.
      const gone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      const outcome = await invoke(runtime, def, args, { caller, signal: gone.signal });
      if (!outcome.ok) return sendProblem(res, problemFor(outcome));
      const headers = runtime.mode === 'sandbox' ? { 'x-hostaway-mode': 'sandbox' } : undefined;
      if (prefersText(req.headers.accept))
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(outcome.text);
      else sendJson(res, 200, outcome.data, headers);
    },
  };
}

async function jsonBody(req: IncomingMessage): Promise<{ value: unknown } | { problem: Problem }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // JSON only: it also keeps a plain HTML form on another site from posting here (no CORS preflight).
  if (type !== 'application/json')
    return {
      problem: {
        status: 415,
        kind: 'unsupported_media_type',
        title: 'The body must be JSON',
        detail: 'Send the arguments as a JSON object with Content-Type: application/json.',
      },
    };
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) return { problem: tooLarge() };
    throw err;
  }
  if (raw.length === 0) return { value: {} };
  try {
    return { value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return {
      problem: {
        status: 400,
        kind: 'invalid_json',
        title: 'The body is not valid JSON',
        detail: 'Send the arguments as one JSON object, for example {"listingId": 1}.',
      },
    };
  }
}

export function tooLarge(): Problem {
  return {
    status: 413,
    kind: 'body_too_large',
    title: 'The request body is too large',
    detail: `A request body may hold at most ${MAX_BODY_BYTES} bytes.`,
    headers: { connection: 'close' },
  };
}

/** Text only when the client asks for it before JSON (`Accept: text/plain`); JSON otherwise. */
function prefersText(accept: string | undefined): boolean {
  if (!accept) return false;
  const text = accept.indexOf('text/plain');
  if (text < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || text < json;
}
