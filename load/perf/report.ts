// What `npm run bench -- --perf` found, as one record per target, and its rendering: the target table
// (target, figure, every run, result) and a closing tally. Returns strings; the entry point writes.

import Table from 'cli-table3';
import type { Verdict } from './verdict.ts';
import type { Pinning } from '../harness/taskset.ts';
import type { Environment } from '../harness/environment.ts';

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

const PLAIN = { head: [], border: [] };

export function resultLabel(t: Pick<TargetResult, 'verdict' | 'note'>): string {
  if (t.verdict === 'not available') return `not available: ${t.note ?? ''}`.trim();
  if (t.verdict === 'FAIL' && t.note !== undefined) return `FAIL\n${t.note}`;
  return t.verdict;
}

export function renderTargetTable(targets: readonly TargetResult[]): string {
  const table = new Table({
    head: ['Target', 'Figure', 'Runs', 'Result'],
    colWidths: [36, 40, 52, 22],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: PLAIN,
  });
  for (const t of targets) table.push([t.target, t.figure, t.runs.join('\n'), resultLabel(t)]);
  return table.toString();
}

export function renderPerfText(report: PerfReport): string {
  const { plan, pinning, environment } = report;
  const tally = (v: Verdict): number => report.targets.filter((t) => t.verdict === v).length;
  const failing = report.targets.filter((t) => t.verdict === 'FAIL').map((t) => `  - ${t.target}`);
  const header = [
    `hexd performance targets: ${environment.command}`,
    `${environment.cpus} CPUs (${environment.cpuModel}), Node ${environment.node}, commit ${environment.commit}, ${environment.date}`,
    `pinning: ${pinning.note}`,
    `plan: ${plan.quick ? 'QUICK SMOKE RUN (smaller and shorter than the targets ask; verdicts are indicative) — ' : ''}` +
      `${plan.runs} alternating runs per point, ${plan.durationSec} s each after ${plan.warmupSec} s of warm-up; ` +
      'figures are medians of the runs, ratios are ratios of medians; CPU: 100% = one core busy',
    '',
  ];
  const footer = [
    '',
    `${tally('PASS')} PASS, ${tally('FAIL')} FAIL, ${tally('not available')} not available, ${report.targets.length} targets, in ${report.elapsedSec} s`,
    ...(failing.length > 0 ? ['failing:', ...failing] : []),
    '',
  ];
  return [...header, renderTargetTable(report.targets), ...footer].join('\n');
}
