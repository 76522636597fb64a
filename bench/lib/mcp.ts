/**
 * MCP requests made by hand, so that what is timed is the server and not an SDK client: the HTTP
 * request of each protocol era, and a bare JSON-RPC client over stdio.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** The protocol eras the server speaks over HTTP. */
export const ERAS = ['2025-11-25', '2026-07-28'] as const;
export type Era = (typeof ERAS)[number];

const CLIENT_INFO = { name: 'bench', version: '1' };

/**
 * One stateless Streamable HTTP request, as the SDK client sends it in each era (captured from
 * `@modelcontextprotocol/client` 2.4 through a logging proxy):
 * - 2025-11-25: a plain JSON-RPC POST with `mcp-protocol-version: 2025-11-25`;
 * - 2026-07-28: the request carries its own envelope, `params._meta` with the protocol version, the
 *   client's info and capabilities, and the `Mcp-Method` header (and `Mcp-Name` for the methods that
 *   name something: `params.name` of tools/call and prompts/get, `params.uri` of resources/read).
 */
export function mcpHttpRequest(
  era: Era,
  method: string,
  params: Record<string, unknown> = {},
): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': era,
  };
  if (era === '2025-11-25') {
    const body = { jsonrpc: '2.0', id: 1, method, ...(Object.keys(params).length ? { params } : {}) };
    return { headers, body: JSON.stringify(body) };
  }
  headers['mcp-method'] = method;
  const name = params.name ?? params.uri;
  if (typeof name === 'string') headers['mcp-name'] = name;
  const _meta = {
    'io.modelcontextprotocol/protocolVersion': era,
    'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta } }) };
}

/**
 * The built server over stdio with a bare JSON-RPC client: one line out, one line back, nothing
 * validated or kept beyond the answer awaited. Its log (stderr) goes straight to ours, never through
 * this process. 2025-11-25 era (`initialize`), the one with `ping`.
 */
export async function rawStdio(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['dist/cli.js'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
  const stdout = child.stdout as NonNullable<ChildProcess['stdout']>;
  const waiting = new Map<number, { resolve: (m: Answer) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  // Only the part of a line not yet ended is held between reads.
  let partial = '';
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      const message = JSON.parse(line) as Answer;
      if (typeof message.id !== 'number') continue; // a notification
      const w = waiting.get(message.id);
      if (!w) continue;
      waiting.delete(message.id);
      if (message.error) w.reject(new Error(`${JSON.stringify(message.error)}`));
      else w.resolve(message);
    }
  });
  child.once('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the stdio server exited ${code}`));
    waiting.clear();
  });
  const send = (message: Record<string, unknown>) => stdin.write(`${JSON.stringify(message)}\n`);
  const request = (method: string, params?: Record<string, unknown>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    });
  await request('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: CLIENT_INFO,
  });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    pid: child.pid as number,
    request,
    /** A tool call that must succeed: a tool error is thrown, never timed as an answer. */
    async callTool(name: string, args: Record<string, unknown>): Promise<Answer> {
      const answer = await request('tools/call', { name, arguments: args });
      if ((answer.result as { isError?: boolean } | undefined)?.isError)
        throw new Error(`${name} failed: ${JSON.stringify(answer.result)}`);
      return answer;
    },
    async close(): Promise<void> {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      stdin.end();
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/**
 * Checks that the body of an answer over HTTP (plain JSON, or an SSE stream: its first `data:` event)
 * is a JSON-RPC result and not a tool error, so that an error is never timed as an answer.
 */
export function checkAnswer(text: string): void {
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? '');
  const message = JSON.parse(json) as Answer & { result?: { isError?: boolean } };
  if (!message.result || message.result.isError)
    throw new Error(`not a successful answer: ${text.slice(0, 300)}`);
}

interface Answer {
  id?: number | string;
  result?: unknown;
  error?: unknown;
}
