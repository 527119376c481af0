import { describe, expect, it } from 'vitest';
import { pointProblems } from '../../../load/harness/point-problems.ts';

const clean = { ok: 100, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 };

describe('pointProblems', () => {
  it('is `-` for a clean run', () => {
    expect(pointProblems({ replies: clean, serverExited: false })).toBe('-');
  });

  it('names every kind of failure, with counts, and a server that died', () => {
    const replies = { ...clean, wrong: 1234, errors: 2, timeouts: 3, dropped: 4, connectFailed: 5 };
    expect(pointProblems({ replies, serverExited: true }))
      .toBe('1,234 wrong, 2 errors, 3 timeouts, 4 dropped, 5 connect failed, server died');
    expect(pointProblems({ replies: clean, serverExited: true })).toBe('server died');
  });
});
