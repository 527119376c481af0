// "Against the blog's world": hexd's event-loop, Python asyncio and uvloop (both framed by line, so
// pipelined requests are answered right) loaded in the same alternation at 100 connections, for each
// number size class up to 300 digits: level with uvloop at pipeline 1 and 16, twice asyncio at 16.

import { findPython } from '../harness/peers.ts';
import { SIZE_CLASSES, comparePointSurely, describeFigure, describePoint, ratioTarget, type Point, type PointFigures } from './compare.ts';
import { reqPerSec } from './runs.ts';
import { median } from '../harness/stats.ts';
import { formatRatio } from './verdict.ts';
import { notAvailable, type TargetResult } from './report.ts';
import type { PerfContext } from './runs.ts';
import { findUvloop, hexdServer, pythonServer, type PerfServer } from './servers.ts';

const BENCHMARK = 'load/perf/python.ts';
/** At pipeline 16 only: at pipeline 1 both servers are bound by two system calls per request. */
const ASYNCIO_RATIO = 2;
const ASYNCIO_PIPELINE = 16;
/** "At least level": the median is not below uvloop's. */
const UVLOOP_RATIO = 1;
const MAX_DIGITS_AGAINST_PYTHON = 300;

/** Each size class up to 300 digits at 100 connections, pipeline 1 and 16; --quick: the 64-bit range at 16. */
function pythonPoints(quick: boolean): Point[] {
  const classes = SIZE_CLASSES.filter((c) => (quick ? c.high === 20 : c.high <= MAX_DIGITS_AGAINST_PYTHON));
  return classes.flatMap((digits) => (quick ? [16] : [1, 16]).map((pipeline) => ({ connections: 100, pipeline, digits })));
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
  const asyncioBound = { subject: 'event-loop', baseline: 'python-asyncio-lines', threshold: ASYNCIO_RATIO };
  const uvloopBound = { subject: 'event-loop', baseline: 'python-uvloop-lines', threshold: UVLOOP_RATIO };
  for (const point of pythonPoints(context.plan.quick)) {
    const judgesAsyncio = point.pipeline === ASYNCIO_PIPELINE;
    const asyncioTarget = `event-loop at least ${ASYNCIO_RATIO}× the Python asyncio server (line-framed, ${asyncioPython ?? 'python3'}) at ${describePoint(point)}`;
    const uvloopTarget = `event-loop at least level with uvloop (line-framed, ${uvloop.found ? uvloop.version : 'python3-uvloop'}) at ${describePoint(point)}`;
    const bounds = [...(judgesAsyncio && asyncioPython !== null ? [asyncioBound] : []), ...(uvloop.found ? [uvloopBound] : [])];
    const figures = servers.length > 1 ? await comparePointSurely(servers, point, context, bounds) : null;
    if (figures !== null) points.push(figures);
    if (judgesAsyncio) {
      targets.push(figures === null || asyncioPython === null
        ? notAvailable(BENCHMARK, asyncioTarget, 'no python3 on PATH')
        : ratioTarget({ benchmark: BENCHMARK, target: asyncioTarget, ...asyncioBound }, figures));
    }
    if (figures !== null && asyncioPython !== null) targets.push(freshAsyncio(point, figures));
    targets.push(figures === null || !uvloop.found
      ? notAvailable(BENCHMARK, uvloopTarget, uvloop.found ? 'no python3' : uvloop.why)
      : ratioTarget({ benchmark: BENCHMARK, target: uvloopTarget, ...uvloopBound }, figures));
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
    target: `for comparison: event-loop against Python asyncio's first run on a fresh process, at ${describePoint(point)}`,
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
