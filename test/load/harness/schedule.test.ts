import { describe, expect, it } from 'vitest';
import { OpenLoopSchedule, RequestBudget, shareOf, shareOfSlice, splitEvenly } from '../../../load/harness/schedule.ts';

describe('splitEvenly', () => {
  it('covers every item once, in consecutive slices that differ by at most one', () => {
    for (const [total, parts] of [[10, 1], [10, 3], [7, 7], [1000, 6], [5, 2]] as const) {
      const slices = splitEvenly(total, parts);
      expect(slices).toHaveLength(parts);
      expect(slices.reduce((sum, s) => sum + s.count, 0)).toBe(total);
      slices.forEach((s, i) => expect(s.start).toBe(i === 0 ? 0 : slices[i - 1]!.start + slices[i - 1]!.count));
      const counts = slices.map((s) => s.count);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });
});

describe('shareOf', () => {
  it('deals a total round robin, so shares sum to it', () => {
    expect([0, 1, 2].map((i) => shareOf(10, 3, i))).toEqual([4, 3, 3]);
    const slices = splitEvenly(7, 3);
    expect(slices.reduce((sum, s) => sum + shareOfSlice(1001, 7, s), 0)).toBe(1001);
  });
});

describe('OpenLoopSchedule', () => {
  it('spaces the run at 1/rate, dealt round robin to the connections', () => {
    // 1000 req/s over 4 connections: one request every ms overall, every 4 ms per connection.
    const schedules = [0, 1, 2, 3].map((i) => new OpenLoopSchedule(1000, 4, i));
    const all = schedules.flatMap((s) => [0, 1, 2].map((k) => s.dueAtMs(k))).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(schedules[1]!.dueAtMs(2)).toBe(9);
  });

  it('dueBy counts exactly the requests whose time has come', () => {
    const s = new OpenLoopSchedule(300, 7, 3);
    for (let k = 0; k < 50; k++) {
      expect(s.dueBy(s.dueAtMs(k))).toBe(k + 1);
      expect(s.dueBy(s.dueAtMs(k) - 0.001)).toBe(k);
    }
    expect(s.dueBy(-1)).toBe(0);
  });
});

describe('RequestBudget', () => {
  it('hands out exactly its total', () => {
    const budget = new RequestBudget(3);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    expect(budget.remaining).toBe(0);
    const endless = new RequestBudget(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1000; i++) expect(endless.take()).toBe(true);
  });
});
