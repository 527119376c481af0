// The machine's load average around a run, and how reports say it: other work on the same cores
// makes timings noisier, and a reader of the figures should know.

/** The 1-minute load average when a run started and when it ended, and the CPUs it was spread over. */
export interface LoadAverage {
  start: number;
  end: number;
  cpus: number;
}

/** `load average 0.4 at start, 1.2 at end, on 2 CPUs`, with a warning when it passed the CPU count. */
export function describeLoadAverage(load: LoadAverage): string {
  const busy = Math.max(load.start, load.end) > load.cpus;
  return `load average ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end, on ${load.cpus} CPUs` +
    (busy ? ': other work was sharing these cores, so timings are noisier than on an idle machine' : '');
}
