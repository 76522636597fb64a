#!/usr/bin/env node
// Reads Stryker's JSON report and fails when any mutated module kills fewer than FLOOR percent of its
// mutants. The score counts every mutant, covered or not: a line no test runs is a bug no test catches.
// Prints the table the README's "Mutation testing" section shows.
import { readFileSync } from 'node:fs';

const FLOOR = Number(process.env.MUTATION_FLOOR ?? 80);
const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));

const rows = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const count = (...states) => mutants.filter((m) => states.includes(m.status)).length;
  const killed = count('Killed', 'Timeout');
  const missed = count('Survived', 'NoCoverage');
  const valid = killed + missed;
  rows.push({ file, killed, missed, score: valid ? (100 * killed) / valid : 100 });
}
rows.sort((a, b) => a.file.localeCompare(b.file));

const all = rows.reduce((s, r) => ({ killed: s.killed + r.killed, missed: s.missed + r.missed }), {
  killed: 0,
  missed: 0,
});
console.log(`\n| Module | Mutants | Killed | Score |\n| --- | ---: | ---: | ---: |`);
for (const r of rows)
  console.log(`| \`${r.file}\` | ${r.killed + r.missed} | ${r.killed} | ${r.score.toFixed(1)} % |`);
const total = (100 * all.killed) / Math.max(1, all.killed + all.missed);
console.log(`| all | ${all.killed + all.missed} | ${all.killed} | ${total.toFixed(1)} % |\n`);

const below = rows.filter((r) => r.score < FLOOR);
if (below.length) {
  console.error(
    `mutation floor ${FLOOR} % not met by: ${below.map((r) => `${r.file} (${r.score.toFixed(1)} %)`).join(', ')}`,
  );
  process.exit(1);
}
console.log(`every module kills at least ${FLOOR} % of its mutants`);
