/**
 * Commands read from the project's files (Dockerfile, compose.yaml), run here as child processes:
 * `node` is this Node.js, the working directory the repository root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function runHere(argv: string[], env: Record<string, string>): ChildProcess {
  return spawn(argv[0] === 'node' ? process.execPath : argv[0]!, argv.slice(1), { cwd: ROOT, env });
}

/** Its exit code and everything it wrote to stderr. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += String(d);
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** Waits until the process writes `pattern` (stdout or stderr) and gives its first group. */
export function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${seen}`)), timeoutMs);
    const read = (d: Buffer) => {
      seen += String(d);
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
}

/** SIGTERM, and its exit code once it has gone. */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  return (await exited).code;
}
