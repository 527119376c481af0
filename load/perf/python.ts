// "Against the blog's world": hexd's event-loop, Python asyncio and uvloop (both framed by line, so
// pipelined requests are answered right) loaded in the same alternation at 100 connections.

import { findPython } from '../harness/peers.ts';
import { comparePoint, describeFigure, ratioTarget, type Point, type PointFigures } from './compare.ts';
import { reqPerSec } from './runs.ts';
import { median } from '../harness/stats.ts';
import { formatRatio } from './verdict.ts';
import { notAvailable, type TargetResult } from './report.ts';
import type { PerfContext } from './runs.ts';
import { findUvloop, hexdServer, pythonServer, type PerfServer } from './servers.ts';

const BENCHMARK = 'load/perf/python.ts';
const ASYNCIO_RATIO = 2.5;
/** "At least level": the median is not below uvloop's. */
const UVLOOP_RATIO = 1;

function pythonPoints(quick: boolean): Point[] {
  return (quick ? [16] : [1, 16]).map((pipeline) => ({ connections: 100, pipeline }));
}

export interface PythonData {
  /** `Python 3.11.7` (PATH) for asyncio; `Python 3.11.2, uvloop 0.17.0` (Debian's) for uvloop. */
  asyncioPython: string | null;
  uvloopPython: string | null;
  points: PointFigures[];
}

export async function benchPython(context: PerfContext): Promise<{ targets: TargetResult[]; data: PythonData }> {
  const asyncioPython = findPython();
  const uvloop = findUvloop();
  const servers: PerfServer[] = [hexdServer('event-loop')];
  if (asyncioPython !== null) servers.push(pythonServer('asyncio-lines', 'python3'));
  if (uvloop.found) servers.push(pythonServer('uvloop-lines', uvloop.python));

  const targets: TargetResult[] = [];
  const points: PointFigures[] = [];
  for (const point of pythonPoints(context.plan.quick)) {
    const asyncioTarget = `event-loop at least ${ASYNCIO_RATIO}× the Python asyncio server (line-framed, ${asyncioPython ?? 'python3'}) at ${point.connections} connections, pipeline ${point.pipeline}`;
    const uvloopTarget = `event-loop at least level with uvloop (line-framed, ${uvloop.found ? uvloop.version : 'python3-uvloop'}) at ${point.connections} connections, pipeline ${point.pipeline}`;
    const figures = servers.length > 1 ? await comparePoint(servers, point, context) : null;
    if (figures !== null) points.push(figures);
    targets.push(figures === null || asyncioPython === null
      ? notAvailable(BENCHMARK, asyncioTarget, 'no python3 on PATH')
      : ratioTarget({ benchmark: BENCHMARK, target: asyncioTarget, subject: 'event-loop', baseline: 'python-asyncio-lines', threshold: ASYNCIO_RATIO }, figures));
    if (figures !== null && asyncioPython !== null) targets.push(freshAsyncio(point, figures));
    targets.push(figures === null || !uvloop.found
      ? notAvailable(BENCHMARK, uvloopTarget, uvloop.found ? 'no python3' : uvloop.why)
      : ratioTarget({ benchmark: BENCHMARK, target: uvloopTarget, subject: 'event-loop', baseline: 'python-uvloop-lines', threshold: UVLOOP_RATIO }, figures));
  }
  return {
    targets,
    data: { asyncioPython, uvloopPython: uvloop.found ? uvloop.version : null, points },
  };
}

/**
 * Shown beside the asyncio verdict, not judged: the same ratio against asyncio's first run on its
 * fresh process, which is what measuring a just-started Python server gives (as the seeds' figures
 * did). Until one of its clients has left, CPython's allocator returns each 256 KiB read buffer to the
 * system and maps a new one (an mmap, mremap and munmap call per read); afterwards it keeps them.
 */
export function freshAsyncio(point: Point, figures: PointFigures): TargetResult {
  const eventLoop = median((figures.figures['event-loop'] ?? []).map((f) => f.requestsPerSec));
  const fresh = figures.fresh['python-asyncio-lines'];
  const warm = median((figures.figures['python-asyncio-lines'] ?? []).map((f) => f.requestsPerSec));
  const ratio = fresh === undefined ? Number.NaN : eventLoop / fresh.requestsPerSec;
  return {
    benchmark: BENCHMARK,
    target: `for comparison: event-loop against Python asyncio's first run on a fresh process, at ${point.connections} connections, pipeline ${point.pipeline}`,
    figure: fresh === undefined
      ? 'n/a'
      : `${formatRatio(ratio)}: event-loop ${reqPerSec(eventLoop)} req/s (median), python-asyncio-lines ${reqPerSec(fresh.requestsPerSec)} req/s fresh, ${reqPerSec(warm)} once warm`,
    runs: fresh === undefined ? [] : [`python-asyncio-lines fresh run: ${describeFigure(fresh)}`],
    verdict: 'info',
    value: Number.isFinite(ratio) ? Math.round(ratio * 1000) / 1000 : null,
    threshold: null,
    unit: 'ratio of req/s',
  };
}
