/**
 * The MCP registry entry (server.json), the npm package it points at, and the licence: server.json is
 * valid against the registry's server.json rules, and agrees with package.json on name, version and
 * identifier, so that `mcp-publisher publish` can verify the npm package it names.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_LEVELS } from '../../src/logging.js';
import { schemaValidator } from '../helpers/json-schema.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

interface EnvVar {
  name: string;
  description?: string;
  isSecret?: boolean;
  isRequired?: boolean;
  choices?: string[];
}
interface ServerJson {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: Array<{
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: EnvVar[];
  }>;
}

const pkg = JSON.parse(read('package.json')) as {
  name: string;
  version: string;
  mcpName: string;
  license: string;
  bin: Record<string, string>;
};
const server = JSON.parse(read('server.json')) as ServerJson;
const validate = schemaValidator(
  new URL('../fixtures/schemas/mcp-server-json.schema.json', import.meta.url).pathname,
);

describe('server.json, the MCP registry entry', () => {
  it('is valid against the registry schema it declares', () => {
    expect(server.$schema).toBe(
      'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    );
    expect(validate(server)).toEqual([]);
  });

  it('is checked by a schema that rejects what the registry rejects', () => {
    const variant = (change: (s: ServerJson) => void): ServerJson => {
      const copy = structuredClone(server);
      change(copy);
      return copy;
    };
    const rejected = [
      variant((s) => {
        s.description = 'x'.repeat(101);
      }),
      variant((s) => {
        s.name = 'hostaway-mcp-server';
      }),
      variant((s) => {
        s.name = 'io.github.hostaway-mcp/hostaway/mcp';
      }),
      variant((s) => {
        s.packages[0]!.version = 'latest';
      }),
      variant((s) => {
        delete (s.packages[0] as Partial<ServerJson['packages'][number]>).transport;
      }),
      variant((s) => {
        s.packages[0]!.transport = { type: 'websocket' };
      }),
      variant((s) => {
        (s.packages[0]!.environmentVariables[1] as { isSecret: unknown }).isSecret = 'yes';
      }),
      variant((s) => {
        delete (s as Partial<ServerJson>).version;
      }),
      // A format, not a type: proves the formats are loaded.
      variant((s) => {
        (s as unknown as { repository: { url: string } }).repository.url = 'not a url';
      }),
    ];
    for (const bad of rejected) expect(validate(bad)).not.toEqual([]);
  });

  it('names the npm package and version of package.json, under the mcpName that package declares', () => {
    expect(pkg.mcpName).toBe(server.name);
    expect(server.name).toMatch(/^io\.github\.[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
    expect(server.version).toBe(pkg.version);
    expect(server.packages).toHaveLength(1);
    const [npm] = server.packages;
    expect(npm).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
  });

  it('describes every environment variable, marks the API key secret, and names only real settings', () => {
    const vars = server.packages[0]!.environmentVariables;
    const config = read('src/config.ts');
    for (const v of vars) {
      expect(v.description, v.name).toMatch(/\w{3,}/);
      expect(config, `${v.name} is not a setting of src/config.ts`).toContain(`  ${v.name}: `);
      // Demo mode needs nothing: no variable is required.
      expect(v.isRequired, v.name).toBe(false);
      expect(v.isSecret, v.name).toBe(/KEY|TOKEN|SECRET|PASSWORD/.test(v.name));
    }
    expect(vars.map((v) => v.name)).toEqual(
      expect.arrayContaining(['HOSTAWAY_ACCOUNT_ID', 'HOSTAWAY_API_KEY']),
    );
    expect(vars.find((v) => v.name === 'LOG_LEVEL')?.choices).toEqual([...LOG_LEVELS]);
  });
});

describe('the npm package', () => {
  it('ships the command npx runs, the licence and the README, and no tests or sources', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    // One bin: `npx hostaway-mcp-server` runs it although its name differs from the package's.
    const bins = Object.values(pkg.bin);
    expect(bins).toEqual(['dist/cli.js']);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', 'dist/cli.js']));
    expect(files.filter((f) => /^(src|test|bench)\//.test(f))).toEqual([]);
  });

  it('is MIT licensed, by a LICENSE file naming the contributors', () => {
    expect(pkg.license).toBe('MIT');
    const licence = read('LICENSE');
    expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Hostaway MCP Server contributors\n/);
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
