// "Against the blog's world": hexd's event-loop, Python asyncio and uvloop (both framed by line, so
// pipelined requests are answered right) loaded in the same alternation at 100 connections.

import { findPython } from './peers.ts';
import { comparePoint, ratioTarget, type Point, type PointFigures } from './perf-compare.ts';
import { notAvailable, type TargetResult } from './perf-report.ts';
import type { PerfContext } from './perf-runs.ts';
import { findUvloop, hexdServer, pythonServer, type PerfServer } from './perf-servers.ts';

const BENCHMARK = 'load/perf-python.ts';
export const ASYNCIO_RATIO = 2.5;
/** "At least level": the median is not below uvloop's. */
export const UVLOOP_RATIO = 1;

export function pythonPoints(quick: boolean): Point[] {
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
    targets.push(figures === null || !uvloop.found
      ? notAvailable(BENCHMARK, uvloopTarget, uvloop.found ? 'no python3' : uvloop.why)
      : ratioTarget({ benchmark: BENCHMARK, target: uvloopTarget, subject: 'event-loop', baseline: 'python-uvloop-lines', threshold: UVLOOP_RATIO }, figures));
  }
  return {
    targets,
    data: { asyncioPython, uvloopPython: uvloop.found ? uvloop.version : null, points },
  };
}
