// The pinned runtime must be the one running: a skipped install script must not pass quietly.

import { expect, it } from 'vitest';

it('runs on Node 26.10 or later, the version package.json pins', () => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  expect(major > 26 || (major === 26 && minor >= 10), `running ${process.version}`).toBe(true);
});
