// Throughput targets of perf: hexd's event-loop against the plainest Node server (the ceiling) at
// 10, 100 and 1000 connections, pipeline 1 and 16; whether the tester is what limits the figures; and
// blocking against event-loop with one client.

import { comparePoint, ratioTarget, type Point, type PointFigures } from './compare.ts';
import type { TargetResult } from './report.ts';
import { type PerfContext, reqPerSec } from './runs.ts';
import { hexdServer, referenceServer } from './servers.ts';
import { median } from '../harness/stats.ts';
import { atLeast, listRuns } from './verdict.ts';

const BENCHMARK = 'load/perf/throughput.ts';
const CEILING_RATIO = 0.95;
const SERVER_BUSY_PERCENT = 90;
/** Where the tester must show it is not the limit: the reference server must be this busy. */
const TESTER_CHECK_POINT: Point = { connections: 100, pipeline: 16 };

function referencePoints(quick: boolean): Point[] {
  const connections = quick ? [100] : [10, 100, 1000];
  return connections.flatMap((c) => [1, 16].map((pipeline) => ({ connections: c, pipeline })));
}

export interface ThroughputData {
  reference: PointFigures[];
  blocking: PointFigures;
}

export async function benchThroughput(context: PerfContext): Promise<{ targets: TargetResult[]; data: ThroughputData }> {
  const targets: TargetResult[] = [];
  const reference: PointFigures[] = [];
  for (const point of referencePoints(context.plan.quick)) {
    const figures = await comparePoint([hexdServer('event-loop'), referenceServer()], point, context);
    reference.push(figures);
    targets.push(ratioTarget({
      benchmark: BENCHMARK,
      target: `event-loop, with its default options, at ${CEILING_RATIO}× of the plainest Node server (load/perf/reference-server.ts) or better: ${point.connections} connections, pipeline ${point.pipeline}`,
      subject: 'event-loop',
      baseline: 'reference',
      threshold: CEILING_RATIO,
    }, figures));
  }
  const check = reference.find((p) => p.connections === TESTER_CHECK_POINT.connections && p.pipeline === TESTER_CHECK_POINT.pipeline);
  if (check !== undefined) targets.push(testerNotTheLimit(check));

  const blocking = await comparePoint([hexdServer('blocking'), hexdServer('event-loop')], { connections: 1, pipeline: 1 }, context);
  targets.push(ratioTarget({
    benchmark: BENCHMARK,
    target: `blocking: with one client, at least ${CEILING_RATIO}× event-loop's throughput (pipeline 1)`,
    subject: 'blocking',
    baseline: 'event-loop',
    threshold: CEILING_RATIO,
  }, blocking));
  return { targets, data: { reference, blocking } };
}

/** The tester is not the limit when the fastest server it loads is itself at least 90% busy. */
export function testerNotTheLimit(point: PointFigures): TargetResult {
  const runs = point.figures.reference ?? [];
  const server = runs.map((f) => f.serverCpuPercent ?? Number.NaN);
  const tester = runs.map((f) => f.testerCpuPercent);
  const busy = median(server);
  const percent = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(0)}%` : 'n/a');
  const verdict = atLeast(busy, SERVER_BUSY_PERCENT);
  return {
    benchmark: BENCHMARK,
    target: `The load tester is never what limits these figures: at ${point.connections} connections, pipeline ${point.pipeline}, against the reference server the server is at ${SERVER_BUSY_PERCENT}% of a core or more`,
    figure: `reference server at ${percent(busy)} of a core, tester at ${percent(median(tester))}, ${reqPerSec(median(runs.map((f) => f.requestsPerSec)))} req/s (every throughput row shows both CPUs)`,
    runs: [`server CPU: ${listRuns(server, percent)}`, `tester CPU: ${listRuns(tester, percent)}`],
    verdict,
    ...(verdict === 'FAIL' ? { note: Number.isFinite(busy) ? 'the server had CPU to spare: the tester (or a busy machine) limited it' : 'no /proc: server CPU unknown' } : {}),
    value: Number.isFinite(busy) ? busy : null,
    threshold: SERVER_BUSY_PERCENT,
    unit: '% of one core',
  };
}
