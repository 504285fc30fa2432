import { defineConfig } from 'vitest/config';

// Tests run under Node 24 (scripts/node24.mjs), the runner's Node. Files run in separate
// processes (forks), two at a time on the 2-core CI machine; each file owns its ports and folders.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 10_000,
    // GitHub's workflow parser imports JSON without `with { type: 'json' }`: let vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
    // `npm test` (scripts/test.mjs) runs the whole suite with --coverage. Only code running in the
    // test processes counts: the in-process main() tests (test/harness/io.ts) and unit tests, not the
    // committed bundles the runner-contract tests start as child processes.
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'actions/*/src/**/*.ts', 'service/src/**/*.ts'],
      // Process entry points, run only as processes of their own, which v8 coverage here cannot see:
      // each action's one-line `runAction('<name>', main)` (every bundle test), the service's
      // server.ts and instrument.ts (test/service/server.test.ts and bundle.test.ts).
      exclude: ['actions/*/src/index.ts', 'service/src/server.ts', 'service/src/instrument.ts'],
      reporter: [['text', { skipFull: true }], 'text-summary'],
      // Print the summary even when a test failed: it shows what the rest of the run covered.
      reportOnFailure: true,
      thresholds: {
        'lib/**': { lines: 90 },
        'actions/*/src/**': { lines: 90 },
        'service/src/**': { lines: 85 },
      },
    },
  },
});
