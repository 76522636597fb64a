#!/usr/bin/env node
/**
 * `npm run bundle`: the MCP bundle (.mcpb) for one-click install in Claude Desktop, built with the
 * official tool (`mcpb pack`) from a staging directory that holds only what the server runs: dist/,
 * the production dependencies, manifest.json, package.json (the server reads its version there), the
 * licence and the README. `.mcpbignore` trims the dependencies further.
 *
 * Output: build/mcpb/hostaway-mcp-server-<version>.mcpb (build/ is git-ignored), or under the
 * directory given with `--out <dir>`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'build', 'mcpb'));
const stage = join(out, 'hostaway-mcp-server-stage');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bundle = join(out, `hostaway-mcp-server-${version}.mcpb`);
const windows = process.platform === 'win32';

if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('bundle: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const started = performance.now();
rmSync(stage, { recursive: true, force: true });
rmSync(bundle, { force: true });
mkdirSync(stage, { recursive: true });
for (const file of [
  'manifest.json',
  'package.json',
  'package-lock.json',
  'LICENSE',
  'README.md',
  '.mcpbignore',
])
  copyFileSync(join(root, file), join(stage, file));
cpSync(join(root, 'dist'), join(stage, 'dist'), {
  recursive: true,
  filter: (path) => !/\.(map|d\.ts)$/.test(path),
});
// The production dependencies as installed here (npm ci put the lock file's tree in node_modules):
// every package that `npm ls --omit=dev` lists, each without its nested node_modules, which are
// listed (and copied) on their own when they hold production packages.
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
  cwd: root,
  encoding: 'utf8',
  shell: windows,
});
for (const dir of listed.split(/\r?\n/).filter(Boolean).slice(1)) {
  const nested = join(dir, 'node_modules');
  cpSync(dir, join(stage, relative(root, dir)), {
    recursive: true,
    filter: (path) => path !== nested && !path.startsWith(nested + sep),
  });
}
// The official CLI (the package's bin), run directly: npx would add a second.
const mcpbDir = join(root, 'node_modules', '@anthropic-ai', 'mcpb');
const mcpbBin = JSON.parse(readFileSync(join(mcpbDir, 'package.json'), 'utf8')).bin;
execFileSync(process.execPath, [join(mcpbDir, mcpbBin), 'pack', stage, bundle], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
rmSync(stage, { recursive: true, force: true });
const mb = (statSync(bundle).size / 1024 / 1024).toFixed(1);
process.stderr.write(
  `bundle: ${relative(process.cwd(), bundle)} (${mb} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
