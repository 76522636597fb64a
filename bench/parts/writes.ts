/**
 * 9. Writes: on each write store, the time of the first write call (which opens the store), the
 * resident memory it adds, preview and confirm latency of hostaway_send_message over stdio, and the
 * duplicate count when half the answers are lost after Hostaway took the message and half before
 * (must be 0).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import pg from 'pg';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv } from '../lib/servers.js';
import { median, ms, pct } from '../lib/stats.js';

const CONVERSATION = 200003;
const N = 100;
const TRIALS = 100;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Resident memory of a process, from /proc (Linux): the child's, not ours. */
function rssMb(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

async function storeEnvs(): Promise<Array<[string, Record<string, string>, () => Promise<void>]>> {
  const dir = await mkdtemp(join(tmpdir(), 'hostaway-bench-store-'));
  const out: Array<[string, Record<string, string>, () => Promise<void>]> = [
    ['memory', { HOSTAWAY_WRITE_STORE: 'memory' }, async () => {}],
    [
      'embedded (SQLite)',
      { HOSTAWAY_WRITE_STORE: 'embedded', HOSTAWAY_DATA_DIR: dir },
      () => rm(dir, { recursive: true, force: true }),
    ],
  ];
  const schema = `bench_${process.pid}`;
  try {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema if not exists ${schema}`);
    await admin.end();
    out.push([
      'PostgreSQL',
      { DATABASE_URL: `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` },
      async () => {
        const c = new pg.Client({ connectionString: DATABASE_URL });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    ]);
  } catch {
    process.stderr.write('   (no PostgreSQL at BENCH_DATABASE_URL: skipping that store)\n');
  }
  return out;
}

export async function writes(sandbox: Sandbox): Promise<void> {
  process.stderr.write('9. writes\n');
  const rows: Record<string, unknown> = {};
  for (const [name, storeEnv, cleanup] of await storeEnvs()) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['dist/cli.js'],
      env: liveEnv(sandbox, { HOSTAWAY_WRITES: 'true', HOSTAWAY_WRITE_LEASE_MS: '100', ...storeEnv }),
    });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    const pid = transport.pid as number;
    const call = async (args: Record<string, unknown>) =>
      (await client.callTool({ name: 'hostaway_send_message', arguments: args })).structuredContent as {
        status: string;
        confirmationId?: string;
      };
    await client.callTool({ name: 'hostaway_get_conversation', arguments: { conversationId: CONVERSATION } });
    const rssBefore = rssMb(pid);
    let t = performance.now();
    await call({ conversationId: CONVERSATION, text: `warm-up on ${name}` });
    const firstWriteMs = performance.now() - t;
    const rssAfter = rssMb(pid);

    const previews: number[] = [];
    const confirms: number[] = [];
    for (let i = 0; i < N; i++) {
      const text = `Latency ${i} on ${name}`;
      t = performance.now();
      const p = await call({ conversationId: CONVERSATION, text });
      previews.push(performance.now() - t);
      t = performance.now();
      await call({ conversationId: CONVERSATION, text, confirmationId: p.confirmationId });
      confirms.push(performance.now() - t);
    }

    // Half the answers lost after Hostaway took the message, half before it did.
    const outcomes: Record<string, number> = {};
    const texts: string[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const text = `Lost answer ${i} on ${name}`;
      texts.push(text);
      const p = await call({ conversationId: CONVERSATION, text });
      sandbox.faults.add({
        method: 'POST',
        path: `/v1/conversations/${CONVERSATION}/messages`,
        kind: i % 2 ? 'reset' : 'resetAfterCommit',
        times: 1,
      });
      const args = { conversationId: CONVERSATION, text, confirmationId: p.confirmationId };
      let o = await call(args);
      if (o.status === 'unknown') {
        await new Promise((r) => setTimeout(r, 110));
        o = await call(args);
      }
      outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
    }
    sandbox.faults.clear();
    const thread = sandbox.store().conversationMessages(CONVERSATION, true);
    const duplicates = texts.filter((text) => thread.filter((m) => m.body === text).length > 1).length;
    await client.close();
    await cleanup();

    rows[name] = {
      firstWriteMs,
      rssAddedMb: rssBefore !== null && rssAfter !== null ? rssAfter - rssBefore : null,
      previewMs: { p50: median(previews), p95: pct(previews, 95) },
      confirmMs: { p50: median(confirms), p95: pct(confirms, 95) },
      lostAnswers: { trials: TRIALS, outcomes, duplicates },
    };
    report(
      `${name}: first write (opens the store), memory added`,
      `${ms(firstWriteMs)}, ${rssBefore !== null && rssAfter !== null ? `+${(rssAfter - rssBefore).toFixed(0)} MB` : 'n/a'}`,
      '',
    );
    report(
      `${name}: preview / confirm p50 (p95)`,
      `${ms(median(previews))} (${ms(pct(previews, 95))}) / ${ms(median(confirms))} (${ms(pct(confirms, 95))})`,
      '',
    );
    report(
      `${name}: ${TRIALS} lost answers -> duplicates`,
      `${duplicates} (${Object.entries(outcomes)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})`,
      '0',
    );
  }
  results.writes = rows;
}
