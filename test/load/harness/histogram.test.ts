import { describe, expect, it } from 'vitest';
import {
  HIGHEST_TRACKABLE_US,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMs,
  summarizeUs,
} from '../../../load/harness/histogram.ts';
import { seededRandom } from '../../../load/harness/checker.ts';

describe('latency histograms', () => {
  it('merging per-worker histograms gives the percentiles of all values recorded together', () => {
    const random = seededRandom(7);
    const whole = createHistogram();
    const parts = [createHistogram(), createHistogram(), createHistogram()];
    for (let i = 0; i < 30_000; i++) {
      // Three workers that see very different latencies: averaging their percentiles would be wrong.
      const worker = i % 3;
      const ms = worker === 2 ? 5 + random() * 50 : random() * 0.5;
      recordMs(whole, ms);
      recordMs(parts[worker]!, ms);
    }
    const merged = mergeHistograms(parts.map((p) => decodeHistogram(encodeHistogram(p))));
    const { max: mergedMax, ...mergedRest } = summarizeUs(merged);
    const { max: wholeMax, ...wholeRest } = summarizeUs(whole);
    expect(mergedRest).toEqual(wholeRest);
    // An encoded histogram keeps buckets, not values: its max is its bucket's top, within 3 digits.
    expect(Math.abs(mergedMax - wholeMax) / wholeMax).toBeLessThan(0.001);
    expect(merged.totalCount).toBe(30_000);
    const averaged = parts.map((p) => p.getValueAtPercentile(99)).reduce((a, b) => a + b) / 3;
    expect(Math.abs(averaged - merged.getValueAtPercentile(99))).toBeGreaterThan(10_000);
  });

  it('records milliseconds as whole microseconds, within bounds', () => {
    const h = createHistogram();
    recordMs(h, 0.0001);
    recordMs(h, 1.5);
    recordMs(h, 10 * 60 * 1000);
    expect(h.minNonZeroValue).toBe(1);
    expect(h.getValueAtPercentile(50)).toBe(1500);
    expect(h.maxValue).toBeGreaterThanOrEqual(HIGHEST_TRACKABLE_US * 0.999);
    expect(h.maxValue).toBeLessThanOrEqual(HIGHEST_TRACKABLE_US * 1.001);
  });

  it('summarizes an empty histogram as zeros', () => {
    expect(summarizeUs(createHistogram())).toEqual({ p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, count: 0 });
  });
});
