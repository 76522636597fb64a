// Mutation testing (npm run mutation): Stryker plants small bugs in the modules where a silent bug costs
// most, runs the tests that cover each one, and reports which bugs no test noticed. The floor per module
// is checked afterwards by scripts/mutation-floor.mjs, from the JSON report.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/client/rate-budget.ts',
    'src/client/token.ts',
    'src/client/errors.ts',
    'src/logging.ts',
    'src/server/run-tool.ts',
    'src/domain/*.ts',
    'src/tools/reservations.ts',
    'src/tools/messaging.ts',
    'src/tools/listings.ts',
    'src/tools/calendar.ts',
    'src/tools/finance.ts',
    'src/tools/listing-index.ts',
  ],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriting, and ours needs none (no
  // extends or references): point it at no file.
  tsconfigFile: 'tsconfig.none.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
