/**
 * The command-line surface, as a user runs it (the built CLI, demo mode): it lists the tools and runs
 * one through the same call path, with the same answers and messages as MCP and REST, and exit codes a
 * script can branch on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../src/cli-tools.js';
import { enabledTools } from '../../src/tools/index.js';

const run = promisify(execFile);

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli.js', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tools = enabledTools({ readOnly: false, writes: true, toolsets: undefined });
const def = (name: string) => tools.find((t) => t.name === name)!;

describe('hostaway-mcp tools / call', () => {
  it('lists every tool offered in demo mode with its scope', async () => {
    const { code, stdout } = await cli('tools');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(tools.map((t) => t.name));
    expect(lines.find((l) => l.startsWith('hostaway_send_message '))).toMatch(/\swrite\s/);
  }, 30_000);

  it('runs a read and prints its text, or its structured answer with --json', async () => {
    const text = await cli('call', 'get_listing', '--listingId', '40160');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/40160/);
    const json = await cli('call', 'hostaway_get_listing', 'listingId=40160', '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { listing: { id: number } }).listing.id).toBe(40160);
    // Nothing but the answer on stdout; demo mode's notice stays off at the default error level.
    expect(json.stderr).toBe('');
  }, 30_000);

  it('a bad argument exits 1 with the message every surface gives; a usage error exits 2', async () => {
    const bad = await cli('call', 'get_listing', 'listingId=abc');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Invalid arguments for hostaway_get_listing: listingId: Invalid input: expected number, received string\n',
    );
    const unknown = await cli('call', 'drop_everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/hostaway-mcp tools/);
  }, 30_000);

  it('a write previews and prints its confirmationId; nothing is sent', async () => {
    const { code, stdout } = await cli(
      'call',
      'send_message',
      '{"conversationId":200001,"text":"hi"}',
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { status: string; confirmationId: string };
    expect(out.status).toBe('preview');
    expect(out.confirmationId).toMatch(/^cf_/);
  }, 30_000);
});

describe('reading arguments', () => {
  it('reads --name value, --name=value, name=value and bare switches by the schema', () => {
    expect(
      parseArguments(def('hostaway_search_listings'), [
        '--city',
        'Lisbon',
        '--limit=3',
        'minGuests=2',
        '--includeArchived',
      ]),
    ).toEqual({ value: { city: 'Lisbon', limit: 3, minGuests: 2, includeArchived: true } });
    expect(parseArguments(def('hostaway_finance_report'), ['listingIds=1,2', '--listingIds', '3'])).toEqual({
      value: { listingIds: [1, 2, 3] },
    });
    expect(parseArguments(def('hostaway_get_listing'), ['{"listingId": 7}'])).toEqual({
      value: { listingId: 7 },
    });
    expect(parseArguments(def('hostaway_get_listing'), ['{"listingId": '])).toHaveProperty('problem');
    expect(parseArguments(def('hostaway_get_listing'), ['7'])).toEqual({
      problem: 'cannot read "7": write --name value, name=value, or one JSON object',
    });
  });
});
