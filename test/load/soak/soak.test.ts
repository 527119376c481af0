// The soak command's parts: its options and the slope it reports.

import { expect, it } from 'vitest';
import { slope } from '../../../load/soak/main.ts';
import { parseSoakCommand } from '../../../load/soak/options.ts';

it('fits a least-squares slope', () => {
  expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
  expect(slope([0, 1, 2], [5, 5, 5])).toBe(0);
  expect(slope([1], [3])).toBe(0);
});

it('parses and bounds its options', () => {
  expect(parseSoakCommand(['--minutes', '10'])).toEqual({
    kind: 'run',
    options: { minutes: 10, variant: 'event-loop', connections: 10, pipeline: 1, windowSec: 10 },
  });
  const blocking = parseSoakCommand(['--minutes', '1', '--variant', 'blocking']);
  expect(blocking.kind === 'run' && blocking.options.connections).toBe(1);
  expect(() => parseSoakCommand([])).toThrow(/--minutes is required/);
  expect(() => parseSoakCommand(['--minutes', '121'])).toThrow(/--minutes must be a number from 0.05 to 120/);
  expect(() => parseSoakCommand(['--minutes', '1', '--variant', 'fibers'])).toThrow(/unknown variant/);
});
