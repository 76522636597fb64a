/**
 * The hot path of MCP over HTTP: a plain `tools/call` answered straight from our call path, as plain
 * JSON, without the SDK's per-request server.
 *
 * Why it exists: the SDK's stateless HTTP entry builds a server, registers every tool and connects a
 * transport for each request, converts the Node request into a web `Request` (and clones it), and for
 * 2025-era clients answers through an SSE stream even when plain JSON is asked for. A profile under load
 * put about two thirds of a cached call's time there. A tool call is a stateless request/response: our
 * call path already validates the arguments, runs the tool under the caller's name and scopes, and
 * shapes the result; the SDK only frames it. So the one request that matters for throughput is framed
 * here, and everything else (initialize, discovery, lists, resources, prompts, subscriptions, anything
 * unusual) still goes to the SDK, which is also the judge of what is unusual:
 *
 * - the SDK's own classifier (`classifyInboundRequest`) decides the era and checks a 2026-era
 *   request's envelope; a 2026-era request is taken only when its `MCP-Protocol-Version`, `Mcp-Method`
 *   and `Mcp-Name` headers match its body exactly, and any other is left to the SDK to refuse;
 * - only a single JSON-RPC request for `tools/call`, naming a tool this caller is offered, with object
 *   arguments, no `progressToken` (a call that may stream progress goes to the SDK), and an `Accept` that
 *   takes JSON is taken; a 2025-era request must name a protocol version the SDK supports, or none;
 * - the client going away aborts the call's signal, as closing the stream does in the SDK;
 * - the result has the shape the SDK gives it (checked field by field against the SDK path in
 *   test/server/mcp-fast.test.ts, for every read tool and both eras).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  classifyInboundRequest,
  SERVER_INFO_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import type { ToolDefinition } from '../tools/define.js';
import type { Principal } from './auth/index.js';
import { type Caller, invoke, toolsFor } from './call.js';
import { toMcpResult } from './mcp-tools.js';
import type { Runtime } from './runtime.js';
import { SERVER_INFO } from './server.js';

/** The 2026-era revisions taken here; a newer one goes to the SDK until this code knows it. */
const MODERN_VERSIONS: readonly string[] = ['2026-07-28'];

export type FastPath = (
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  principal: Principal,
) => Promise<boolean>;

interface ToolCall {
  jsonrpc: '2.0';
  id: string | number;
  method: 'tools/call';
  params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
}

export function createFastPath(runtime: Runtime): FastPath {
  // The tools each set of scopes is offered, looked up by name: built once per set.
  const offered = new Map<string, Map<string, ToolDefinition>>();
  const toolsOf = (scopes: ReadonlySet<string>) => {
    const key = [...scopes].sort().join(',');
    let tools = offered.get(key);
    if (!tools) {
      tools = new Map(toolsFor(runtime, scopes as Principal['scopes']).map((t) => [t.name, t]));
      offered.set(key, tools);
    }
    return tools;
  };
  const sandboxMeta = runtime.mode === 'sandbox' ? { 'hostaway/mode': 'sandbox' } : {};

  return async (req, res, body, principal) => {
    if (!isToolCall(body) || !acceptsJson(req.headers.accept)) return false;
    const headers = req.headers;
    const route = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: one(headers['mcp-protocol-version']),
      mcpMethodHeader: one(headers['mcp-method']),
      mcpNameHeader: one(headers['mcp-name']),
      body,
    });
    if (route.kind === 'reject') return false;
    const modern = route.kind === 'modern';
    if (modern) {
      // Taken only when certainly valid; anything else gets the SDK's own rejection (400, -32020...).
      if (route.messageKind !== 'request' || !MODERN_VERSIONS.includes(route.classification.revision ?? ''))
        return false;
      if (one(headers['mcp-protocol-version']) !== route.classification.revision) return false;
      if (one(headers['mcp-method']) !== 'tools/call' || one(headers['mcp-name']) !== body.params.name)
        return false;
    } else {
      if (route.reason !== 'no-claim') return false;
      const version = one(headers['mcp-protocol-version']);
      if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return false;
    }
    const def = toolsOf(principal.scopes).get(body.params.name);
    if (!def) return false; // not offered to this caller: the SDK says so, as it always has

    const abort = new AbortController();
    const gone = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', gone);
    const caller: Caller = {
      name: principal.name,
      scopes: principal.scopes,
      surface: 'mcp',
      ...(principal.accounts ? { accounts: principal.accounts } : {}),
    };
    try {
      const outcome = await invoke(runtime, def, body.params.arguments ?? {}, {
        caller,
        signal: abort.signal,
      });
      if (abort.signal.aborted) return true;
      const result: Record<string, unknown> = toMcpResult(outcome);
      const meta = modern ? { ...sandboxMeta, [SERVER_INFO_META_KEY]: SERVER_INFO } : sandboxMeta;
      if (Object.keys(meta).length > 0) result._meta = meta;
      if (modern) result.resultType = 'complete';
      const text = JSON.stringify({ result, jsonrpc: '2.0', id: body.id });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    } finally {
      res.off('close', gone);
    }
  };
}

function isToolCall(body: unknown): body is ToolCall {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  if (b.jsonrpc !== '2.0' || b.method !== 'tools/call') return false;
  if (!(typeof b.id === 'string' || (typeof b.id === 'number' && Number.isFinite(b.id)))) return false;
  const params = b.params as Record<string, unknown> | undefined;
  if (typeof params !== 'object' || params === null || typeof params.name !== 'string') return false;
  const args = params.arguments;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return false;
  const meta = params._meta as Record<string, unknown> | undefined;
  // A call that asks for progress may be sent notifications before its result: the SDK streams those.
  return (
    meta === undefined || (typeof meta === 'object' && meta !== null && meta.progressToken === undefined)
  );
}

/** Whether the client takes a plain JSON answer (every Streamable HTTP client sends both types). */
function acceptsJson(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*(application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i.test(accept);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
