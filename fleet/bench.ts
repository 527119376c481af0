// `npm run fleet -- --bench`: the load tester (runLoad) direct to one backend, then through HAProxy
// in front of 1, 2 and 4 backends, at 100 and 1,000 clients, with HAProxy's per-backend connection
// counts. On one 2-core machine every host shares the same cores: this measures the balancer's hop,
// not scaling (docs/fleet.md).

import { runLoad } from '../load/harness/run.ts';
import { loadOptions } from '../load/harness/load-options.ts';
import type { LoadSummary } from '../load/harness/summary.ts';
import type { LatencySummaryUs } from '../load/harness/histogram.ts';
import type { Fleet } from './fleet.ts';

const BENCH_CLIENTS = [100, 1000] as const;
const BENCH_BALANCED = [1, 2, 4] as const;
const WARMUP_SEC = 1;

export interface BenchPoint {
  /** `direct` to host1, or `haproxy` in front of `backends`. */
  path: 'direct' | 'haproxy';
  backends: number;
  clients: number;
  requestsPerSec: number;
  latencyUs: LatencySummaryUs;
  /** The CPU of the process serving the clients' connections: HAProxy, or the backend when direct (100 = one core). */
  serverCpuPercent: number | null;
  /** That CPU per right answer, µs: what one request costs the balancer (or the backend). */
  serverCpuUsPerRequest: number | null;
  /** Requests that got no right answer: wrong, error, timed out, dropped; and connects that failed. */
  failed: number;
  /** HAProxy only: connections each backend was given during the run, warm-up included. */
  connectionsPerBackend: Record<string, number> | null;
}

function failedOf(summary: LoadSummary): number {
  const r = summary.replies;
  return r.wrong + r.errors + r.timeouts + r.dropped + r.connectFailed;
}

async function measure(target: { host: string; port: number }, serverPid: number, clients: number, durationSec: number): Promise<LoadSummary> {
  return runLoad(loadOptions(target, {
    serverPid,
    connections: clients,
    durationSec,
    warmupSec: WARMUP_SEC,
    statsPort: 0, // HAProxy has no /stats; the direct run goes without, to be measured alike
    allowRemote: true,
  }));
}

function point(path: BenchPoint['path'], backends: number, clients: number, summary: LoadSummary, spread: BenchPoint['connectionsPerBackend']): BenchPoint {
  const cpu = summary.cpu.serverPercent;
  return {
    path,
    backends,
    clients,
    requestsPerSec: summary.requestsPerSec,
    latencyUs: summary.latencyUs,
    serverCpuPercent: cpu,
    serverCpuUsPerRequest: cpu === null || summary.requestsPerSec === 0 ? null : Math.round((cpu / 100) * 1e6 / summary.requestsPerSec * 10) / 10,
    failed: failedOf(summary),
    connectionsPerBackend: spread,
  };
}

/** Every point of the bench; `log` says what runs (stderr). The fleet must have 4 backends. */
export async function runFleetBench(fleet: Fleet, durationSec: number, log: (line: string) => void): Promise<BenchPoint[]> {
  const points: BenchPoint[] = [];
  // The load tester sends no PROXY header: host1 serves the direct runs without --proxy-protocol.
  const first = await fleet.restartBackend(0, false);
  for (const clients of BENCH_CLIENTS) {
    log(`fleet bench: direct to ${first.name} (${first.host}:${first.port}), ${clients} clients`);
    points.push(point('direct', 1, clients, await measure(first, first.server.pid, clients, durationSec), null));
  }
  await fleet.restartBackend(0, true);
  for (const backends of BENCH_BALANCED) {
    await fleet.balance(backends); // a fresh HAProxy: its counts start at zero
    for (const clients of BENCH_CLIENTS) {
      log(`fleet bench: HAProxy in front of ${backends}, ${clients} clients`);
      const before = await fleet.haproxy.stats();
      const summary = await measure(fleet.frontend, fleet.haproxy.pid, clients, durationSec);
      const after = await fleet.haproxy.stats();
      const spread = Object.fromEntries(after.map((s) => [s.name, s.totalConnections - (before.find((b) => b.name === s.name)?.totalConnections ?? 0)]));
      points.push(point('haproxy', backends, clients, summary, spread));
    }
  }
  return points;
}
