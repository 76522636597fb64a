/**
 * What a run collects: `results` (written to bench/results/latest.json) and the table rows printed at
 * the end. Every part adds to both; they are shared by all the parts of one run.
 */
import { mkdir, writeFile } from 'node:fs/promises';

export const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const rows: Array<[string, string, string]> = [];

/** Adds a row to the table, and prints it at once on stderr as progress. */
export const report = (name: string, value: string, goal: string) => {
  rows.push([name, value, goal]);
  process.stderr.write(`  ${name}: ${value}\n`);
};

/** Prints the table of every row reported and writes `results` to bench/results/latest.json. */
export async function printAndWrite(): Promise<void> {
  const width = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${'measure'.padEnd(width)}  ${'median (one run)'.padEnd(valueWidth)}  goal`);
  for (const [name, value, goal] of rows)
    console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${goal}`);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwritten: bench/results/latest.json');
}
