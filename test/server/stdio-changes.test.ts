/**
 * Over stdio, where no webhook can reach it, the server spawned as a client would spawn it polls
 * Hostaway (here a sandbox on the real clock) and tells its subscribers: a 2025-era client through
 * resources/subscribe, a 2026-era one through subscriptions/listen.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { until } from '../helpers/live.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimits: false, admin: true });
});
afterAll(async () => {
  await sandbox.close();
});

async function spawnServer(era: 'legacy' | 'modern') {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/cli.js'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      HOSTAWAY_ACCOUNT_ID: String(sandbox.accountId),
      HOSTAWAY_API_KEY: sandbox.clientSecret,
      HOSTAWAY_BASE_URL: sandbox.url,
      HOSTAWAY_TOKEN_FILE: join(tmpdir(), `hostaway-stdio-changes-${process.pid}-${era}.json`),
      HOSTAWAY_WRITE_STORE: 'memory',
      // Hostaway's counts in a 1 s window, half of it for the poll: a look every second is allowed.
      HOSTAWAY_RATE_WINDOW_MS: '1000',
      HOSTAWAY_POLL_SHARE_PERCENT: '50',
      HOSTAWAY_POLL_SECONDS: '1',
    },
    stderr: 'pipe',
  });
  const client = new Client(
    { name: `stdio-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  await client.connect(transport);
  return client;
}

async function guestWrites(body: string) {
  const conversation = sandbox.store().searchConversations(undefined)[3];
  if (!conversation) throw new Error('no conversation');
  const res = await fetch(`${sandbox.origin}/_sandbox/guest-messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId: conversation.id, body }),
  });
  expect(res.status).toBe(201);
}

describe('stdio: changes found by polling reach subscribers', () => {
  it.each(['legacy', 'modern'] as const)('%s era', async (era) => {
    const client = await spawnServer(era);
    try {
      expect(client.getProtocolEra()).toBe(era);
      const heard: string[] = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => {
        heard.push(n.params.uri);
      });
      let subscription: { close(): Promise<void> } | undefined;
      if (era === 'legacy') await client.subscribeResource({ uri: 'hostaway://inbox' });
      else subscription = await client.listen({ resourceSubscriptions: ['hostaway://inbox'] });
      // Let the first look set its watermark, then a guest writes.
      await new Promise((r) => setTimeout(r, 1_200));
      await guestWrites(`Where do we park? (${era})`);
      await until('the inbox notice', () => heard.includes('hostaway://inbox'), 10_000);
      expect(heard.every((u) => u === 'hostaway://inbox')).toBe(true);
      const feed = await client.callTool({ name: 'hostaway_whats_new', arguments: {} });
      const changes = (
        feed.structuredContent as { changes: Array<{ kind: string; message: string; via: string }> }
      ).changes;
      expect(changes).toContainEqual(
        expect.objectContaining({
          kind: 'guest_message',
          message: `Where do we park? (${era})`,
          via: 'poll',
        }),
      );
      await subscription?.close();
    } finally {
      await client.close();
    }
  });
});
