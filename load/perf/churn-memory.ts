// Memory after a long churn, each model with its default flags: a warm-up of short clients (connect,
// one request, leave), then many more, and the server's memory once they are gone, against where the
// warm-up left it. Memory is the summed PSS of the server's process tree (a child's share of the
// code it shares with its parent counted once), read a few seconds after the last client left.

import { setTimeout as delay } from 'node:timers/promises';
import { processTree, procAvailable, pssKb } from '../../common/proc.ts';
import { VARIANTS, type Variant } from '../../servers/shared/options.ts';
import { IDLE_RELEASE_MS } from '../../servers/shared/idle-release.ts';
import { formatCount } from '../harness/report.ts';
import { churn, type ChurnFigure } from './churn.ts';
import { notAvailable, type TargetResult } from './report.ts';
import type { PerfContext } from './runs.ts';
import { hexdServer, startPinned } from './servers.ts';
import { allOf, atMost } from './verdict.ts';

const BENCHMARK = 'load/perf/churn-memory.ts';
const WARM_UP_CLIENTS = 1_000;
const CHURN_CLIENTS = 20_000;
const CONCURRENCY = 8;
/** A process per client serves a few dozen a second: each churn stops after this long. */
const CHURN_MAX_SEC = 60;
/** Past the idle release and threads' --linger-ms (1 s each), so idle memory is what is read. */
const SETTLE_MS = 3 * IDLE_RELEASE_MS;
const MAX_GROWTH = 0.2;

export interface ChurnMemoryFigure {
  variant: Variant;
  warmUp: ChurnFigure;
  churn: ChurnFigure;
  warmPssKb: number;
  afterPssKb: number;
  growth: number;
}

async function treePssKb(pid: number): Promise<number> {
  const tree = await processTree(pid);
  return tree.reduce((sum, stat) => sum + (pssKb(stat.pid) ?? 0), 0);
}

async function measure(variant: Variant, context: PerfContext): Promise<ChurnMemoryFigure> {
  const server = await startPinned(hexdServer(variant), context.pinning);
  try {
    const spec = { host: server.host, port: server.port, concurrency: CONCURRENCY, maxSeconds: CHURN_MAX_SEC };
    const warmUp = await churn({ ...spec, clients: WARM_UP_CLIENTS });
    await delay(SETTLE_MS); // the measurement's own wait: memory once the clients are gone
    const warmPssKb = await treePssKb(server.pid);
    const clients = context.plan.quick ? CHURN_CLIENTS / 5 : CHURN_CLIENTS;
    const long = await churn({ ...spec, clients });
    await delay(SETTLE_MS);
    const afterPssKb = await treePssKb(server.pid);
    const growth = afterPssKb / warmPssKb - 1;
    context.log(`  ${variant}: ${formatCount(warmPssKb / 1024)} MB after ${formatCount(warmUp.served)} clients, ${formatCount(afterPssKb / 1024)} MB after ${formatCount(long.served)} more (${formatGrowth(growth)})`);
    return { variant, warmUp, churn: long, warmPssKb, afterPssKb, growth };
  } finally {
    await server.stop(10_000);
  }
}

function formatGrowth(growth: number): string {
  return `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%`;
}

export async function benchChurnMemory(context: PerfContext): Promise<{ targets: TargetResult[]; data: ChurnMemoryFigure[] }> {
  const target = `every model with its default flags: memory after ${formatCount(CHURN_CLIENTS)} short clients (connect, one request, leave; ${CONCURRENCY} at a time) within ${MAX_GROWTH * 100}% of where a warm-up of ${formatCount(WARM_UP_CLIENTS)} left it, once they are gone (summed PSS of the process tree, ${SETTLE_MS / 1000} s after the last)`;
  if (!procAvailable()) return { targets: [notAvailable(BENCHMARK, target, 'needs /proc')], data: [] };
  context.log(`churn memory: ${formatCount(WARM_UP_CLIENTS)} clients, then ${formatCount(CHURN_CLIENTS)} (at most ${CHURN_MAX_SEC} s each), every model`);
  const figures: ChurnMemoryFigure[] = [];
  for (const variant of VARIANTS) figures.push(await measure(variant, context));
  const worst = figures.reduce((a, b) => (b.growth > a.growth ? b : a));
  const cut = figures.filter((f) => f.churn.served < (context.plan.quick ? CHURN_CLIENTS / 5 : CHURN_CLIENTS));
  return {
    targets: [{
      benchmark: BENCHMARK,
      target,
      figure: figures.map((f) => `${f.variant} ${formatGrowth(f.growth)}`).join(', ') + `; the most: ${worst.variant}`,
      runs: figures.map((f) =>
        `${f.variant}: ${formatCount(f.warmPssKb / 1024)} MB after ${formatCount(f.warmUp.served)} clients, ` +
        `${formatCount(f.afterPssKb / 1024)} MB after ${formatCount(f.churn.served)} more in ${f.churn.seconds.toFixed(0)} s` +
        (f.churn.failed + f.warmUp.failed > 0 ? `, ${f.churn.failed + f.warmUp.failed} failed` : '')),
      verdict: allOf(...figures.map((f) => atMost(f.growth, MAX_GROWTH))),
      note: cut.length === 0 ? undefined : `${cut.map((f) => f.variant).join(', ')}: churn cut at ${CHURN_MAX_SEC} s (a process per client serves a few dozen a second)`,
      value: worst.growth,
      threshold: MAX_GROWTH,
      unit: 'growth',
    }],
    data: figures,
  };
}
