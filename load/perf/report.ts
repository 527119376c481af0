// What `npm run perf` found, as one record per target, and its rendering: the target table
// (target, figure, every run, result) and a closing tally. Returns strings; the entry point writes.

import type { Verdict } from './verdict.ts';
import type { Pinning } from '../harness/taskset.ts';
import type { Environment } from '../harness/environment.ts';
import { renderTextTable, type TableData } from '../harness/table-data.ts';

export interface TargetResult {
  /** Which benchmark measured it: `load/perf/throughput.ts`, ... */
  benchmark: string;
  /** The target, in the words. */
  target: string;
  /** The measured figure (medians), with what it was compared to. */
  figure: string;
  /** Every run's figure, one line per server or measure; CPU of tester and server where it applies. */
  runs: string[];
  verdict: Verdict;
  /** Why, for FAIL and `not available`. */
  note?: string;
  /** The number judged and its bound, for scripts reading the JSON; null where none applies. */
  value: number | null;
  threshold: number | null;
  unit: string;
}

export interface PerfPlan {
  quick: boolean;
  runs: number;
  durationSec: number;
  warmupSec: number;
}

export interface PerfReport {
  environment: Environment;
  pinning: Pinning;
  plan: PerfPlan;
  targets: TargetResult[];
  /** Each benchmark's raw figures, run by run. */
  data: Record<string, unknown>;
  elapsedSec: number;
}

/** A target that could not be measured here (a missing option or package), with why. */
export function notAvailable(benchmark: string, target: string, why: string): TargetResult {
  return { benchmark, target, figure: '-', runs: [], verdict: 'not available', note: why, value: null, threshold: null, unit: '' };
}

export function resultLabel(t: Pick<TargetResult, 'verdict' | 'note'>): string {
  if (t.verdict === 'not available') return `not available: ${t.note ?? ''}`.trim();
  if (t.verdict === 'FAIL' && t.note !== undefined) return `FAIL\n${t.note}`;
  return t.verdict;
}

/** One row per target: what it asks, the figure measured, every run, and the result. */
export function targetTable(targets: readonly TargetResult[]): TableData {
  return { head: ['Target', 'Figure', 'Runs', 'Result'], rows: targets.map((t) => [t.target, t.figure, t.runs.join('\n'), resultLabel(t)]) };
}

export function renderTargetTable(targets: readonly TargetResult[]): string {
  return renderTextTable(targetTable(targets), { colWidths: [33, 33, 33, 16] });
}

/** How the figures were taken, in one line. */
export function describePlan(plan: PerfPlan): string {
  return `${plan.quick ? 'QUICK SMOKE RUN (smaller and shorter than the targets ask; verdicts are indicative) — ' : ''}` +
    `${plan.runs} alternating runs per point, ${plan.durationSec} s each after ${plan.warmupSec} s of warm-up; ` +
    'figures are medians of the runs; a ratio is judged on the median of the rounds\' ratios, the ratio of the medians ' +
    'shown beside it; CPU: 100% = one core busy';
}

/** The closing tally: `20 PASS, 3 FAIL, 0 not available, 23 targets, in 447 s`. */
export function describeTally(report: PerfReport): string {
  const tally = (v: Verdict): number => report.targets.filter((t) => t.verdict === v).length;
  return `${tally('PASS')} PASS, ${tally('FAIL')} FAIL, ${tally('not available')} not available, ${report.targets.length} targets, in ${report.elapsedSec} s`;
}

/** The targets that failed, by name. */
export function failingTargets(report: PerfReport): string[] {
  return report.targets.filter((t) => t.verdict === 'FAIL').map((t) => t.target);
}

export function renderPerfText(report: PerfReport): string {
  const { plan, pinning, environment } = report;
  const failing = failingTargets(report).map((target) => `  - ${target}`);
  const header = [
    `hexd performance targets: ${environment.command}`,
    `${environment.cpus} CPUs (${environment.cpuModel}), Node ${environment.node}, commit ${environment.commit}, ${environment.date}`,
    `pinning: ${pinning.note}`,
    `plan: ${describePlan(plan)}`,
    '',
  ];
  const footer = [
    '',
    describeTally(report),
    ...(failing.length > 0 ? ['failing:', ...failing] : []),
    '',
  ];
  return [...header, renderTargetTable(report.targets), ...footer].join('\n');
}
