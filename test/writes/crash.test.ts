/**
 * Never twice across a crash: the server process (the package bin over stdio, as a client spawns it)
 * is killed with SIGKILL while confirmations are in flight, then started again on the same store, and
 * the same confirmations are repeated. Half the trials die after Hostaway took the message (the sandbox
 * holds the answer), half before anything was sent (the sandbox holds the read that comes first). 200
 * trials per store: no duplicate message, and every outcome is what the sandbox holds.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { TEST_NOW } from '../helpers/sandbox.js';
import { DATABASE_URL, freshStoreSpec } from '../helpers/stores.js';

/**
 * The conversation where the server dies after sending; those where it dies before (one per trial of a
 * life: identical reads of one thread would be coalesced into one).
 */
const SENT = 200001;
const notSent = (i: number) => 200002 + Math.floor(i / 2);
const LIVES = 5;
const PER_LIFE = 40;
const LEASE_MS = 1_000;

interface Trial {
  text: string;
  conversationId: number;
  confirmationId: string;
}

describe.each(['embedded', 'postgres'] as const)('SIGKILL between send and record, %s store', (kind) => {
  let sandbox: Sandbox;
  let storeEnv: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ now: TEST_NOW, rateLimits: false });
    const fresh = freshStoreSpec(kind);
    cleanup = fresh.cleanup;
    if (fresh.spec.kind === 'embedded')
      storeEnv = { HOSTAWAY_WRITE_STORE: 'embedded', HOSTAWAY_DATA_DIR: fresh.spec.dir };
    else {
      const schema = fresh.spec.kind === 'postgres' ? (fresh.spec.schema as string) : '';
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      storeEnv = {
        DATABASE_URL: `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      };
    }
  });
  afterAll(async () => {
    await sandbox.close();
    await cleanup();
  });

  async function start() {
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
        HOSTAWAY_TOKEN_FILE: '/dev/null/none',
        HOSTAWAY_WRITES: 'true',
        HOSTAWAY_WRITE_LEASE_MS: String(LEASE_MS),
        HOSTAWAY_CACHE: 'false',
        // Every confirmation goes out at once, so that each trial dies where it is meant to.
        HOSTAWAY_MAX_IN_FLIGHT: '100',
        HOSTAWAY_RATE_LIMIT_PER_IP: '1000000',
        HOSTAWAY_RATE_LIMIT_PER_ACCOUNT: '1000000',
        ...storeEnv,
      },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'crash-test', version: '1.0.0' });
    await client.connect(transport);
    return { client, pid: transport.pid as number };
  }

  const send = async (client: Client, args: Record<string, unknown>) => {
    const r = await client.callTool({ name: 'hostaway_send_message', arguments: args });
    return r.structuredContent as { status: string; confirmationId?: string };
  };
  const copies = (conversationId: number, text: string) =>
    sandbox
      .store()
      .conversationMessages(conversationId, true)
      .filter((m) => m.body === text).length;

  it(`${LIVES * PER_LIFE} trials: no duplicate, every outcome honest after a restart`, async () => {
    let pending: Trial[] = [];
    const tally = { done: 0, failed: 0 };
    for (let life = 0; life <= LIVES; life++) {
      const { client, pid } = await start();
      // Settle what the previous life left: past the lease, the same confirmations read the thread back.
      await new Promise((r) => setTimeout(r, LEASE_MS + 50));
      for (const t of pending) {
        const args = { conversationId: t.conversationId, text: t.text, confirmationId: t.confirmationId };
        const outcome = await send(client, args);
        // The truth is the sandbox's thread: at most one copy, and the outcome says which.
        const held = copies(t.conversationId, t.text);
        expect(held).toBeLessThanOrEqual(1);
        const expected = held === 1 ? 'done' : 'failed';
        expect(outcome.status, `${t.text}: ${JSON.stringify(outcome)}`).toBe(expected);
        expect(expected).toBe(t.conversationId === SENT ? 'done' : 'failed');
        tally[expected]++;
        // Asking once more changes nothing.
        expect((await send(client, args)).status).toBe(expected);
      }
      if (life === LIVES) {
        await client.close();
        break;
      }
      pending = [];
      for (let i = 0; i < PER_LIFE; i++) {
        const conversationId = i % 2 === 0 ? SENT : notSent(i);
        const text = `Life ${life}, trial ${i} (${kind})`;
        const preview = await send(client, { conversationId, text });
        pending.push({ text, conversationId, confirmationId: preview.confirmationId as string });
      }
      // After the POST: the sandbox takes the message and holds the answer. Before it: the sandbox holds
      // the read of the thread that comes before any send.
      sandbox.faults.add({
        method: 'POST',
        path: `/v1/conversations/${SENT}/messages`,
        kind: 'hangAfterCommit',
        ms: 60_000,
      });
      for (const t of pending)
        if (t.conversationId !== SENT)
          sandbox.faults.add({
            method: 'GET',
            path: `/v1/conversations/${t.conversationId}/messages`,
            kind: 'latency',
            ms: 60_000,
          });
      for (const t of pending)
        void client
          .callTool({
            name: 'hostaway_send_message',
            arguments: { conversationId: t.conversationId, text: t.text, confirmationId: t.confirmationId },
          })
          .catch(() => {});
      // Kill once every message of the first kind is in the thread and every read of the second is held.
      const half = PER_LIFE / 2;
      const ready = () =>
        pending.filter((t) => t.conversationId === SENT && copies(SENT, t.text) === 1).length === half &&
        sandbox.faults.list().filter((f) => f.kind === 'latency' && f.fired === 1).length === half;
      const deadline = Date.now() + 30_000;
      while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(
        ready(),
        `every trial reached its point of death: ${JSON.stringify({
          taken: pending.filter((t) => t.conversationId === SENT && copies(SENT, t.text) === 1).length,
          faults: sandbox.faults.list().map((f) => [f.kind, f.fired]),
          recent: sandbox.requests
            .list(sandbox.requests.lastSeq - 8)
            .map((e) => `${e.method} ${e.path} ${e.status}`),
        })}`,
      ).toBe(true);
      process.kill(pid, 'SIGKILL');
      sandbox.faults.clear();
      await client.close().catch(() => {});
    }
    expect(tally).toEqual({ done: (LIVES * PER_LIFE) / 2, failed: (LIVES * PER_LIFE) / 2 });
  }, 300_000);
});
