import { describe, expect, it } from 'vitest';
import { mean, median, medianOfPairedRatios, minMedianMax, quantile, ratioOfMedians } from '../../../load/harness/stats.ts';

describe('median and ratios', () => {
  it('takes the middle run, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('takes the mean of the middle two exactly, as (a + b) / 2', () => {
    expect(median([0.1, 0.2])).toBe((0.1 + 0.2) / 2);
    expect(median([0.3, 0.1, 0.2, 0.7])).toBe((0.2 + 0.3) / 2);
  });

  it('does not reorder its input', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('compares medians, not means: one slow run does not decide', () => {
    expect(ratioOfMedians([95, 96, 10, 97, 94], [100, 100, 100, 100, 100])).toBeCloseTo(0.95);
    expect(ratioOfMedians([1, 2], [])).toBeNaN();
    expect(ratioOfMedians([1, 2], [0, 0])).toBeNaN();
  });

  it('pairs runs round by round, skipping a baseline of zero', () => {
    expect(medianOfPairedRatios([90, 50, 110], [100, 50, 100])).toBeCloseTo(1);
    expect(medianOfPairedRatios([1, 2], [0, 4])).toBe(0.5);
    expect(medianOfPairedRatios([1], [])).toBeNaN();
  });
});

describe('quantile', () => {
  it('interpolates between the closest ranks', () => {
    expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
    expect(quantile([10, 20], 0.9)).toBeCloseTo(19);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  it('is NaN for no values and refuses a q outside 0 to 1', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('mean', () => {
  it('is the arithmetic mean, NaN for no values', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });
});

describe('minMedianMax', () => {
  it('takes the middle, or the mean of the two middles', () => {
    expect(minMedianMax([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(minMedianMax([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(minMedianMax([])).toEqual({ min: Number.NaN, median: Number.NaN, max: Number.NaN });
  });
});
