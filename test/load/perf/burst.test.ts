// The burst perf opens against event-loop: every client timed from its connect() to its first right
// reply, and the verdict on those times.

import { expect, it } from 'vitest';
import { burst, quantile } from '../../../load/perf/burst.ts';
import { burstTarget, type BurstSummary } from '../../../load/perf/connections.ts';
import { startServer } from '../../helpers/servers.ts';

it('opens every connection at once and times each one\'s first right reply', async () => {
  const { port } = await startServer('event-loop');
  const figure = await burst({ host: '127.0.0.1', port, clients: 300, windowMs: 1_000 }, 2);
  expect(figure).toMatchObject({ clients: 300, served: 300, wrong: 0 });
  expect(figure.replies).toBeGreaterThanOrEqual(300); // each asks again until the window ends
  expect(figure.firstReplyMs).toEqual([...figure.firstReplyMs].sort((a, b) => a - b));
  expect(figure.firstReplyMs.at(-1)).toBeLessThan(1_000);
});

it('quantile picks from sorted values', () => {
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
  expect(quantile([], 0.5)).toBeNaN();
});

it('passes only when all 10,000 are answered, none wrong, the slowest within 1 s, at uvloop\'s replies/s or more', () => {
  const run = (served: number, maxMs: number, wrong = 0, repliesPerSec = 30_000): BurstSummary =>
    ({ clients: 10_000, served, wrong, repliesPerSec, p50Ms: 1, p99Ms: 1, maxMs, connectP50Ms: 1, connectMaxMs: 1 });
  expect(burstTarget({ 'event-loop': [run(10_000, 900)], 'python-uvloop-lines': [run(10_000, 400, 0, 30_000)] }).verdict).toBe('PASS');
  expect(burstTarget({ 'event-loop': [run(9_999, 900)] }).verdict).toBe('FAIL');
  expect(burstTarget({ 'event-loop': [run(10_000, 1_100)] }).verdict).toBe('FAIL');
  expect(burstTarget({ 'event-loop': [run(10_000, 900, 1)] }).verdict).toBe('FAIL');
  expect(burstTarget({ 'event-loop': [run(10_000, 900)], 'python-uvloop-lines': [run(10_000, 400, 0, 31_000)] }).verdict).toBe('FAIL');
  expect(burstTarget({ 'event-loop': [run(10_000, 900)], 'python-uvloop-lines': [run(10_000, 400)] }).figure).toContain('python-uvloop-lines: 10,000 answered, slowest 400 ms, 30,000 replies/s');
});
