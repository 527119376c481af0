// Throughput comparisons for perf: servers loaded alike at one point (connections x pipeline), in
// alternating runs, and a target that one server reaches a multiple of another's median req/s.

import { type PerfContext, type RunFigure, alternate, cpuLine, loadRun, problemsOf, reqPerSec } from './runs.ts';
import type { TargetResult } from './report.ts';
import type { PerfServer } from './servers.ts';
import type { ServerProcess } from '../harness/server-process.ts';
import { median, medianOfPairedRatios, ratioOfMedians } from '../harness/stats.ts';
import { atLeast, formatRatio, listRuns } from './verdict.ts';
import { DEFAULT_DIGITS, type DigitRange } from '../harness/digit-range.ts';

export interface Point {
  connections: number;
  pipeline: number;
  /** The digit counts of the numbers sent (the load tester's --digits); its default when absent. */
  digits?: DigitRange;
}

/** The number sizes judged apart: 1-5 digits, 10-15, the 64-bit range, 128 bits, 300, and the default limit. */
export const SIZE_CLASSES: readonly DigitRange[] = [
  { low: 1, high: 5 }, { low: 10, high: 15 }, { low: 16, high: 20 }, { low: 39, high: 39 }, { low: 300, high: 300 }, { low: 4300, high: 4300 },
];

/** `16-20 digits`, `39 digits`. */
function digitsLabel(range: DigitRange = DEFAULT_DIGITS): string {
  return `${range.low === range.high ? range.low : `${range.low}-${range.high}`} digits`;
}

/** `100 connections, pipeline 16, 16-20 digits`. */
export function describePoint(point: Point): string {
  return `${point.connections} connections, pipeline ${point.pipeline}, ${digitsLabel(point.digits)}`;
}

/** Rounds in all where a verdict falls within NEAR_BOUND of its bound. */
const ROUNDS_NEAR_BOUND = 9;
const NEAR_BOUND = 0.05;

export interface PointFigures extends Point {
  /** Each server's runs, in run order. */
  figures: Record<string, RunFigure[]>;
  /** Each server's first run, on the freshly started process, not counted among `figures`. */
  fresh: Record<string, RunFigure>;
}

export const describeFigure = (f: RunFigure): string =>
  `${reqPerSec(f.requestsPerSec)} req/s, server CPU ${f.serverCpuPercent ?? 'n/a'}%, tester CPU ${f.testerCpuPercent}%${f.problems === '-' ? '' : `, ${f.problems}`}`;

/**
 * Loads each server at one point, `plan.runs` times each, in turns. Each server's first run is not
 * counted: every counted run then measures a process that has already served and seen clients leave,
 * as a server in use has. (A fresh CPython process makes an mmap, mremap and munmap call per read
 * until its first client has gone, which more than halves its throughput; Node's JIT warms up.) The first run is
 * kept as `fresh`.
 */
async function comparePoint(servers: readonly PerfServer[], point: Point, context: PerfContext, runs = context.plan.runs): Promise<PointFigures> {
  const { plan } = context;
  context.log(`${servers.map((s) => s.name).join(' vs ')}: ${describePoint(point)}`);
  const fresh: Record<string, RunFigure> = {};
  const load = (server: ServerProcess, pollStats = false): Promise<RunFigure> => loadRun(server, {
    connections: point.connections,
    pipeline: point.pipeline,
    durationSec: plan.durationSec,
    warmupSec: plan.warmupSec,
    ...(point.digits === undefined ? {} : { digits: point.digits }),
  }, undefined, pollStats);
  const results = await alternate(servers, runs, context, async (server, spec) => {
    if (fresh[spec.name] === undefined) {
      const first = await load(server, spec.pollStats);
      fresh[spec.name] = first;
      context.log(`  fresh ${spec.name} (not counted): ${describeFigure(first)}`);
    }
    return load(server, spec.pollStats);
  }, describeFigure);
  return { ...point, figures: Object.fromEntries(results), fresh };
}

/**
 * comparePoint, then, where a ratio to be judged falls within 5% of its bound, more rounds (on fresh
 * processes, alternating as before) until there are ROUNDS_NEAR_BOUND in all.
 */
export async function comparePointSurely(
  servers: readonly PerfServer[],
  point: Point,
  context: PerfContext,
  bounds: readonly { subject: string; baseline: string; threshold: number }[],
): Promise<PointFigures> {
  const first = await comparePoint(servers, point, context);
  const near = bounds.some(({ subject, baseline, threshold }) => {
    const ratio = medianOfPairedRatios(
      (first.figures[subject] ?? []).map((f) => f.requestsPerSec),
      (first.figures[baseline] ?? []).map((f) => f.requestsPerSec),
    );
    return Number.isFinite(ratio) && Math.abs(ratio / threshold - 1) < NEAR_BOUND;
  });
  const more = ROUNDS_NEAR_BOUND - context.plan.runs;
  if (!near || more <= 0) return first;
  context.log(`  within ${NEAR_BOUND * 100}% of a bound: ${more} more rounds`);
  const second = await comparePoint(servers, point, context, more);
  const figures = Object.fromEntries(Object.entries(first.figures).map(([name, runs]) => [name, [...runs, ...(second.figures[name] ?? [])]]));
  return { ...first, figures };
}

export interface RatioTarget {
  benchmark: string;
  target: string;
  /** The server judged and the one it is measured against. */
  subject: string;
  baseline: string;
  threshold: number;
}

/**
 * Requests per second of server CPU (req/s over the share of a core the server used): the cost of a
 * request, which a busy machine disturbs far less than req/s. Shown beside the verdict, not judged.
 */
function perCoreLine(subject: string, a: readonly RunFigure[], baseline: string, b: readonly RunFigure[]): string {
  const perCore = (figures: readonly RunFigure[]): number[] => figures
    .filter((f) => f.serverCpuPercent !== null && f.serverCpuPercent > 0)
    .map((f) => f.requestsPerSec / (f.serverCpuPercent! / 100));
  const x = median(perCore(a));
  const y = median(perCore(b));
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'req per server CPU-second: n/a';
  return `req per server CPU-second: ${subject} ${reqPerSec(x)}, ${baseline} ${reqPerSec(y)} (${formatRatio(x / y)})`;
}

/**
 * PASS when the subject reaches threshold x the baseline, judged on the median of the rounds' ratios
 * (medianOfPairedRatios), and answered every request right. The ratio of medians is shown beside it.
 */
export function ratioTarget(spec: RatioTarget, point: PointFigures): TargetResult {
  const a = point.figures[spec.subject] ?? [];
  const b = point.figures[spec.baseline] ?? [];
  const ratio = medianOfPairedRatios(a.map((f) => f.requestsPerSec), b.map((f) => f.requestsPerSec));
  const ofMedians = ratioOfMedians(a.map((f) => f.requestsPerSec), b.map((f) => f.requestsPerSec));
  const subjectProblems = problemsOf(a);
  const baselineProblems = problemsOf(b);
  let verdict = atLeast(ratio, spec.threshold);
  let note: string | undefined = verdict === 'FAIL' ? `needs ${formatRatio(spec.threshold)}` : undefined;
  if (subjectProblems !== '-') {
    verdict = 'FAIL';
    note = `${spec.subject}: ${subjectProblems}`;
  }
  const runsOf = (name: string, figures: readonly RunFigure[]): string =>
    `${name} req/s: ${listRuns(figures.map((f) => f.requestsPerSec), reqPerSec)}`;
  return {
    benchmark: spec.benchmark,
    target: spec.target,
    figure: `${formatRatio(ratio)} (median of the rounds' ratios; ratio of medians ${formatRatio(ofMedians)}): ` +
      `${spec.subject} ${reqPerSec(median(a.map((f) => f.requestsPerSec)))} req/s, ` +
      `${spec.baseline} ${reqPerSec(median(b.map((f) => f.requestsPerSec)))} req/s` +
      (baselineProblems === '-' ? '' : ` (${spec.baseline}: ${baselineProblems})`),
    runs: [
      runsOf(spec.subject, a),
      runsOf(spec.baseline, b),
      `ratio in each round: ${listRuns(a.map((f, i) => f.requestsPerSec / (b[i]?.requestsPerSec ?? Number.NaN)), formatRatio)}`,
      cpuLine(spec.subject, a, median),
      cpuLine(spec.baseline, b, median),
      perCoreLine(spec.subject, a, spec.baseline, b),
    ],
    verdict,
    ...(note === undefined ? {} : { note }),
    value: Number.isFinite(ratio) ? Math.round(ratio * 1000) / 1000 : null,
    threshold: spec.threshold,
    unit: 'median ratio of req/s, round by round',
  };
}
