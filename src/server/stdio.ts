/**
 * The MCP server over stdio, with a guard on line length in front of the SDK's transport. The SDK closes
 * the whole connection when one line outgrows its buffer (the process then exits 0 with nothing said);
 * here an oversized line is dropped, answered with a JSON-RPC error, logged, and the session goes on.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Runtime } from './runtime.js';
import { buildServer } from './server.js';

/** The longest line (one JSON-RPC message) accepted: the SDK's own default buffer size. */
export const MAX_STDIO_LINE_BYTES = 10 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Passes lines through unchanged, but cuts any line longer than `maxBytes`: what was already passed of it
 * is ended with `#\n` (never valid JSON, so the reader skips it), the rest is dropped up to its newline,
 * and `onOversize` is called once per such line.
 */
export function lineGuard(maxBytes: number, onOversize: (bytes: number) => void): Transform {
  let lineBytes = 0;
  let dropping = false;
  let dropped = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, start);
        const end = newline === -1 ? chunk.length : newline + 1;
        const content = (newline === -1 ? end : newline) - start;
        if (dropping) {
          dropped += content;
          if (newline !== -1) {
            onOversize(dropped);
            dropping = false;
            lineBytes = 0;
          }
        } else if (lineBytes + content > maxBytes) {
          this.push('#\n');
          dropping = true;
          dropped = lineBytes + content;
          lineBytes = 0;
          if (newline !== -1) {
            onOversize(dropped);
            dropping = false;
          }
        } else {
          this.push(chunk.subarray(start, end));
          lineBytes = newline === -1 ? lineBytes + content : 0;
        }
        start = end;
      }
      done();
    },
  });
}

export interface StdioHandle {
  close(): Promise<void>;
}

export function startStdioServer(runtime: Runtime, maxLineBytes = MAX_STDIO_LINE_BYTES): StdioHandle {
  const input = process.stdin.pipe(
    lineGuard(maxLineBytes, (bytes) => {
      runtime.logger.warn({ bytes, maxBytes: maxLineBytes }, 'stdio message too large: discarded');
      void transport
        .send({
          jsonrpc: '2.0',
          id: null as unknown as string,
          error: {
            code: -32600,
            message: `Message too large (${bytes} bytes; at most ${maxLineBytes}): it was discarded. Send a smaller request.`,
          },
        })
        .catch(() => undefined);
    }),
  );
  // The SDK's buffer only ever holds one line that the guard let through, plus one chunk of input.
  const transport = new StdioServerTransport(input, process.stdout, { maxBufferSize: maxLineBytes * 2 });
  return serveStdio(
    ({ era }) => buildServer(runtime, { caller: 'local (stdio)', canAsk: true, notifies: true, era }),
    {
      transport,
      onerror: (err) => runtime.logger.warn({ err: err.message }, 'stdio transport error'),
    },
  );
}
