/**
 * Streamable HTTP at `/mcp` (stateless, so replicas need no shared session state), `/health` for
 * liveness. Guards in front of the MCP handler, which validates neither: the Host header (DNS
 * rebinding), the Origin of browser requests (403 for a foreign one), and a bearer token, required
 * whenever the server listens beyond loopback.
 */
import { timingSafeEqual } from 'node:crypto';
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
import type { Runtime } from './runtime.js';
import { buildServer, SERVER_VERSION } from './server.js';

export interface HttpServerHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(runtime: Runtime): Promise<HttpServerHandle> {
  const { host, port, authToken, allowedHosts, allowedOrigins } = runtime.config.http;
  // Refuses to serve beyond loopback without a token, whoever calls this (the CLI checks it too).
  const { loopback } = await checkHttpConfig(runtime.config);
  // One static token names one caller; named tokens per person come with the team setup.
  const caller = authToken ? 'http (bearer token)' : 'http (loopback, no token)';
  const handler = createMcpHandler(() => buildServer(runtime, { caller }), {
    // Plain JSON answers: no tool sends notifications mid-call, so a stream adds nothing (simpler for
    // clients and proxies; measured no faster or slower).
    responseMode: 'json',
    onerror: (err) => runtime.logger.warn({ err: err.message }, 'mcp http request rejected'),
  });
  const serve = toNodeHandler(handler);
  const hostGuard = allowedHosts.length
    ? hostHeaderValidation(allowedHosts)
    : loopback
      ? localhostHostValidation()
      : null;
  const originGuard = allowedOrigins.length ? originValidation(allowedOrigins) : localhostOriginValidation();
  const expected = authToken ? Buffer.from(`Bearer ${authToken}`) : undefined;

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      runtime.logger.error({ err }, 'http handler failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') {
      if (req.method !== 'GET') return json(res, 405, { error: 'use GET' });
      return json(res, 200, { status: 'ok', mode: runtime.mode, version: SERVER_VERSION });
    }
    if (path !== '/mcp') return json(res, 404, { error: 'not found: the MCP endpoint is /mcp' });
    if (hostGuard && !hostGuard(req, res)) return;
    if (!originGuard(req, res)) return;
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="hostaway-mcp"');
        return json(res, 401, {
          error: 'a valid bearer token is required (Authorization: Bearer <MCP_AUTH_TOKEN>)',
        });
      }
    }
    await serve(req, res);
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
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
