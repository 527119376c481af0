// Docs cannot drift: every generated block and results page is regenerated from the code and the
// committed report JSON, and must equal what is committed. `npm run docs` fixes a difference.

import { expect, it } from 'vitest';
import { ROOT, describePlan, planDocs } from '../tools/docs.ts';

it('every generated block and results page in README.md and docs/ is what the code renders', async () => {
  const planned = await planDocs(ROOT);
  expect(planned.map((p) => p.file)).toContain('README.md');
  expect(describePlan(planned), 'run npm run docs, then commit the pages it wrote').toEqual([]);
});
