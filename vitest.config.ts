import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most test files wait on child processes, sockets and timers rather than the CPU: two files
    // at a time even on a 2-core machine (vitest's default there is one) takes the suite from
    // ~290 s to ~180 s. At most four, so Postgres connections and child processes stay bounded.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
  },
});
