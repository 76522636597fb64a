/**
 * The container image, without a Docker engine (none runs on the build machines, and no image
 * registry is reachable): the Dockerfile's shape is read, then the final stage's exact command runs
 * here from the repository root (dist/ built), with the final stage's ENV, a test token and port 0,
 * until /health answers, the HEALTHCHECK's own command passes, and MCP answers behind the token.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandArgv,
  healthcheck,
  instructions,
  parseDockerfile,
  type Stage,
  stageCommand,
  stageEnv,
} from '../helpers/dockerfile.js';
import { exitOf, ROOT as root, runHere, stop, waitFor } from '../helpers/processes.js';

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const final = dockerfile.stages.at(-1) as Stage;
const build = dockerfile.stages.find((s) => s.name === 'build') as Stage;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const home = mkdtempSync(join(tmpdir(), 'hostaway-docker-'));

/** The image's environment as a container gets it, outside one: the final stage's ENV over a bare base. */
const imageEnv = (extra: Record<string, string>): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  ...stageEnv(final),
  ...extra,
});

describe('Dockerfile', () => {
  it('builds in one stage with the dev dependencies and runs in another with the production ones', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    const buildRuns = instructions(build, 'RUN').join('\n');
    expect(buildRuns).toMatch(/npm ci\b/);
    expect(buildRuns).not.toMatch(/--omit=dev|--production/);
    expect(buildRuns).toMatch(/npm run build/);
    const finalRuns = instructions(final, 'RUN').join('\n');
    expect(finalRuns).toMatch(/npm ci\b[^\n]*--omit=dev/);
    expect(instructions(final, 'COPY')).toContain('--from=build /app/dist ./dist');
    // No compiler, no sources in the image that runs.
    expect(instructions(final, 'COPY').join('\n')).not.toMatch(/\bsrc\b|tsconfig/);
  });

  it('runs on a slim Node.js LTS image (an even major, 22 or newer), as a user that is not root', () => {
    for (const stage of dockerfile.stages) {
      const m = /^node:(\d+)-slim$/.exec(stage.from);
      expect(m, stage.from).not.toBeNull();
      const major = Number(m![1]);
      expect(major % 2, 'LTS lines are the even majors').toBe(0);
      expect(major).toBeGreaterThanOrEqual(22);
    }
    const user = instructions(final, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('exposes the port it listens on, bound beyond loopback, and checks its health with node alone', () => {
    const env = stageEnv(final);
    expect(env.MCP_HTTP_HOST).toBe('0.0.0.0');
    expect(instructions(final, 'EXPOSE')).toEqual([env.MCP_HTTP_PORT]);
    const check = healthcheck(final);
    expect(check?.argv[0]).toBe('node');
    expect(check?.argv.join(' ')).not.toMatch(/curl|wget/);
    expect(check?.argv.join(' ')).toContain('/health');
    expect(stageCommand(final)).toEqual(['node', 'dist/cli.js', 'http']);
  });

  it('copies into the build stage every script and folder that `npm run build` reads', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const inputs = [...pkg.scripts.build!.matchAll(/\b(scripts\/[\w.-]+\.mjs)\b/g)].map((m) => m[1]!);
    expect(inputs.length).toBeGreaterThan(1);
    const build = dockerfile.stages[0]!;
    const copied = instructions(build, 'COPY').flatMap((c) => c.split(/\s+/).slice(0, -1));
    for (const input of [...inputs, 'src', 'views']) expect(copied, input).toContain(input);
  });

  it('keeps everything but the build inputs out of the build context (.dockerignore)', () => {
    const lines = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toBe('*');
    const allowed = lines.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, ''));
    const copied = dockerfile.stages
      .flatMap((s) => instructions(s, 'COPY'))
      .filter((c) => !c.startsWith('--from='))
      .flatMap((c) => c.split(/\s+/).slice(0, -1));
    for (const source of copied) expect(allowed, source).toContain(source.replace(/^\.\//, ''));
    for (const kept of ['.env', 'node_modules', 'dist', '.git']) expect(allowed).not.toContain(kept);
  });
});

describe("the image's command, run outside a container", () => {
  const token = randomBytes(18).toString('hex');
  let child: ChildProcess;
  let origin: string;

  beforeAll(async () => {
    child = runHere(stageCommand(final), imageEnv({ MCP_AUTH_TOKEN: token, MCP_HTTP_PORT: '0' }));
    const url = await waitFor(child, /"url":"(http:\/\/[^"]+)"/, 15_000);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/mcp$/);
    origin = new URL(url).origin.replace('0.0.0.0', '127.0.0.1');
  });

  afterAll(async () => {
    await stop(child);
    rmSync(home, { recursive: true, force: true });
  });

  it('answers /health, in demo mode without credentials', async () => {
    const res = await fetch(`${origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', mode: 'sandbox', version: pkg.version });
  });

  it("passes the HEALTHCHECK's own command, which fails when nothing answers", async () => {
    const check = healthcheck(final)!;
    const port = new URL(origin).port;
    expect((await exitOf(runHere(check.argv, imageEnv({ MCP_HTTP_PORT: port })))).code).toBe(0);
    // Port 1: nothing listens there.
    expect((await exitOf(runHere(check.argv, imageEnv({ MCP_HTTP_PORT: '1' })))).code).toBe(1);
  });

  it('serves MCP at /mcp to a client with the token, and refuses one without', async () => {
    const denied = await fetch(`${origin}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(denied.status).toBe(401);
    const client = new Client({ name: 'docker-cmd-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(10);
    await client.close();
  });

  it('stops cleanly on SIGTERM (what `docker stop` sends)', async () => {
    expect(await stop(child)).toBe(0);
  });

  it('refuses to start without MCP_AUTH_TOKEN, naming it', async () => {
    const result = await exitOf(runHere(stageCommand(final), imageEnv({ MCP_HTTP_PORT: '0' })));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/MCP_HTTP_HOST is 0\.0\.0\.0.*set MCP_AUTH_TOKEN/);
  });
});

it('reads a Dockerfile as Docker does: continuations, ARG in FROM, both ENV forms, exec and shell forms', () => {
  const parsed = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      'ARG V=22',
      'FROM node:$V-slim AS one',
      'ENV A=1 \\',
      '    B="two words"',
      'ENV C 3 4',
      'ENTRYPOINT ["tini", "--"]',
      'CMD node x.js',
      'HEALTHCHECK --interval=5s CMD ["node", "-e", "0"]',
    ].join('\n'),
  );
  const [stage] = parsed.stages;
  expect(stage!.from).toBe('node:22-slim');
  expect(stage!.name).toBe('one');
  expect(stageEnv(stage!)).toEqual({ A: '1', B: 'two words', C: '3 4' });
  expect(stageCommand(stage!)).toEqual(['tini', '--', '/bin/sh', '-c', 'node x.js']);
  expect(healthcheck(stage!)).toEqual({ options: { interval: '5s' }, argv: ['node', '-e', '0'] });
  expect(commandArgv('["node", "-e", "0"]')).toEqual(['node', '-e', '0']);
});
