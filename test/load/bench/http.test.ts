// The HTTP benchmark: autocannon against a real hexd server, and its side-by-side table.

import { expect, it } from 'vitest';
import { renderHttpComparison, runHttpBench } from '../../../load/bench/http.ts';
import { nodePeers } from '../../../load/harness/peers.ts';

it('runs autocannon against a hexd variant: every response 200, nothing else', async () => {
  const peers = nodePeers().filter((peer) => peer.name === 'event-loop');
  let printed = '';
  const points = await runHttpBench(peers, { concurrency: [4], durationSec: 1 }, (text) => (printed += text));
  expect(points).toHaveLength(1);
  const [point] = points;
  expect(point!.ok).toBeGreaterThan(0);
  expect([point!.non2xx, point!.errors, point!.timeouts]).toEqual([0, 0, 0]);
  expect(printed).toContain('Req/Sec'); // autocannon's own table
  const table = renderHttpComparison(points, [{ variant: 'event-loop', clients: 4, requestsPerSec: 2000, latencyUs: { p50: 100, p99: 900 } }]);
  expect(table).toMatch(/event-loop\s+│\s+4\s+│\s+2,000\s+│/);
});
