import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Servers bind real ports and some suites start external processes: keep workers modest on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
