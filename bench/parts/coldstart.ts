/**
 * 5. Cold start to the answer to `initialize`, live and demo, beside a bare `node -e 0` measured in the
 * same run; and resident memory at idle and after 10,000, 20,000 and 30,000 calls, default settings.
 *
 * Start: rounds of one bare node, one live server and one demo server, one after another, so that
 * whatever else the machine is doing weighs on the three alike; medians of the rounds. The bare node
 * gets the servers' environment: this one's may carry settings that slow every start (a
 * NODE_EXTRA_CA_CERTS bundle read at boot added some 40 ms here) and the servers never see them.
 *
 * Memory: RSS as the kernel counts it (/proc/<pid>/status), right after each 10,000 calls, and the
 * highest it has been (VmHWM). The live heap stays flat here (some 22 MB after a full collection, at
 * every step); what moves is the room V8 gives its young generation and the pages it keeps between
 * collections, so one reading lands anywhere between a collection's low and high.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv } from '../lib/servers.js';
import { median, timeCalls } from '../lib/stats.js';

const ROUNDS = 9;
const STEPS = 3;
const CALLS_PER_STEP = 10_000;

/** Resident memory now and at its highest, in MB (Linux). */
async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export async function coldStartAndMemory(sandbox: Sandbox): Promise<void> {
  process.stderr.write('5. cold start and memory\n');
  const demoEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };
  const envs = { live: liveEnv(sandbox), demo: demoEnv };
  const starts: Record<'bare' | 'live' | 'demo', number[]> = { bare: [], live: [], demo: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: demoEnv })
        .once('exit', () => resolve())
        .once('error', reject),
    );
    starts.bare.push(performance.now() - t);
    for (const mode of ['live', 'demo'] as const) {
      const started = performance.now();
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: ['dist/cli.js'], env: envs[mode] }),
      );
      starts[mode].push(performance.now() - started);
      await client.close();
    }
  }

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/cli.js'],
    env: liveEnv(sandbox),
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const pid = transport.pid as number;
  await client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 } });
  await new Promise((r) => setTimeout(r, 500));
  const memory: Array<{ calls: number; rssMb: number; peakMb: number; msPerCall?: number }> = [
    { calls: 0, ...(await memoryOf(pid)) },
  ];
  let k = 0;
  for (let step = 1; step <= STEPS; step++) {
    const times = await timeCalls(CALLS_PER_STEP, () =>
      client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 + (k++ % 7) } }),
    );
    memory.push({ calls: step * CALLS_PER_STEP, ...(await memoryOf(pid)), msPerCall: median(times) });
  }
  await client.close();

  const ms = (xs: number[]) => median(xs).toFixed(0);
  results.coldStart = {
    liveMs: median(starts.live),
    demoMs: median(starts.demo),
    bareNodeMs: median(starts.bare),
    runs: ROUNDS,
    samples: starts,
  };
  results.memory = { default: memory };
  report(
    `cold start to initialize answer, live / demo (bare \`node -e 0\` in the same rounds), medians of ${ROUNDS}`,
    `${ms(starts.live)} ms / ${ms(starts.demo)} ms`,
    '< 350 ms / < 600 ms',
    `a bare \`node -e 0\` ${ms(starts.bare)} ms`,
  );
  report(
    'resident memory, default: idle / 10,000 / 20,000 / 30,000 calls (peak)',
    `${memory.map((m) => m.rssMb.toFixed(1)).join(' / ')} MB (peak ${memory.at(-1)?.peakMb.toFixed(1)} MB)`,
    '< 100 MB, flat',
  );
}
