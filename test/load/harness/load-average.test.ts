import { describe, expect, it } from 'vitest';
import { describeLoadAverage } from '../../../load/harness/load-average.ts';

describe('describeLoadAverage', () => {
  it('gives the load at start and end on the CPUs', () => {
    expect(describeLoadAverage({ start: 0.42, end: 1.96, cpus: 2 })).toBe('load average 0.4 at start, 2.0 at end, on 2 CPUs');
  });

  it('warns when the load passed the CPU count at either end', () => {
    const busy = ': other work was sharing these cores, so timings are noisier than on an idle machine';
    expect(describeLoadAverage({ start: 2.5, end: 0.1, cpus: 2 })).toBe(`load average 2.5 at start, 0.1 at end, on 2 CPUs${busy}`);
    expect(describeLoadAverage({ start: 0.1, end: 4.2, cpus: 4 })).toBe(`load average 0.1 at start, 4.2 at end, on 4 CPUs${busy}`);
  });
});
