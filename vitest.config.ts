import { defineConfig } from 'vitest/config';

// The simulator patches globals (timers, Math.random, fetch) for the length of a run and restores
// them afterwards; running test files in separate forked processes keeps one file's runs from ever
// observing another's. Nothing in the suite depends on wall-clock timing, so the generous timeout
// only exists to turn an unexpected hang into a failure instead of a stuck CI job.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The consumer app's tests run inside that app, against the packed tarball (test/consumer/smoke.test.ts).
    exclude: ['test/consumer/app/**', '**/node_modules/**'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
