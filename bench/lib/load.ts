/**
 * Load from a process of its own (load-process.ts runs autocannon there): the benchmark's process
 * hosts the sandbox and does the bookkeeping, and must not also be the client whose speed limits the
 * figure. Each run is a new process; its start-up happens before autocannon's clock starts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Requests per second, autocannon's average over the run's seconds. */
  rps: number;
  requests: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  seconds: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./load-process.ts', import.meta.url));

/** One autocannon run in a child process; its result. */
export function load(options: LoadOptions): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d; // one line of JSON, printed at the end
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load process exited ${code}: ${out}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`the load process printed no result: ${out}`));
      }
    });
  });
}
