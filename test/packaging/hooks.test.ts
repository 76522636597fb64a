/**
 * The git hooks (lefthook.yml): valid by lefthook's own check, formatting and linting the staged files
 * before a commit (fixes staged again) and type-checking before a push.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = parse(readFileSync(join(root, 'lefthook.yml'), 'utf8')) as Record<
  string,
  { jobs: Array<{ run: string; stage_fixed?: boolean }> }
>;
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

it('passes lefthook validate', async () => {
  const { stdout } = await promisify(execFile)(join(root, 'node_modules', '.bin', 'lefthook'), ['validate'], {
    cwd: root,
  });
  expect(stdout).toMatch(/All good/);
});

it('formats and lints the staged files before a commit, and stages the fixes', () => {
  const [job] = config['pre-commit']!.jobs;
  expect(job!.run).toMatch(/biome check --write .*\{staged_files\}/);
  expect(job!.stage_fixed).toBe(true);
});

it('type-checks before a push, with the project script', () => {
  const runs = config['pre-push']!.jobs.map((j) => j.run);
  expect(runs).toContain('npm run typecheck');
  expect(scripts.typecheck).toMatch(/tsc .*--noEmit/);
});
