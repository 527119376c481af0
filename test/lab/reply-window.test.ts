// The lab's per-second figures, driven quarter by quarter without timers.

import { describe, expect, it } from 'vitest';
import { ReplyWindow } from '../../lab/reply-window.ts';

const litClients = (lit: Uint8Array, clients: number): number[] =>
  Array.from({ length: clients }, (_, i) => i).filter((i) => (lit[i >> 3]! & (1 << (i & 7))) !== 0);

describe('ReplyWindow', () => {
  it('lights the clients that got a reply in the quarter, and only in that quarter', () => {
    const window = new ReplyWindow(20);
    window.record(0, 1);
    window.record(9, 1);
    window.record(19, 1);
    expect(litClients(window.closeQuarter().lit, 20)).toEqual([0, 9, 19]);
    expect(litClients(window.closeQuarter().lit, 20)).toEqual([]);
  });

  it('counts a client served for a second after its last reply, then waiting', () => {
    const window = new ReplyWindow(3);
    window.record(1, 1);
    expect(window.closeQuarter()).toMatchObject({ served: 1, waiting: 2 });
    window.closeQuarter();
    window.closeQuarter();
    expect(window.closeQuarter()).toMatchObject({ served: 1, waiting: 2 });
    expect(window.closeQuarter()).toMatchObject({ served: 0, waiting: 3 });
  });

  it('gives replies per second over the last four quarters, or the time so far when shorter', () => {
    const window = new ReplyWindow(1);
    for (let i = 0; i < 10; i++) window.record(0, 1);
    expect(window.closeQuarter().repliesPerSec).toBe(40); // 10 in a quarter second
    for (let quarter = 0; quarter < 3; quarter++) {
      for (let i = 0; i < 10; i++) window.record(0, 1);
      window.closeQuarter();
    }
    for (let i = 0; i < 30; i++) window.record(0, 1);
    expect(window.closeQuarter().repliesPerSec).toBe(60); // 10 + 10 + 10 + 30 over the last second; the first quarter is out
  });

  it('gives p50 and p99 of the last second only', () => {
    const window = new ReplyWindow(1);
    for (let i = 1; i <= 100; i++) window.record(0, i);
    const first = window.closeQuarter();
    expect(first.p50Ms).toBeCloseTo(50, 0);
    expect(first.p99Ms).toBeCloseTo(99, 0);
    for (let quarter = 0; quarter < 4; quarter++) {
      window.record(0, 2);
      window.closeQuarter();
    }
    window.record(0, 2);
    expect(window.closeQuarter()).toMatchObject({ p50Ms: 2, p99Ms: 2 });
  });

  it('has no latency to give for a second without replies, and ignores an index out of range', () => {
    const window = new ReplyWindow(2);
    window.record(5, 1);
    window.record(-1, 1);
    expect(window.closeQuarter()).toMatchObject({ repliesPerSec: 0, p50Ms: null, p99Ms: null, served: 0, waiting: 2 });
  });
});
