// The rules behind every perf verdict: pass/fail of a measured figure against a threshold, and how
// the runs and ratios behind it are printed. A figure that could not be measured (NaN) never passes.

export type Verdict = 'PASS' | 'FAIL' | 'not available' | 'info';

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
