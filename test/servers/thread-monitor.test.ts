// A thread's delay figures see a stall wherever it falls: right after a snapshot (whose reset makes the
// delay histogram forget its last tick), right after sampling resumes, and between two snapshots.
// The stall is this test's own thread held busy, in its own process's event loop.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { DELAY_RESOLUTION_MS, ThreadMonitor } from '../../servers/shared/telemetry/thread-monitor.ts';

const STALL_MS = 200;

function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin: the event loop runs nothing meanwhile
  }
}

let monitor: ThreadMonitor | undefined;
afterEach(() => monitor?.stop());

/** A snapshot once the loop has run its timers again (the delay timer's, the probe's), after the stall. */
async function snapshotAfterTicks(m: ThreadMonitor) {
  await sleep(3 * DELAY_RESOLUTION_MS);
  return m.snapshot();
}

it.for([
  ['right after a snapshot', (m: ThreadMonitor) => m.snapshot()],
  ['right after sampling resumes', (m: ThreadMonitor) => {
    m.snapshot();
    m.stop();
    m.resume();
  }],
  ['between two snapshots', () => {}],
] as const)('a stall of 200 ms %s shows as at least 200 ms less the resolution', async ([, before]) => {
  monitor = new ThreadMonitor('test', 'main');
  await sleep(5 * DELAY_RESOLUTION_MS);
  before(monitor);
  stall(STALL_MS);
  const { recentDelay, delay } = await snapshotAfterTicks(monitor);
  expect(recentDelay.max).toBeGreaterThanOrEqual(STALL_MS - DELAY_RESOLUTION_MS);
  expect(delay.max).toBeGreaterThanOrEqual(STALL_MS - DELAY_RESOLUTION_MS);
});

it('a thread at rest shows no delay: the probes measure only the resolution', async () => {
  monitor = new ThreadMonitor('test', 'main');
  await sleep(5 * DELAY_RESOLUTION_MS);
  monitor.snapshot();
  const { recentDelay } = await snapshotAfterTicks(monitor);
  expect(recentDelay.max).toBeLessThan(STALL_MS / 2);
});
