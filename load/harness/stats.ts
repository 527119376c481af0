// The arithmetic behind every --perf verdict: medians of runs, ratios of medians, and pass/fail against a
// threshold. Pure, so the rules are tested apart from any measurement.

import { minMedianMax } from './summary.ts';

export type Verdict = 'PASS' | 'FAIL' | 'not available' | 'info';

/** The median of the runs (the mean of the middle two for an even count); NaN for no runs. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : minMedianMax(values).median;
}

/** median(a) / median(b): how a contender compares with a baseline measured in the same alternation. */
export function ratioOfMedians(a: readonly number[], b: readonly number[]): number {
  const base = median(b);
  return base > 0 ? median(a) / base : Number.NaN;
}

/**
 * The median of a[i] / b[i], where run i of each was taken back to back in the same round of the
 * alternation. A machine whose speed drifts (other tenants, frequency) slows both runs of a round
 * alike, so each round's ratio cancels the drift that the ratio of medians keeps; NaN for no pairs.
 */
export function medianOfPairedRatios(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (b[i]! > 0) ratios.push(a[i]! / b[i]!);
  return median(ratios);
}

/** PASS when value >= threshold; a value that could not be measured (NaN) fails. */
export function atLeast(value: number, threshold: number): Verdict {
  return Number.isFinite(value) && value >= threshold ? 'PASS' : 'FAIL';
}

/** PASS when value <= threshold; a value that could not be measured (NaN) fails. */
export function atMost(value: number, threshold: number): Verdict {
  return Number.isFinite(value) && value <= threshold ? 'PASS' : 'FAIL';
}

/** Below, strictly (a latency that must stay under a bound). */
export function under(value: number, threshold: number): Verdict {
  return Number.isFinite(value) && value < threshold ? 'PASS' : 'FAIL';
}

/** Every condition must pass; any FAIL wins. */
export function allOf(...verdicts: Verdict[]): Verdict {
  return verdicts.includes('FAIL') ? 'FAIL' : 'PASS';
}

/** The runs of a figure as printed: `61,234 63,001 ...` with a unit formatter. */
export function listRuns(values: readonly number[], format: (n: number) => string): string {
  return values.map(format).join(' ');
}

/** `0.97×`, two decimals; `n/a` for NaN. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}
