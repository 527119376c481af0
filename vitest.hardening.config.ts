import { defineConfig } from 'vitest/config';
import { sharedTestSettings } from './vitest.config.ts';

// `npm run test:hardening`: hostile clients against every variant (floods, churn, slow and
// non-reading clients, SIGTERM under load). Slow, so kept out of `npm test`.
export default defineConfig({
  test: {
    ...sharedTestSettings,
    include: ['test/hardening/**/*.test.ts'],
    // One file at a time: each attacks a server with both cores' worth of clients and times a
    // newcomer, which another attack running beside it would slow.
    maxWorkers: 1,
  },
});
