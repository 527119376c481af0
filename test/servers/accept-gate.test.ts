// AcceptGate: a burst of accepts closes it, members that stop reading meanwhile are released once
// connections stop arriving (or after at most 200 ms), and it stays open 200 ms before closing again.

import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AcceptGate } from '../../servers/shared/accept-gate.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const member = (log: string[], name: string) => ({ release: () => log.push(name) });

/** One turn of the loop that accepted `n` connections, `ms` long. */
function turn(gate: AcceptGate, n: number, ms: number): void {
  for (let i = 0; i < n; i++) gate.accepted();
  vi.advanceTimersByTime(ms);
}

it('closes on 16 accepts within 10 ms, and releases its members once 5 ms pass without one', () => {
  const gate = new AcceptGate();
  const released: string[] = [];
  turn(gate, 15, 1);
  expect(gate.closed).toBe(false);
  turn(gate, 1, 1);
  expect(gate.closed).toBe(true);
  gate.wait(member(released, 'a'));
  gate.wait(member(released, 'b'));
  const gone = member(released, 'gone');
  gate.wait(gone);
  gate.forget(gone);
  turn(gate, 3, 4); // still arriving
  expect(gate.closed).toBe(true);
  turn(gate, 0, 6);
  expect(gate.closed).toBe(false);
  expect(released).toEqual(['a', 'b']);
});

it('does not close on accepts spread thinner than 16 in 10 ms', () => {
  const gate = new AcceptGate();
  for (let i = 0; i < 100; i++) turn(gate, 1, 1);
  expect(gate.closed).toBe(false);
});

it('opens after 200 ms however fast connections come, then stays open 200 ms', () => {
  const gate = new AcceptGate();
  turn(gate, 16, 0);
  expect(gate.closed).toBe(true);
  for (let ms = 0; ms < 199; ms++) turn(gate, 2, 1);
  expect(gate.closed).toBe(true);
  turn(gate, 2, 2);
  expect(gate.closed).toBe(false);
  for (let ms = 0; ms < 190; ms++) turn(gate, 20, 1);
  expect(gate.closed).toBe(false); // a flood gets served clients at least half the time
  for (let ms = 0; ms < 15; ms++) turn(gate, 20, 1);
  expect(gate.closed).toBe(true);
});
