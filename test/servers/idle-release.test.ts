// A thread that has served and then held no connection for IDLE_RELEASE_MS gives back the young
// generation its busy spell grew (servers/shared/idle-release.ts); one that never served does not
// collect. Run on this test's own heap, whose new space is grown by allocating first.

import { getHeapSpaceStatistics } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { IDLE_RELEASE_MS, IdleRelease } from '../../servers/shared/idle-release.ts';

const MIB = 1024 * 1024;

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** Short-lived objects at a high rate, as a busy server makes: V8 grows the new space to match. */
function churnTheYoungGeneration(): void {
  for (let round = 0; round < 20; round++) {
    let kept: object[] = [];
    for (let i = 0; i < 100_000; i++) kept.push({ i, text: `line ${i}` });
    kept = [];
  }
}

it('after serving, an idle spell of IDLE_RELEASE_MS shrinks the new space back', async () => {
  churnTheYoungGeneration();
  const grown = newSpaceBytes();
  expect(grown).toBeGreaterThan(4 * MIB); // else there is nothing to see

  const release = new IdleRelease();
  release.update(1);
  release.update(0);
  await sleep(IDLE_RELEASE_MS * 1.5);
  expect(newSpaceBytes()).toBeLessThan(grown / 2);
});

it('a thread that served no one since its last release does not collect again', async () => {
  churnTheYoungGeneration();
  const grown = newSpaceBytes();
  const release = new IdleRelease();
  release.update(0); // never served
  await sleep(IDLE_RELEASE_MS * 1.5);
  // Not shrunk as a release shrinks it (the test above: to under half). V8 may still trim a page or
  // two on its own meanwhile (CI once saw 63.75 MiB of 64).
  expect(newSpaceBytes()).toBeGreaterThan(grown / 2);
});
