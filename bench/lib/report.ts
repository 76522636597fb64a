/**
 * What a run collects: `results` (written to bench/results/latest.json) and the table rows printed at
 * the end. Every part adds to both; they are shared by all the parts of one run. A row's floor is the
 * least the same thing can cost, measured in the same run (a bare request to the same server, the
 * upstream request made directly, the least time the rate limits allow), to read the figure against.
 */
import { mkdir, writeFile } from 'node:fs/promises';

export const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const rows: Array<[string, string, string, string]> = [];

/** Adds a row to the table, and prints it at once on stderr as progress. */
export const report = (name: string, value: string, goal: string, floor = '') => {
  rows.push([name, value, floor, goal]);
  process.stderr.write(`  ${name}: ${value}${floor ? ` | floor: ${floor}` : ''}\n`);
};

/** Prints the table of every row reported and writes `results` to bench/results/latest.json. */
export async function printAndWrite(): Promise<void> {
  const head = ['measure', 'median (one run)', 'floor (same run)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    console.log(
      cells
        .map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c))
        .join('  ')
        .trimEnd(),
    );
  console.log('');
  line([...head, 'goal']);
  for (const row of rows) line(row);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwritten: bench/results/latest.json');
}
