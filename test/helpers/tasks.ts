/**
 * What the task tests share: a runtime with its SDK client, tool calls that return the structured answer
 * and the text, and the sandbox's own answers over HTTP (read with a token of the test's own, never
 * through the server's client), plus the writes the sandbox saw.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Task } from '../../src/hostaway/schemas.js';
import type { Runtime } from '../../src/server/runtime.js';
import type { WriteStoreSpec } from '../../src/writes/open.js';
import { mintToken } from './sandbox.js';
import { connect, startTestRuntime } from './server.js';

export interface TaskHarness {
  runtime: Runtime;
  client: Client;
  /** Calls a tool; `isError` answers come back too, with their text. */
  call<T = Record<string, unknown>>(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ out: T; text: string; isError: boolean }>;
  /** GET against the sandbox's API, bypassing the server: its status and parsed body. */
  raw<T = unknown>(path: string): Promise<{ status: number; body: { result: T; count?: number } }>;
  /** A request to the sandbox's API with the test's token (a change made behind the server's back). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Every task the sandbox holds, in its own order (all pages). */
  allTasks(query?: string): Promise<Task[]>;
  /** The requests that changed something (not reads, not token requests) since `seq`. */
  writesSince(seq: number): Array<{ method: string; path: string; status: number }>;
  seq(): number;
  close(): Promise<void>;
}

export async function startTaskHarness(
  options: { writeStore?: WriteStoreSpec; clock?: () => number } = {},
): Promise<TaskHarness> {
  const runtime = await startTestRuntime(options);
  // Opened before any socket: embedded PostgreSQL holds the event loop for seconds while it starts, and
  // a kept-alive connection idle across that pause is reset.
  await runtime.writeStore();
  const { client, close } = await connect(runtime, 'legacy (in-memory)');
  const sandbox = runtime.sandbox!;
  const token = await mintToken(sandbox);
  const raw = async <T>(path: string) => {
    const res = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as { result: T; count?: number } };
  };
  return {
    runtime,
    client,
    async call<T>(name: string, args: Record<string, unknown>) {
      const r = await client.callTool({ name, arguments: args });
      const text = (r.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
      return { out: r.structuredContent as T, text, isError: Boolean(r.isError) };
    },
    raw,
    api: (path, init = {}) =>
      fetch(`${sandbox.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }),
    async allTasks(query = '') {
      const all: Task[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await raw<Task[]>(`/tasks?limit=100&offset=${offset}${query ? `&${query}` : ''}`);
        if (page.status !== 200) throw new Error(`GET /tasks -> ${page.status}`);
        all.push(...page.body.result);
        if (page.body.result.length < 100) return all;
      }
    },
    writesSince(seq) {
      return sandbox.requests
        .list(seq)
        .filter((e) => e.method !== 'GET' && e.path !== '/v1/accessTokens')
        .map((e) => ({ method: e.method, path: e.path, status: e.status }));
    },
    seq: () => sandbox.requests.lastSeq,
    close: async () => {
      await close();
      await runtime.close();
    },
  };
}
