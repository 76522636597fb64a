/**
 * The GitHub Actions workflows, read as data: CI runs lint, types and the whole suite against the
 * services the tests expect (at the addresses test/helpers/stores.ts uses), the benchmark parts that
 * exist, and the packaging checks; a release publishes npm with provenance before the registry entry,
 * attaches the bundle and pushes the image. Every `npm run` names a script of package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDockerfile } from '../helpers/dockerfile.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
  strategy?: { matrix?: { node?: number[] } };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const ci = parse(read('.github/workflows/ci.yml')) as Workflow;
const release = parse(read('.github/workflows/release.yml')) as Workflow;
const pkg = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
/** The jobs whose steps run a command matching `pattern`. */
const jobsRunning = (wf: Workflow, pattern: RegExp) =>
  Object.entries(wf.jobs).filter(([, job]) => pattern.test(runs(job)));
/** A job and every job it needs, transitively. */
const needsOf = (wf: Workflow, name: string): string[] => {
  const needs = wf.jobs[name]?.needs ?? [];
  return (Array.isArray(needs) ? needs : [needs]).flatMap((n) => [n, ...needsOf(wf, n)]);
};

describe('ci.yml', () => {
  it('runs on pushes and pull requests', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('lints and type-checks', () => {
    expect(jobsRunning(ci, /^npm run lint$/m)).not.toHaveLength(0);
    expect(jobsRunning(ci, /^npm run typecheck$/m)).not.toHaveLength(0);
  });

  it('runs the test suite with PostgreSQL and Redis where the tests look for them', () => {
    const [[name, job] = ['', { steps: [] } as Job]] = jobsRunning(ci, /^npm test$/m);
    expect(name).not.toBe('');
    const lines = runs(job).split('\n');
    expect(lines.indexOf('npm test')).toBeGreaterThan(lines.findIndex((l) => /^npm ci\b/.test(l)));

    // The default the tests connect to, read from the helper itself.
    const helper = /TEST_DATABASE_URL \?\? '([^']+)'/.exec(read('test/helpers/stores.ts'))?.[1];
    expect(helper).toBeDefined();
    const db = new URL(helper!);
    expect(job.env?.TEST_DATABASE_URL ?? helper).toBe(helper);
    const postgres = job.services?.postgres;
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(postgres?.ports).toContain(`${db.port}:5432`);
    expect(postgres?.env?.POSTGRES_DB).toBe(db.pathname.slice(1));
    // No password in the URL: the service must trust local connections as user postgres.
    expect(db.username).toBe('postgres');
    expect(db.password).toBe('');
    expect(postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(job.services?.redis?.image).toMatch(/^redis:\d+/);
    const redisHelper = /TEST_REDIS_URL \?\? '([^']+)'/.exec(read('test/helpers/redis.ts'))?.[1];
    expect(redisHelper).toBeDefined();
    expect(job.env?.TEST_REDIS_URL ?? redisHelper).toBe(redisHelper);
    expect(job.services?.redis?.ports).toContain(`${new URL(redisHelper!).port}:6379`);
    // Not REDIS_URL: every server the suite starts would then share one rate budget.
    expect(job.env?.REDIS_URL).toBeUndefined();

    expect(runs(job)).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(runs(job)).toMatch(/CHROMIUM_PATH=.*>> "\$GITHUB_ENV"/);
  });

  it("tests on the oldest Node.js package.json allows and on the image's", () => {
    const matrix = jobsRunning(ci, /^npm test$/m)[0]?.[1].strategy?.matrix?.node ?? [];
    const oldest = Number(/>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    const image = Number(parseDockerfile(read('Dockerfile')).args.NODE_VERSION);
    expect(matrix).toEqual(expect.arrayContaining([oldest, image]));
  });

  it('runs benchmark parts that exist', () => {
    const [[, job] = ['', { steps: [] } as Job]] = jobsRunning(ci, /^npm run bench\b/m);
    const parts = /^npm run bench -- (.+)$/m.exec(runs(job))?.[1]?.split(/\s+/) ?? [];
    expect(parts.length).toBeGreaterThan(0);
    const known = [...read('bench/run.ts').matchAll(/^\s+\['(\w+)', /gm)].map((m) => m[1]);
    for (const part of parts) expect(known).toContain(part);
  });

  it('builds the bundle and checks server.json and compose.yaml with their own tools', () => {
    const all = Object.values(ci.jobs).map(runs).join('\n');
    expect(all).toMatch(/^npm run bundle$/m);
    expect(all).toMatch(/mcp-publisher validate server\.json/);
    expect(all).toMatch(/docker compose config --quiet/);
    expect(all).toMatch(/docker compose up --build[^\n]*--wait/);
  });
});

describe('release.yml', () => {
  const job = (name: string) => release.jobs[name] as Job;

  it('runs on version tags and checks the tag against package.json first', () => {
    expect((release.on.push as { tags: string[] }).tags).toEqual(['v*']);
    const [[verify] = ['']] = jobsRunning(release, /require\('\.\/package\.json'\)\.version/);
    expect(verify).not.toBe('');
    for (const name of ['npm', 'bundle', 'image']) expect(needsOf(release, name)).toContain(verify);
  });

  it('publishes to npm with provenance, through GitHub OIDC', () => {
    expect(runs(job('npm'))).toMatch(/^npm publish --provenance --access public$/m);
    expect(job('npm').permissions?.['id-token']).toBe('write');
  });

  it('publishes the registry entry with mcp-publisher after the npm package exists', () => {
    const registry = job('mcp-registry');
    expect(needsOf(release, 'mcp-registry')).toContain('npm');
    expect(registry.permissions?.['id-token']).toBe('write');
    const commands = runs(registry);
    expect(commands).toMatch(/mcp-publisher login github-oidc/);
    expect(commands).toMatch(/mcp-publisher publish/);
  });

  it('attaches the bundle that npm run bundle writes to the GitHub release', () => {
    const bundle = job('bundle');
    expect(bundle.permissions?.contents).toBe('write');
    expect(runs(bundle)).toMatch(/^npm run bundle$/m);
    expect(read('scripts/bundle.mjs')).toContain("join(root, 'build', 'mcpb')");
    expect(runs(bundle)).toMatch(/gh release upload "\$GITHUB_REF_NAME" build\/mcpb\/\*\.mcpb/);
  });

  it('builds and pushes the container image with docker/build-push-action', () => {
    const image = job('image');
    expect(image.permissions?.packages).toBe('write');
    const push = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(push?.with).toMatchObject({ context: '.', push: true });
    const login = image.steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    const meta = image.steps.find((s) => s.uses?.startsWith('docker/metadata-action@'));
    expect(String(meta?.with?.images)).toMatch(new RegExp(`^${String(login?.with?.registry)}/`));
  });
});

describe('both workflows', () => {
  const steps = [...Object.values(ci.jobs), ...Object.values(release.jobs)].flatMap((j) => j.steps);

  it('run only npm scripts that package.json has', () => {
    const named = steps.flatMap((s) => [...(s.run ?? '').matchAll(/npm run (\S+)/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(3);
    for (const script of named) expect(Object.keys(pkg.scripts)).toContain(script);
  });

  it('pin every action to a version', () => {
    for (const { uses } of steps.filter((s) => s.uses))
      expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+|[0-9a-f]{40})$/);
  });
});
