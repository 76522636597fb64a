/**
 * Auth on the real HTTP server, both surfaces: OAuth access tokens from a local issuer (protected
 * resource metadata, challenges naming it, scopes mapped to read and write: a read-only caller is not
 * offered the write tools over MCP and gets 403 insufficient_scope over REST), and named tokens from a
 * file, whose name the audit log records.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerHandle, startHttpServer } from '../../../src/server/http.js';
import type { Runtime } from '../../../src/server/runtime.js';
import { startTestRuntime } from '../../helpers/server.js';
import { parseChallenge, startIssuer, type TestIssuer } from './issuer.js';

let issuer: TestIssuer;
let runtime: Runtime;
let http: HttpServerHandle;
let base: string;
const ALICE = 'alice-team-token-0123456789';
const VIEWER = 'viewer-team-token-0123456789';

beforeAll(async () => {
  issuer = await startIssuer();
  const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
  const file = join(dir, 'tokens.json');
  writeFileSync(
    file,
    JSON.stringify({
      tokens: [
        { name: 'alice', token: ALICE, scopes: ['read', 'write'] },
        { name: 'viewer', token: VIEWER, scopes: ['read'] },
      ],
    }),
  );
  runtime = await startTestRuntime({
    env: {
      MCP_TOKENS_FILE: file,
      MCP_PUBLIC_URL: 'http://127.0.0.1:8080',
      MCP_OAUTH_ISSUER: issuer.issuer,
    },
  });
  http = await startHttpServer(runtime);
  base = http.url.replace(/\/mcp$/, '');
});
afterAll(async () => {
  await http.close();
  await runtime.close();
  await issuer.close();
});

const jwt = (scope: string, extra: Record<string, unknown> = {}) =>
  issuer.sign({
    iss: issuer.issuer,
    aud: 'http://127.0.0.1:8080/mcp',
    sub: 'maria',
    scope,
    exp: Math.floor(Date.now() / 1000) + 600,
    iat: Math.floor(Date.now() / 1000),
    ...extra,
  });

async function mcpClient(token: string) {
  const client = new Client({ name: 'auth-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe('OAuth resource server on the HTTP surfaces', () => {
  it('serves protected resource metadata naming the issuer and the scopes', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        resource: 'http://127.0.0.1:8080/mcp',
        authorization_servers: [issuer.issuer],
        scopes_supported: ['hostaway:read', 'hostaway:write'],
      });
    }
  });

  it('401 on /mcp without a token, with a challenge naming the metadata', async () => {
    const res = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(401);
    const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
    expect(challenge.resource_metadata).toBe(
      'http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp',
    );
  });

  it('a read-scope token sees no write tool over MCP, and gets 403 insufficient_scope over REST', async () => {
    const reader = await jwt('hostaway:read');
    const client = await mcpClient(reader);
    const names = (await client.listTools()).tools.map((t) => t.name);
    await client.close();
    expect(names).toContain('hostaway_search_listings');
    expect(names).not.toContain('hostaway_send_message');
    const read = await fetch(`${base}/api/v1/search_listings?limit=1`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(read.status).toBe(200);
    const write = await fetch(`${base}/api/v1/send_message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 200001, text: 'hi' }),
    });
    expect(write.status).toBe(403);
    const challenge = parseChallenge(write.headers.get('www-authenticate') ?? '');
    expect(challenge.error).toBe('insufficient_scope');
    expect(challenge.scope).toBe('hostaway:write');
  });

  it('a write-scope token is offered the write tools and can preview one', async () => {
    const writer = await jwt('hostaway:read hostaway:write');
    const client = await mcpClient(writer);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('hostaway_send_message');
    await client.close();
    const res = await fetch(`${base}/api/v1/send_message`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 200001, text: 'See you at four' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('preview');
  });

  it('refuses a token for another audience, an expired one, and one signed by another key', async () => {
    const { generateKeyPair } = await import('jose');
    const other = await generateKeyPair('ES256');
    const bad = [
      await jwt('hostaway:read', { aud: 'https://other.example/mcp' }),
      await jwt('hostaway:read', { exp: Math.floor(Date.now() / 1000) - 600 }),
      await issuer.sign(
        {
          iss: issuer.issuer,
          aud: 'http://127.0.0.1:8080/mcp',
          sub: 'x',
          scope: 'hostaway:read',
          exp: Math.floor(Date.now() / 1000) + 600,
        },
        { key: other.privateKey },
      ),
    ];
    for (const token of bad) {
      const res = await fetch(`${base}/api/v1/search_listings`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect(parseChallenge(res.headers.get('www-authenticate') ?? '').error).toBe('invalid_token');
    }
  });
});

describe('named tokens on the HTTP surfaces', () => {
  it("the audit log records the token's name; a read-only token cannot write", async () => {
    const preview = await fetch(`${base}/api/v1/create_task`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Check the smoke alarm', listingId: 40160, start: '2026-12-02 10:30' }),
    });
    expect(preview.status).toBe(200);
    const log = (await (
      await fetch(`${base}/api/v1/recent_changes?tool=hostaway_create_task`, {
        headers: { authorization: `Bearer ${VIEWER}` },
      })
    ).json()) as { entries: Array<{ caller: string }> };
    expect(log.entries[0]?.caller).toBe('token:alice');
    const refused = await fetch(`${base}/api/v1/create_task`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', listingId: 40160 }),
    });
    expect(refused.status).toBe(403);
  });
});
