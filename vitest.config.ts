import { defineConfig } from 'vitest/config';

/** What every suite shares: real processes, so forks; two at a time on the two cores. */
export const sharedTestSettings = {
  pool: 'forks',
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // Tests that read a server's memory or thread count run its process alone; the rest may share cores.
  maxWorkers: 2,
} as const;

// `npm test`: everything but the slow suites: hostile clients (`npm run test:hardening`), the guided walk
// and the browser (`npm run test:slow`).
export default defineConfig({
  test: {
    ...sharedTestSettings,
    include: ['test/**/*.test.ts'],
    exclude: ['test/hardening/**', 'test/walk.test.ts', 'test/**/*.browser.test.ts', '**/node_modules/**'],
  },
});
