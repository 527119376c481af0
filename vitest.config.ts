import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that read a server's memory or thread count run its process alone; the rest may share cores.
    maxWorkers: 2,
  },
});
