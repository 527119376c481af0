import { defineConfig } from 'vitest/config';
import { sharedTestSettings } from './vitest.config.ts';

// `npm run test:slow`: the guided walk run step by step, and the bench and scenario reports in a real browser.
export default defineConfig({
  test: {
    ...sharedTestSettings,
    include: ['test/walk.test.ts', 'test/**/*.browser.test.ts'],
    // The walk counts threads and clients served; a browser starting beside it is noise it need not face.
    fileParallelism: false,
  },
});
