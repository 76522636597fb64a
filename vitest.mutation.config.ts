import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// Mutation runs load the mutated sources through Vitest; suites that only drive the built dist/ (the
// official conformance suite, the stdio child process) cannot see a mutant, so they are left out here.
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['test/conformance/**', '**/node_modules/**'] },
  }),
);
