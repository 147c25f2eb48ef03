import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // A worker keeps the modules it loaded from one file to the next, so the chat SDKs load once per worker, not once
    // per file (most of the suite's import time); tests share no module state (no vi.mock, env or global writes).
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CI has 2 cores; more workers only add contention for the loopback servers the tests start.
    maxWorkers: 2,
  },
});
