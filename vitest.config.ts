import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CI has 2 cores; more workers only add contention for the loopback servers the tests start.
    maxWorkers: 2,
  },
});
