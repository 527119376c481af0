// BufferBudget: the largest holders are held back first, until those still read hold half the budget;
// they are read again once the total is under half; each member always has its share of half.

import { expect, it } from 'vitest';
import { BufferBudget, type BudgetMember } from '../../servers/shared/buffer-budget.ts';
import { ProcessHoldings } from '../../servers/shared/process-holdings.ts';

class Member implements BudgetMember {
  bufferedBytes: number;
  events: string[] = [];
  constructor(bytes: number) {
    this.bufferedBytes = bytes;
  }
  holdBack(): void {
    this.events.push('held back');
  }
  release(): void {
    this.events.push('released');
  }
}

const nextSweep = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

it('holds back the largest first, and releases them once the total is under half', async () => {
  const budget = new BufferBudget(1000);
  const [big, middle, small] = [new Member(600), new Member(300), new Member(150)];
  for (const member of [big, middle, small]) budget.update(member, member.bufferedBytes);
  expect(budget.totalBytes).toBe(1050);
  await nextSweep();
  // 1050 held: without the largest 450 are still read, under half (500): only it stops.
  expect(big.events).toEqual(['held back']);
  expect(middle.events).toEqual([]);
  expect(small.events).toEqual([]);
  expect(budget.isHeldBack(big)).toBe(true);

  big.bufferedBytes = 0; // its client read its replies
  middle.bufferedBytes = 100;
  budget.update(middle, 100);
  budget.update(small, 150); // below the limit: nothing sweeps until something asks
  budget.wait(small);
  await nextSweep();
  expect(budget.totalBytes).toBe(250);
  expect(big.events).toEqual(['held back', 'released']);
  expect(small.events).toEqual(['released']);
});

it('gives every member room of its own share of half the budget, even when the budget is spent', () => {
  const budget = new BufferBudget(1000);
  const [hog, newcomer] = [new Member(1000), new Member(0)];
  budget.update(hog, 1000);
  budget.update(newcomer, 0);
  expect(budget.roomFor(0)).toBe(250); // half the budget, shared by two
  expect(budget.roomFor(1000)).toBe(0);
  budget.remove(hog);
  budget.remove(newcomer);
  expect(budget.totalBytes).toBe(0);
});

it('with holdings shared between threads, ranks every thread\'s connections and holds back only its own', async () => {
  const shared = ProcessHoldings.create(4);
  const [slotA, slotB] = [ProcessHoldings.claim(shared)!, ProcessHoldings.claim(shared)!];
  const [threadA, threadB] = [new BufferBudget(1000, new ProcessHoldings(shared, slotA)), new BufferBudget(1000, new ProcessHoldings(shared, slotB))];
  const [large, small] = [new Member(200), new Member(300)];
  threadA.update(large, 200);
  threadB.update(small, 300);
  expect(threadB.totalBytes).toBe(300 + 1024); // its own exactly, the other thread's as published, in whole KiB
  // Past the budget; its share of half of it, one of two threads, is 250: no room.
  expect(threadB.roomFor(300)).toBe(0);
  expect(threadB.roomFor(0)).toBe(250);
  large.bufferedBytes = 800;
  threadA.update(large, 800);
  threadB.update(small, 300); // thread B looks too, once the process is past the budget
  await nextSweep();
  expect(large.events).toEqual(['held back']); // the process's largest, on thread A
  expect(small.events).toEqual([]); // thread B's own is small: without A's, 300 are read, under half
  ProcessHoldings.free(shared, slotA); // thread A exits
  expect(threadB.totalBytes).toBe(300);
  expect(ProcessHoldings.claim(shared)).toBe(slotA);
});
