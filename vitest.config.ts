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
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts', 'actions/*/src/**/*.ts', 'service/src/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
