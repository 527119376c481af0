// The ring that carries a load thread's replies to the lab's thread (lab/reply-ring.ts); across real
// threads it is exercised by test/lab/lab.test.ts.

import { expect, it } from 'vitest';
import { ReplyRing } from '../../lab/reply-ring.ts';

const drained = (ring: ReplyRing): [number, number][] => {
  const out: [number, number][] = [];
  ring.drain((client, latencyMs) => out.push([client, latencyMs]));
  return out;
};

it('hands over each reply once, in order', () => {
  const ring = new ReplyRing();
  const reader = new ReplyRing(ring.buffer);
  ring.write(3, 1.5);
  ring.write(7, 2.25);
  expect(drained(reader)).toEqual([[3, 1.5], [7, 2.25]]);
  expect(drained(reader)).toEqual([]);
  ring.write(0, 9);
  expect(drained(reader)).toEqual([[0, 9]]);
});

it('a reader that fell a whole ring behind gets the newest replies the ring holds', () => {
  const ring = new ReplyRing();
  const reader = new ReplyRing(ring.buffer);
  const slots = (ring.buffer.byteLength - 8) / 16;
  for (let i = 0; i < slots + 5; i++) ring.write(i, i);
  const got = drained(reader);
  expect(got).toHaveLength(slots);
  expect(got[0]).toEqual([5, 5]);
  expect(got.at(-1)).toEqual([slots + 4, slots + 4]);
});
