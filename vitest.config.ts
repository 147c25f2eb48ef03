import { defineConfig } from 'vitest/config';

/**
 * Files that get a fresh worker of their own: the 1,000-post Slack flood ran past its timeout in a worker that had
 * already run a hundred files (a larger heap to collect), and takes ~6 s in its own.
 */
const OWN_WORKER = ['test/integration/slack-flood.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // CI has 2 cores; more workers only add contention for the loopback servers the tests start.
    maxWorkers: 2,
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache, keyed by each file's content and the
    // config), so a run after a change transforms only what changed: ~4 s less transform and ~6 s less import per
    // worker on test/unit alone (docs/benchmarks.md). A fresh clone or `npm ci` starts it empty.
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          // Each project names its files (with `extends: true` a root `include` would be added to both).
          include: ['test/**/*.test.ts'],
          exclude: OWN_WORKER,
          // A worker keeps the modules it loaded from one file to the next, so the chat SDKs load once per worker,
          // not once per file (most of the suite's import time); tests share no module state (no vi.mock, env or
          // global writes).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-worker', include: OWN_WORKER, isolate: true } },
    ],
  },
});
