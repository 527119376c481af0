// `npm run fleet -- --faults`: a backend killed (SIGKILL) under load through HAProxy, what the clients
// saw, how long HAProxy's health checks took to take it out, and how long it took to rejoin once
// started again.

import { runLoad } from '../load/harness/run.ts';
import { loadOptions } from '../load/harness/load-options.ts';
import { worstDetectionMs, type HaproxyTimings } from './haproxy-config.ts';
import type { Fleet } from './fleet.ts';

export interface CrashReport {
  clients: number;
  durationSec: number;
  killed: string;
  /** Connections HAProxy had open to it just before the kill: at most one request in flight on each. */
  connectionsOnKilled: number;
  /** From the kill to HAProxy's status DOWN. */
  detectMs: number;
  /** The bound the config promises: fall × inter + the check timeout. */
  detectBoundMs: number;
  /** From its restart's ready line to HAProxy's status UP. */
  rejoinMs: number;
  /** Requests without a right answer: dropped in flight, timed out, error replies, failed connects. */
  lost: { dropped: number; timeouts: number; errors: number; connectFailed: number };
  ok: number;
  /** Connections the load tester opened: the first ones and every reconnect. */
  connects: number;
  requestsPerSec: number;
  /** Connections each backend was given during the run. */
  connectionsPerBackend: Record<string, number>;
}

const CLIENTS = 100;

/**
 * Runs the load for 3 × `durationSec`: the kill after the first third; the restart as soon as HAProxy
 * has marked the backend down; the run goes on through its rejoin.
 */
export async function crashUnderLoad(fleet: Fleet, durationSec: number, timings: HaproxyTimings, log: (line: string) => void): Promise<CrashReport> {
  const victim = fleet.backends[0]!;
  const before = await fleet.haproxy.stats();
  const load = runLoad(loadOptions(fleet.frontend, { connections: CLIENTS, durationSec: 3 * durationSec, statsPort: 0, allowRemote: true }));
  await new Promise((resolve) => setTimeout(resolve, durationSec * 1000)); // the load runs undisturbed first
  const open = (await fleet.haproxy.stats()).find((s) => s.name === victim.name)?.currentConnections ?? 0;
  log(`fleet faults: kill -9 ${victim.name} (pid ${victim.server.pid}), ${open} connections on it`);
  const killedAt = performance.now();
  victim.server.child.kill('SIGKILL');
  const isVictim = (s: { name: string }) => s.name === victim.name;
  await fleet.haproxy.waitForStats((stats) => stats.find(isVictim)?.status.startsWith('DOWN') === true, 10_000, `${victim.name} DOWN`);
  const detectMs = performance.now() - killedAt;
  log(`fleet faults: HAProxy marked ${victim.name} DOWN after ${Math.round(detectMs)} ms; starting it again`);
  await fleet.restartBackend(victim.index);
  const restartedAt = performance.now();
  await fleet.haproxy.waitForStats((stats) => stats.find(isVictim)?.status === 'UP', 10_000, `${victim.name} UP again`);
  const rejoinMs = performance.now() - restartedAt;
  log(`fleet faults: ${victim.name} UP again after ${Math.round(rejoinMs)} ms`);
  const summary = await load;
  const after = await fleet.haproxy.stats();
  const r = summary.replies;
  return {
    clients: CLIENTS,
    durationSec: 3 * durationSec,
    killed: victim.name,
    connectionsOnKilled: open,
    detectMs: Math.round(detectMs),
    detectBoundMs: worstDetectionMs(timings),
    rejoinMs: Math.round(rejoinMs),
    lost: { dropped: r.dropped, timeouts: r.timeouts, errors: r.errors + r.wrong, connectFailed: r.connectFailed },
    ok: r.ok,
    connects: summary.requests.connects,
    requestsPerSec: summary.requestsPerSec,
    connectionsPerBackend: Object.fromEntries(after.map((s) => [s.name, s.totalConnections - (before.find((b) => b.name === s.name)?.totalConnections ?? 0)])),
  };
}
