// Latency histograms in microseconds (hdr-histogram-js), and how threads combine them: each worker
// sends its histogram encoded, and the main thread adds them bucket by bucket. Percentiles are only
// ever read from the merged histogram, never averaged.

import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/** Two minutes: anything slower is recorded as this. */
export const HIGHEST_TRACKABLE_US = 120_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });
}

/** Records a duration given in milliseconds (performance.now() differences) as whole microseconds, `count` times. */
export function recordMs(histogram: Histogram, ms: number, count = 1): void {
  const us = Math.round(ms * 1000);
  histogram.recordValueWithCount(us < 1 ? 1 : us > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : us, count);
}

/** The compact text form a worker posts back (HdrHistogram's compressed base64). */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

/** One histogram holding every value recorded in the given ones. */
export function mergeHistograms(parts: Iterable<Histogram>): Histogram {
  const merged = createHistogram();
  for (const part of parts) merged.add(part);
  return merged;
}

export interface LatencySummaryUs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** How many values were recorded. */
  count: number;
}

/** The percentiles reported everywhere; zeros when nothing was recorded. */
export function summarizeUs(histogram: Histogram): LatencySummaryUs {
  const count = histogram.totalCount;
  if (count === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 };
  return {
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
    mean: Math.round(histogram.mean * 10) / 10,
    count,
  };
}
