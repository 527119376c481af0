// The statistics every load program uses: medians, quantiles, means and ratios of a figure's runs.
// Pure, so the rules are tested apart from any measurement. Latency percentiles are not computed here:
// they come from HDR histograms (histogram.ts), which keep every recorded value's bucket.
//
// No values means no figure: each function returns NaN for empty input, which verdicts fail and
// formatters print as n/a; a caller that must show a number instead (JSON cannot hold NaN) says so
// where it calls.

export interface MinMedianMax {
  min: number;
  median: number;
  max: number;
}

/**
 * The q-quantile (0 <= q <= 1) by linear interpolation between the closest ranks (numpy's default,
 * R's type 7): the smallest value at 0, the largest at 1; NaN for no values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile is from 0 to 1, got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const fraction = rank - below;
  const lower = sorted[below]!;
  if (fraction === 0) return lower;
  // Weighted this way, q = 0.5 gives exactly (lower + upper) / 2.
  return lower * (1 - fraction) + sorted[below + 1]! * fraction;
}

/** The middle value, or the mean of the middle two for an even count; NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The smallest, the median and the largest; each NaN for no values. */
export function minMedianMax(values: readonly number[]): MinMedianMax {
  return { min: quantile(values, 0), median: median(values), max: quantile(values, 1) };
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
