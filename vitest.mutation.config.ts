import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// Mutation runs load the mutated sources through Vitest; suites that only drive the built dist/ (the
// official conformance suite, the stdio child process, the packaging checks) cannot see a mutant, so
// they are left out here.
// The write-protocol trials (hundreds of lost answers and crashes per store) pass through every tool
// call, so each mutant of the call path would rerun minutes of them: they are left out here and run in
// `npm test`. The store contract, modes, elicitation and calendar-change tests stay in. So do the REST
// and OpenAPI tests; the browser page, the SIGTERM drain and the command line drive a browser or the
// built dist/ (a mutant is not there) and take seconds each, so they are left out too.
// The shared budget's tests (test/stores) drive the gate for seconds of real time against Redis; the
// gate's own tests (test/client) cover what a mutant of it could break, on a fake clock.
// The account-change tests wait on webhook deliveries and polls in real time (the stdio one spawns the
// built dist/, and the CLI webhook commands do too); the recorder and the store are covered by the
// store contract and the domain tests, which stay in.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/conformance/**',
        'test/packaging/**',
        '**/node_modules/**',
        'test/writes/crash.test.ts',
        'test/writes/send-message.test.ts',
        'test/writes/tasks-*.test.ts',
        'test/writes/undo-change.test.ts',
        'test/writes/calendar-write.test.ts',
        'test/server/docs-browser.test.ts',
        'test/server/lifecycle.test.ts',
        'test/server/cli-tools.test.ts',
        'test/server/cli-webhooks.test.ts',
        'test/server/poller.test.ts',
        'test/server/stdio-changes.test.ts',
        'test/server/webhooks.test.ts',
        'test/stores/**',
        'test/scale/**',
        // Headless Chromium and spawned servers: slow, and they add no mutant kills the others miss.
        'test/apps/**',
      ],
    },
  }),
);
