import { defineConfig } from 'vitest/config';
import { sharedTestSettings } from './vitest.config.ts';

// `npm run test:hardening`: hostile clients against every variant (floods, churn, slow and
// non-reading clients, SIGTERM under load). Slow, so kept out of `npm test`.
export default defineConfig({
  test: {
    ...sharedTestSettings,
    include: ['test/hardening/**/*.test.ts'],
  },
});
