/**
 * The git hooks (husky, .husky/): set up by `npm install` through `prepare`; before a commit the staged
 * files are formatted and linted and the fixes staged, proved on a real repository; before a push, the
 * type-check.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'hooks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('npm install sets the hooks up (prepare runs husky), husky being a dev dependency', () => {
  expect(pkg.scripts.prepare).toMatch(/^husky\b/);
  expect(pkg.devDependencies.husky).toBeDefined();
});

it('before a commit: formats and lints the staged files and stages the fixes', async () => {
  const git = (...args: string[]) => run('git', args, { cwd: scratch });
  await git('init', '-q');
  await git('config', 'user.email', 'hooks@test.invalid');
  await git('config', 'user.name', 'hooks test');
  cpSync(join(root, 'biome.json'), join(scratch, 'biome.json'));
  writeFileSync(join(scratch, 'a.ts'), 'export const   answer = {value:42}\n');
  await git('add', 'a.ts');
  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
  await run('sh', [join(root, '.husky', 'pre-commit')], { cwd: scratch, env });
  const { stdout: staged } = await git('show', ':a.ts');
  expect(staged).toBe('export const answer = { value: 42 };\n');
  // A lint error stops the commit.
  writeFileSync(join(scratch, 'b.ts'), 'debugger;\nexport const x = 1;\n');
  await git('add', 'b.ts');
  await expect(run('sh', [join(root, '.husky', 'pre-commit')], { cwd: scratch, env })).rejects.toThrow();
}, 30_000);

it('before a push: the type-check, with the project script', () => {
  expect(readFileSync(join(root, '.husky', 'pre-push'), 'utf8')).toMatch(/^npm run typecheck$/m);
  expect(pkg.scripts.typecheck).toMatch(/tsc .*--noEmit/);
});
