import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/sandbox/data/generate.js';
import { startSandbox } from '../../src/sandbox/index.js';

const now = Date.parse('2026-11-25T12:00:00Z');

describe('seeded data', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = generate({ seed: 7, listings: 5, accountId: 1, now });
    const b = generate({ seed: 7, listings: 5, accountId: 1, now });
    const c = generate({ seed: 8, listings: 5, accountId: 1, now });
    expect(JSON.stringify(a.reservations)).toBe(JSON.stringify(b.reservations));
    expect(JSON.stringify(a.listings)).toBe(JSON.stringify(b.listings));
    expect(JSON.stringify(a.reservations)).not.toBe(JSON.stringify(c.reservations));
  });

  it('scales with the number of listings', () => {
    const small = generate({ seed: 1, listings: 3, accountId: 1, now });
    const large = generate({ seed: 1, listings: 30, accountId: 1, now });
    expect(large.listings).toHaveLength(30);
    expect(large.reservations.length).toBeGreaterThan(small.reservations.length * 5);
  });

  it('rejects invalid options with a message naming the option', async () => {
    await expect(startSandbox({ listings: 0 })).rejects.toThrow(/listings/);
    await expect(startSandbox({ now: 'someday' })).rejects.toThrow(/now must be a date/);
    // @ts-expect-error: unknown options are refused, not ignored
    await expect(startSandbox({ listing: 5 })).rejects.toThrow(/listing/);
  });
});

describe('command line (`hostaway-mcp sandbox`)', () => {
  const run = (args: string[], untilLine?: RegExp) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['dist/cli.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`timed out: ${out} ${err}`));
      }, 15_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (untilLine?.test(out)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
    });

  it('prints the base URL and demo credentials, serves, and stops on SIGTERM', async () => {
    const { out, code } = await run(
      ['sandbox', '--port', '0', '--listings', '3', '--seed', '9'],
      /Try: curl/,
    );
    expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(out).toMatch(/client_id\):\s+12345/);
    expect(out).toMatch(/3 listings/);
    expect(code).toBe(0);
  });

  it('exits 2 with a message naming a bad option', async () => {
    const bad = await run(['sandbox', '--listings', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--listings must be an integer/);
    const fault = await run(['sandbox', '--fault', 'kind=boom']);
    expect(fault.code).toBe(2);
    expect(fault.err).toMatch(/--fault "kind=boom"/);
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"/);
  });
});
