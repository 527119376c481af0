// IdleSweep: an item is declared idle no sooner than the timeout after it last moved, and no later
// than one tick (a tenth of the timeout) past it; moving starts the count again; the sweep's timer
// runs only while something is watched.

import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { IdleSweep } from '../../servers/shared/idle-sweep.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('declares an item idle between one timeout and one tick past it, and moving restarts the count', () => {
  const idle: string[] = [];
  const sweep = new IdleSweep<string>(1000, (item) => idle.push(item));
  sweep.moved('a');
  vi.advanceTimersByTime(500);
  sweep.moved('b');
  vi.advanceTimersByTime(499);
  expect(idle).toEqual([]);
  sweep.moved('a'); // at 999 ms: its count starts again
  vi.advanceTimersByTime(500);
  expect(idle).toEqual([]); // b: 999 ms without moving
  vi.advanceTimersByTime(101);
  expect(idle).toEqual(['b']); // b: 1,100 ms, within a tick past its timeout
  vi.advanceTimersByTime(398);
  expect(idle).toEqual(['b']); // a: 998 ms
  vi.advanceTimersByTime(101);
  expect(idle).toEqual(['b', 'a']);
  expect(vi.getTimerCount()).toBe(0); // nothing watched: no timer
});

it('forgets an item for good, and stops its timer with the last one', () => {
  const idle: string[] = [];
  const sweep = new IdleSweep<string>(200, (item) => idle.push(item));
  sweep.moved('a');
  expect(vi.getTimerCount()).toBe(1);
  sweep.forget('a');
  expect(vi.getTimerCount()).toBe(0);
  vi.advanceTimersByTime(1000);
  expect(idle).toEqual([]);
});

it('ticks at most once a second, so a long timeout is kept within a second of it', () => {
  const idle: number[] = [];
  const sweep = new IdleSweep<string>(60_000, () => idle.push(Date.now()));
  const start = Date.now();
  sweep.moved('a');
  vi.advanceTimersByTime(59_999);
  expect(idle).toEqual([]);
  vi.advanceTimersByTime(1_001);
  expect(idle.map((t) => t - start)).toEqual([61_000]);
});
