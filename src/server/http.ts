/**
 * One HTTP application for every surface: Streamable HTTP at `/mcp` (stateless, so replicas need no
 * shared session state), REST at `/api/v1/`, its OpenAPI document at `/openapi.json` and interactive docs
 * at `/docs`, and `/health` (alive) and `/ready` (Hostaway and the store answer) for orchestrators.
 *
 * The MCP endpoint and REST pass the same guards: the Host header (DNS rebinding), the Origin of browser
 * requests (403 for a foreign one), the caller's token and the scope the route needs, and one body size
 * limit. The docs and the OpenAPI document describe the routes only, never the account's data, and are
 * served without a token so that a browser can open them; every call made from the page needs one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  hostHeaderValidation,
  localhostHostValidation,
  localhostOriginValidation,
  originValidation,
  toNodeHandler,
} from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { checkHttpConfig } from '../config.js';
import { AuthUnavailableError, createAuthenticator, type Principal, writeAuthFailure } from './auth/index.js';
import { FULL_ACCESS, resourceAccountId, type Scope, scopeFor } from './call.js';
import { createAccountEventBus } from './changes/account-bus.js';
import { resourcesTouched } from './changes/effects.js';
import { createWebhookReceiver, WEBHOOK_PATH } from './changes/receiver.js';
import { serveDocs } from './docs.js';
import { BodyTooLarge, MAX_BODY_BYTES, readBody, sendJson, sendProblem } from './http-util.js';
import { createFastPath } from './mcp-fast.js';
import { openApiDocument } from './openapi.js';
import { restRoutes, tooLarge } from './rest.js';
import { REST_PREFIX } from './rest-shape.js';
import type { Runtime } from './runtime.js';
import { buildServer, SERVER_VERSION } from './server.js';
import { withIncomingContext } from './tracing.js';

export interface HttpServerHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp */
  url: string;
  port: number;
  /**
   * Stops accepting, lets calls in flight finish for up to `graceMs`, then closes what is left. The
   * runtime (client, store) is the caller's to close afterwards.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startHttpServer(runtime: Runtime): Promise<HttpServerHandle> {
  const { host, port, allowedHosts, allowedOrigins } = runtime.config.http;
  // Refuses to serve beyond loopback without authentication, whoever calls this (the CLI checks it too).
  const { loopback } = await checkHttpConfig(runtime.config);
  const auth = createAuthenticator(runtime.config.auth);
  const metadata = auth.resourceMetadata();
  // subscriptions/listen streams hear only of the account their caller's resources read (account-bus.ts).
  const bus = createAccountEventBus((err) =>
    runtime.logger.warn({ err: String(err) }, 'subscription notice not delivered'),
  );
  // The SDK says once, through console.warn, what JSON answers give up: into our log, so that stderr
  // stays structured JSON.
  const mcp = withSdkWarningsLogged(runtime, () =>
    createMcpHandler(
      ({ authInfo, era }) =>
        buildServer(runtime, {
          era,
          caller: authInfo?.clientId ?? 'http',
          scopes: authInfo ? new Set(authInfo.scopes as Scope[]) : FULL_ACCESS,
          ...(Array.isArray(authInfo?.extra?.accounts)
            ? { accounts: new Set(authInfo.extra.accounts as string[]) }
            : {}),
        }),
      {
        // Plain JSON unless a call sends something before its result (progress): then a stream. Plain
        // tool calls do not come here at all (mcp-fast.ts).
        responseMode: 'auto',
        bus,
        onerror: (err) => runtime.logger.warn({ err: err.message }, 'mcp http request rejected'),
      },
    ),
  );
  const serveMcp = toNodeHandler(mcp, { maxRequestBodySize: MAX_BODY_BYTES });
  const fast = createFastPath(runtime);
  // Account changes reach the clients that keep a subscription stream open (2026-era
  // subscriptions/listen) whose resources read that account; the SDK's router keeps the URIs each asked for.
  const stopNotices = runtime.changes.hub.listen((change) => {
    for (const uri of resourcesTouched(change))
      bus.publishFor(change.account, { kind: 'resource_updated', uri });
  });
  const webhook = runtime.config.changes.webhook
    ? createWebhookReceiver({
        ...runtime.config.changes.webhook,
        recorder: runtime.changes.recorder,
        defaultAccount: runtime.client.accountId,
        logger: runtime.logger,
        clock: runtime.now,
        onOutcome: (outcome) => runtime.metrics?.observeWebhook(outcome),
      })
    : undefined;
  const rest = restRoutes(runtime);
  let openapi: string | undefined;
  const hostGuard = allowedHosts.length
    ? hostHeaderValidation(allowedHosts)
    : loopback
      ? localhostHostValidation()
      : null;
  const originGuard = allowedOrigins.length ? originValidation(allowedOrigins) : localhostOriginValidation();

  let active = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  const server: Server = createServer((req, res) => {
    active++;
    const { metrics } = runtime;
    if (metrics) res.once('finish', () => metrics.observeHttp(routeLabel(req.url), res.statusCode));
    res.once('close', () => {
      active--;
      if (draining && active === 0) drained?.();
    });
    if (draining) {
      // Keep-alive connections may still bring a request while we stop: send them elsewhere.
      res.setHeader('connection', 'close');
      return sendProblem(res, {
        status: 503,
        kind: 'shutting_down',
        title: 'The server is stopping',
        detail: 'This replica is shutting down: send the request again (to another replica).',
        headers: { 'retry-after': '1' },
      });
    }
    // A caller's trace context (W3C traceparent) becomes the parent of the call's span, when the user
    // has registered a propagator with OpenTelemetry; without one this changes nothing.
    void withIncomingContext(req.headers, () => route(req, res)).catch((err: unknown) => {
      runtime.logger.error({ err }, 'http handler failed');
      if (!res.headersSent)
        sendProblem(res, {
          status: 500,
          kind: 'internal',
          title: 'The server failed',
          detail: 'The request failed inside the server; the server log has the details.',
        });
    });
  });

  /** The Host and Origin checks; false when one refused the request (it has answered). */
  function guarded(req: IncomingMessage, res: ServerResponse): boolean {
    if (hostGuard && !hostGuard(req, res)) return false;
    // A page of this server (the docs) calling its own routes is not a foreign origin.
    if (req.headers.origin && sameOrigin(req)) return true;
    return originGuard(req, res);
  }

  /** The caller, or undefined when refused (it has answered 401, 403, or 503 when keys are out of reach). */
  async function authenticated(
    req: IncomingMessage,
    res: ServerResponse,
    required: Scope,
  ): Promise<Principal | undefined> {
    try {
      const outcome = await auth.authenticate(req.headers.authorization, required);
      if (outcome.ok) return outcome.principal;
      writeAuthFailure(res, outcome);
    } catch (err) {
      if (!(err instanceof AuthUnavailableError)) throw err;
      runtime.logger.warn({ err: err.message }, 'access token could not be checked');
      writeAuthFailure(res, err);
    }
    return undefined;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (path === '/health') {
      if (method !== 'GET') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      return sendJson(res, 200, { status: 'ok', mode: runtime.mode, version: SERVER_VERSION });
    }
    if (path === '/ready') {
      if (method !== 'GET') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      const report = await readiness(runtime, draining);
      return sendJson(res, report.ready ? 200 : 503, report);
    }
    if (path === '/metrics') {
      if (method !== 'GET') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      if (!runtime.metrics) return sendJson(res, 404, { error: 'metrics are off' });
      // Call rates by tool say something about the business: the same token as any read.
      if (!guarded(req, res)) return;
      if (!(await authenticated(req, res, 'read'))) return;
      const body = await runtime.metrics.render();
      res.writeHead(200, { 'content-type': runtime.metrics.contentType }).end(body);
      return;
    }
    if (metadata && auth.metadataPaths.includes(path)) {
      // Where MCP clients learn which authorization server issues tokens for this server (RFC 9728).
      return sendJson(res, 200, metadata, {
        'cache-control': 'public, max-age=3600',
        'access-control-allow-origin': '*',
      });
    }
    if (path === WEBHOOK_PATH) {
      // Hostaway calls from its servers: no Origin, no bearer token; its own Basic credentials instead.
      if (hostGuard && !hostGuard(req, res)) return;
      if (!webhook)
        return sendJson(res, 404, {
          error:
            'the webhook receiver is off: set HOSTAWAY_WEBHOOK_LOGIN and HOSTAWAY_WEBHOOK_PASSWORD, then register the webhook (hostaway-mcp webhook register)',
        });
      return webhook(req, res);
    }
    if (path === '/mcp') {
      if (!guarded(req, res)) return;
      const principal = await authenticated(req, res, 'read');
      if (!principal) return;
      // A plain tool call is answered on our own call path (mcp-fast.ts); everything else by the SDK.
      let body: unknown;
      if (method === 'POST') {
        if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return serveMcp(req, res);
        try {
          body = parseJson(await readBody(req));
        } catch (err) {
          if (!(err instanceof BodyTooLarge)) throw err;
          res.setHeader('connection', 'close');
          return sendJson(res, 413, {
            jsonrpc: '2.0',
            error: { code: -32000, message: `Request body too large: at most ${MAX_BODY_BYTES} bytes` },
            id: null,
          });
        }
        if (await fast(req, res, body, principal)) return;
      }
      // The SDK hands this to the server factory (authInfo): the caller's name and scopes, never the token.
      (req as IncomingMessage & { auth?: unknown }).auth = {
        token: '',
        clientId: principal.name,
        scopes: [...principal.scopes],
        ...(principal.accounts ? { extra: { accounts: [...principal.accounts] } } : {}),
      };
      return bus.as(resourceAccountId(runtime, principal), () => serveMcp(req, res, body));
    }
    if (path.startsWith(REST_PREFIX)) {
      if (!guarded(req, res)) return;
      const found = rest.resolve(path, method);
      if ('problem' in found) return sendProblem(res, found.problem);
      const principal = await authenticated(req, res, scopeFor(found.def));
      if (!principal) return;
      if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return sendProblem(res, tooLarge());
      return rest.handle(req, res, found.def, {
        name: principal.name,
        scopes: principal.scopes,
        surface: 'rest',
        ...(principal.accounts ? { accounts: principal.accounts } : {}),
      });
    }
    if (path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/')) {
      if (!guarded(req, res)) return;
      if (method !== 'GET' && method !== 'HEAD')
        return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      if (path === '/openapi.json') {
        openapi ??= JSON.stringify(openApiDocument(runtime));
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(openapi);
        return;
      }
      if (await serveDocs(path, res)) return;
    }
    sendJson(res, 404, {
      error: 'not found: the MCP endpoint is /mcp, the REST API is under /api/v1/ (see /docs)',
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}/mcp`,
    port: actual,
    async close(graceMs = runtime.config.http.shutdownGraceMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, graceMs);
        });
        clearTimeout(timer);
        if (active > 0) runtime.logger.warn({ active, graceMs }, 'stopping with calls still in flight');
      }
      server.closeAllConnections();
      await closed;
      stopNotices();
      await mcp.close();
    },
  };
}

function withSdkWarningsLogged<T>(runtime: Runtime, build: () => T): T {
  // biome-ignore lint/suspicious/noConsole: the SDK's one warning is caught here, not printed.
  const warn = console.warn;
  console.warn = (...parts: unknown[]) =>
    runtime.logger.debug({ sdk: parts.map(String).join(' ') }, 'sdk note');
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

const ROUTE_LABELS = ['/mcp', '/health', '/ready', '/metrics', '/openapi.json', WEBHOOK_PATH];

/** A small fixed set of route names for metrics: never a path with ids or arguments in it. */
function routeLabel(url: string | undefined): string {
  const path = new URL(url ?? '/', 'http://localhost').pathname;
  if (ROUTE_LABELS.includes(path)) return path;
  if (path.startsWith(REST_PREFIX)) return REST_PREFIX;
  if (path === '/docs' || path.startsWith('/docs/')) return '/docs';
  if (path.startsWith('/.well-known/')) return '/.well-known';
  return 'other';
}

/** Whether the request comes from a page of this very server: its Origin names the Host it was sent to. */
function sameOrigin(req: IncomingMessage): boolean {
  try {
    return new URL(req.headers.origin ?? '').host === req.headers.host;
  } catch {
    return false;
  }
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * Ready when not stopping, Hostaway answers with our credentials, and the write store (if used) opens.
 * The shared rate budget (if used) is reported, never a reason to be unready.
 */
export async function readiness(runtime: Runtime, draining = false): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  if (draining) checks.accepting = { ok: false, detail: 'shutting down' };
  const probe = await runtime.client.probe();
  checks.hostaway = probe.ok ? { ok: true } : { ok: false, detail: probe.reason ?? 'no answer' };
  // Degraded is still ready: requests flow within this replica's share of the budget.
  const budget = runtime.budgetMode();
  if (budget !== 'local')
    checks.budget = budget === 'shared' ? { ok: true } : { ok: true, detail: 'degraded: local share' };
  if (runtime.config.writes && !runtime.config.readOnly) {
    try {
      await (await runtime.writeStore()).recentAudit({ limit: 1 });
      checks.store = { ok: true };
    } catch (err) {
      checks.store = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

/** The body as JSON, or undefined when it is not (the SDK answers that, as a parse error). */
function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
