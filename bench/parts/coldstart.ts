/**
 * 5. Cold start to the answer to `initialize` (beside a bare `node -e 0`), and resident memory at idle
 * and after 10,000 and 20,000 calls.
 */
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Sandbox } from '../../src/sandbox/index.js';
import { report, results } from '../lib/report.js';
import { liveEnv, rssMb } from '../lib/servers.js';
import { median, timeCalls } from '../lib/stats.js';

export async function coldStartAndMemory(sandbox: Sandbox): Promise<void> {
  process.stderr.write('5. cold start and memory\n');
  // What any Node process costs to start on this machine, to read the figures below against.
  const bare: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
        .once('exit', () => resolve())
        .once('error', reject),
    );
    bare.push(performance.now() - t);
  }
  const startTimes: Record<'live' | 'demo', number[]> = { live: [], demo: [] };
  for (const mode of ['live', 'demo'] as const) {
    for (let k = 0; k < 7; k++) {
      const env =
        mode === 'live'
          ? liveEnv(sandbox)
          : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };
      const t = performance.now();
      const client = new Client({ name: 'bench', version: '1' });
      await client.connect(
        new StdioClientTransport({ command: process.execPath, args: ['dist/cli.js'], env }),
      );
      startTimes[mode].push(performance.now() - t);
      await client.close();
    }
  }
  // Memory by default, and with the old space capped: if the capped run holds steady, growth in the
  // default run is the heap sizing itself to the load, not memory kept.
  const memory: Record<string, { idleMb: number; after10kMb: number; after20kMb: number }> = {};
  for (const [label, flags] of [
    ['default', []],
    ['--max-old-space-size=48', ['--max-old-space-size=48']],
  ] as const) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...flags, 'dist/cli.js'],
      env: liveEnv(sandbox),
    });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    const pid = transport.pid as number;
    await client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 } });
    await new Promise((r) => setTimeout(r, 500));
    const idleMb = await rssMb(pid);
    let k = 0;
    const calls = (n: number) =>
      timeCalls(n, () =>
        client.callTool({ name: 'hostaway_get_listing', arguments: { listingId: 40160 + (k++ % 7) } }),
      );
    await calls(10_000);
    const after10kMb = await rssMb(pid);
    await calls(10_000);
    const after20kMb = await rssMb(pid);
    await client.close();
    memory[label] = { idleMb, after10kMb, after20kMb };
  }
  results.coldStart = {
    liveMs: median(startTimes.live),
    demoMs: median(startTimes.demo),
    bareNodeMs: median(bare),
    runs: 7,
  };
  results.memory = memory;
  const idle = memory.default?.idleMb ?? 0;
  const after10k = memory.default?.after10kMb ?? 0;
  const after20k = memory.default?.after20kMb ?? 0;
  const capped = memory['--max-old-space-size=48'];
  report(
    'resident memory, capped heap: idle / 10,000 / 20,000 calls',
    `${capped?.idleMb.toFixed(1)} / ${capped?.after10kMb.toFixed(1)} / ${capped?.after20kMb.toFixed(1)} MB`,
    'no growth',
  );
  report(
    'cold start to initialize answer (live / demo with sandbox)',
    `${median(startTimes.live).toFixed(0)} ms / ${median(startTimes.demo).toFixed(0)} ms`,
    '< 400 ms',
    `a bare \`node -e 0\` ${median(bare).toFixed(0)} ms`,
  );
  report(
    'resident memory, default: idle / 10,000 / 20,000 calls',
    `${idle.toFixed(1)} / ${after10k.toFixed(1)} / ${after20k.toFixed(1)} MB`,
    '< 100 MB',
  );
}
