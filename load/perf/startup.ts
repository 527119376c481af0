// Startup target of perf: every variant, with its default options, prints its ready line within 1 s
// of being started (spawned on the server's core, timed until the line arrives here).

import { VARIANTS, type Variant } from '../../servers/shared/options.ts';
import type { TargetResult } from './report.ts';
import type { PerfContext } from './runs.ts';
import { hexdServer, startPinned } from './servers.ts';
import { median } from '../harness/stats.ts';
import { atMost, listRuns } from './verdict.ts';

const BENCHMARK = 'load/perf/startup.ts';
const READY_WITHIN_MS = 1000;

export async function benchStartup(context: PerfContext): Promise<{ targets: TargetResult[]; data: Record<Variant, number[]> }> {
  const readyMs = Object.fromEntries(VARIANTS.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  context.log('startup: time from spawn to ready line');
  for (let run = 0; run < context.plan.runs; run++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const variant = VARIANTS[(run + k) % VARIANTS.length]!;
      const t0 = performance.now();
      const server = await startPinned(hexdServer(variant), context.pinning);
      const ms = performance.now() - t0;
      await server.stop();
      readyMs[variant].push(Math.round(ms));
      context.log(`  run ${run + 1}/${context.plan.runs} ${variant}: ready after ${Math.round(ms)} ms`);
    }
  }
  const targets = VARIANTS.map((variant): TargetResult => {
    const figure = median(readyMs[variant]);
    return {
      benchmark: BENCHMARK,
      target: `Startup: ${variant} prints its ready line within ${READY_WITHIN_MS / 1000} s of being started`,
      figure: `${figure.toFixed(0)} ms from spawn to ready line`,
      runs: [`ms: ${listRuns(readyMs[variant], String)}`],
      verdict: atMost(figure, READY_WITHIN_MS),
      value: figure,
      threshold: READY_WITHIN_MS,
      unit: 'ms',
    };
  });
  return { targets, data: readyMs };
}
