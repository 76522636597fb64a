/**
 * One oversized stdin line must not end the stdio session: it is discarded with a JSON-RPC error, logged,
 * and the next request is served.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineGuard } from '../../src/server/stdio.js';

async function through(maxBytes: number, chunks: string[]) {
  const oversize: number[] = [];
  const out: string[] = [];
  const guard = Readable.from(chunks.map((c) => Buffer.from(c))).pipe(
    lineGuard(maxBytes, (b) => oversize.push(b)),
  );
  for await (const piece of guard) out.push(String(piece));
  return { text: out.join(''), oversize };
}

describe('lineGuard', () => {
  it('passes lines within the limit unchanged, however the input is cut', async () => {
    const { text, oversize } = await through(10, ['ab', 'c\nde', 'f\n', '0123456789\n']);
    expect(text).toBe('abc\ndef\n0123456789\n');
    expect(oversize).toEqual([]);
  });

  it('cuts a line over the limit, ends what passed with an unparseable line, keeps the next lines', async () => {
    const { text, oversize } = await through(10, ['{"a":', '"0123456789012', '3456"}\n', '{"b":2}\n']);
    expect(text).toBe('{"a":#\n{"b":2}\n');
    expect(oversize).toEqual([25]);
  });

  it('counts each oversized line once, also when it arrives whole in one chunk', async () => {
    const { text, oversize } = await through(4, ['123456\nok\n1234567', '89\nend\n']);
    expect(text).toBe('#\nok\n#\nend\n');
    expect(oversize).toEqual([6, 9]);
  });
});

describe('stdio server and an oversized message', () => {
  it('answers with a JSON-RPC error, logs it, and goes on serving', async () => {
    const child = spawn(process.execPath, ['dist/cli.js'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOSTAWAY_SANDBOX_LISTINGS: '5' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += String(d);
    });
    const answers: Array<{ id?: unknown; error?: { message: string }; result?: { tools?: unknown[] } }> = [];
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (answers.length >= n) resolve();
        };
        child.stdout.on('data', (d: Buffer) => {
          stdout += String(d);
          const lines = stdout.split('\n');
          stdout = lines.pop() ?? '';
          for (const line of lines) if (line) answers.push(JSON.parse(line));
          check();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
        check();
      });
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const done = waitFor(3);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { padding: 'x'.repeat(11 * 1024 * 1024) } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    await done;
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));

    expect(answers[0]).toMatchObject({ id: 1, result: { serverInfo: { name: 'hostaway-mcp-server' } } });
    expect(answers[1]).toMatchObject({ id: null, error: { code: -32600 } });
    expect(answers[1]?.error?.message).toMatch(/^Message too large \(11534\d{3} bytes/);
    expect(answers[2]).toMatchObject({ id: 3 });
    expect(answers[2]?.result?.tools?.length).toBeGreaterThanOrEqual(10);
    expect(stderr).toMatch(/"msg":"stdio message too large: discarded"/);
  });
});
