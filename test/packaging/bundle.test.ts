/**
 * The MCP bundle (.mcpb) for Claude Desktop: manifest.json passes the official validator (`mcpb
 * validate`), agrees with package.json and with the tools the server offers, and a bundle built by
 * `npm run bundle`'s script, unpacked by the official tool and started as Claude Desktop starts it
 * (the manifest's command, `${__dirname}` and empty user settings substituted), serves the demo.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;

interface Manifest {
  manifest_version: string;
  name: string;
  version: string;
  license: string;
  server: {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  user_config: Record<string, { type: string; required?: boolean; sensitive?: boolean; default?: string }>;
  tools: Array<{ name: string; description: string }>;
}
const manifest = readJson<Manifest>('manifest.json');
const pkg = readJson<{ name: string; version: string; license: string }>('package.json');
const scratch = mkdtempSync(join(tmpdir(), 'hostaway-mcpb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `mcpb <args>`: the official CLI (the package's bin), from this project's devDependencies. */
const mcpbDir = join(root, 'node_modules', '@anthropic-ai', 'mcpb');
const mcpbBin = join(mcpbDir, readJson<{ bin: string }>('node_modules/@anthropic-ai/mcpb/package.json').bin);
const mcpb = (...args: string[]) =>
  run(process.execPath, [mcpbBin, ...args], { cwd: root }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

/** The server as Claude Desktop starts it: the manifest's command with its placeholders filled. */
function desktopLaunch(dir: string, settings: Record<string, string> = {}) {
  const fill = (s: string) =>
    s
      .replaceAll(`\${__dirname}`, dir)
      .replace(
        /\$\{user_config\.(\w+)\}/g,
        (_, key: string) => settings[key] ?? manifest.user_config[key]?.default ?? '',
      );
  const { command, args, env } = manifest.server.mcp_config;
  return {
    command: command === 'node' ? process.execPath : command,
    args: args.map(fill),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)])),
    },
  };
}

async function connect(launch: ReturnType<typeof desktopLaunch>, extraEnv: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    ...launch,
    env: { ...launch.env, ...extraEnv },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'desktop-like', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('manifest.json', () => {
  it('passes the official validator, which rejects a broken manifest', async () => {
    const ok = await mcpb('validate', join(root, 'manifest.json'));
    expect(ok.out).toContain('Manifest schema validation passes');
    expect(ok.code).toBe(0);

    const broken = structuredClone(manifest) as unknown as Record<string, unknown>;
    (broken.server as { type: string }).type = 'deno';
    writeFileSync(join(scratch, 'manifest.json'), JSON.stringify(broken));
    const bad = await mcpb('validate', join(scratch, 'manifest.json'));
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/server\.type/);
  });

  it('is the npm package: same name, version, licence, and the bin as entry point', () => {
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.license).toBe(pkg.license);
    expect(manifest.server.type).toBe('node');
    expect(manifest.server.entry_point).toBe('dist/cli.js');
    expect(manifest.server.mcp_config.args).toEqual([`\${__dirname}/${manifest.server.entry_point}`]);
  });

  it('asks for the account id and the API key (secret), both optional, and passes them as the settings', () => {
    expect(manifest.user_config).toEqual({
      hostaway_account_id: expect.objectContaining({ type: 'string', required: false, default: '' }),
      hostaway_api_key: expect.objectContaining({
        type: 'string',
        required: false,
        sensitive: true,
        default: '',
      }),
    });
    expect(manifest.user_config.hostaway_account_id?.sensitive).toBeFalsy();
    expect(manifest.server.mcp_config.env).toEqual({
      HOSTAWAY_ACCOUNT_ID: `\${user_config.hostaway_account_id}`,
      HOSTAWAY_API_KEY: `\${user_config.hostaway_api_key}`,
    });
  });

  it('runs in demo mode when the settings are left empty, and lists exactly the tools the server offers', async () => {
    const client = await connect(desktopLaunch(root));
    try {
      const status = await client.callTool({ name: 'hostaway_connection_status', arguments: {} });
      expect((status.structuredContent as { mode: string }).mode).toBe('sandbox');
      const { tools } = await client.listTools();
      expect(manifest.tools).toEqual(tools.map((t) => ({ name: t.name, description: t.title })));
    } finally {
      await client.close();
    }
  });

  it('passes filled-in settings on as credentials (live mode, refused here for want of Hostaway)', async () => {
    // A half-filled form is refused with the setting named, which proves the values reach the server.
    const launch = desktopLaunch(root, { hostaway_account_id: '12345' });
    const { code, stderr } = await run(launch.command, launch.args, { env: launch.env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/HOSTAWAY_ACCOUNT_ID is set but HOSTAWAY_API_KEY is not/);
  });
});

describe('npm run bundle', () => {
  it('packs dist and the production dependencies into a small .mcpb that runs once unpacked', async () => {
    const out = join(scratch, 'out');
    await run(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--out', out], { cwd: root });
    const files = readdirSync(out);
    expect(files).toEqual([`${pkg.name}-${pkg.version}.mcpb`]);
    const size = statSync(join(out, files[0]!)).size;
    expect(size).toBeGreaterThan(500_000);
    expect(size).toBeLessThan(8 * 1024 * 1024);

    const unpacked = join(scratch, 'unpacked');
    const unpack = await mcpb('unpack', join(out, files[0]!), unpacked);
    expect(unpack.code, unpack.out).toBe(0);
    const top = readdirSync(unpacked).sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'dist', 'manifest.json', 'node_modules', 'package.json']);
    const modules = readdirSync(join(unpacked, 'node_modules'));
    for (const dev of ['vitest', 'typescript', '@biomejs', '@anthropic-ai', 'tsx'])
      expect(modules).not.toContain(dev);
    expect(readdirSync(join(unpacked, 'node_modules', 'sql.js', 'dist')).sort()).toEqual([
      'sql-wasm.js',
      'sql-wasm.wasm',
    ]);

    // Started from the bundle, with the embedded store (sql.js) that live mode uses by default.
    const client = await connect(desktopLaunch(unpacked), {
      HOSTAWAY_WRITE_STORE: 'embedded',
      HOSTAWAY_DATA_DIR: join(scratch, 'data'),
    });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(manifest.tools.map((t) => t.name));
      const changes = await client.callTool({ name: 'hostaway_recent_changes', arguments: {} });
      expect(changes.isError).toBeFalsy();
      expect(readdirSync(join(scratch, 'data', 'demo'))).toContain('writes.sqlite');
    } finally {
      await client.close();
    }
  }, 180_000);
});
