// `npm run fleet -- --faults`: a backend killed (SIGKILL) under load through HAProxy, what the clients
// saw, how long HAProxy's health checks took to take it out, and how long it took to rejoin once
// started again; then another drained through HAProxy's runtime API and stopped with SIGTERM.

import { runLoad } from '../load/harness/run.ts';
import { loadOptions } from '../load/harness/load-options.ts';
import { worstDetectionMs, type HaproxyTimings } from './haproxy-config.ts';
import type { Fleet } from './fleet.ts';
import type { ServerStat } from './haproxy-runtime.ts';

export interface CrashReport {
  clients: number;
  durationSec: number;
  killed: string;
  /** Connections HAProxy had open to it just before the kill: at most one request in flight on each. */
  connectionsOnKilled: number;
  /**
   * Connections HAProxy sent it from the kill until it was marked down. A connect refused is retried
   * on another backend and costs nothing; one the dying process's kernel still accepted (its
   * listening socket outlives the kill by a few milliseconds, while its memory is freed) costs the
   * request sent on it.
   */
  connectionsGivenUntilDown: number;
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
/** The load warms up first (JIT, connects), so the fault lands on a fleet in its stride. */
const WARMUP_SEC = 1;

function loadFor(fleet: Fleet, durationSec: number): ReturnType<typeof runLoad> {
  return runLoad(loadOptions(fleet.frontend, { connections: CLIENTS, warmupSec: WARMUP_SEC, durationSec: 3 * durationSec, statsPort: 0, allowRemote: true }));
}

/** Waits out the warm-up and the first third of the measured run, undisturbed. */
function firstThird(durationSec: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (WARMUP_SEC + durationSec) * 1000));
}

function connectionsGiven(before: readonly ServerStat[], after: readonly ServerStat[]): Record<string, number> {
  return Object.fromEntries(after.map((s) => [s.name, s.totalConnections - (before.find((b) => b.name === s.name)?.totalConnections ?? 0)]));
}

/**
 * Runs the load for 3 × `durationSec`: the kill after the first third; the restart as soon as HAProxy
 * has marked the backend down; the run goes on through its rejoin.
 */
export async function crashUnderLoad(fleet: Fleet, durationSec: number, timings: HaproxyTimings, log: (line: string) => void): Promise<CrashReport> {
  const victim = fleet.backends[0]!;
  const before = await fleet.haproxy.stats();
  const load = loadFor(fleet, durationSec);
  await firstThird(durationSec);
  const isVictim = (s: { name: string }) => s.name === victim.name;
  const atKill = (await fleet.haproxy.stats()).find(isVictim);
  const open = atKill?.currentConnections ?? 0;
  log(`fleet faults: kill -9 ${victim.name} (pid ${victim.server.pid}), ${open} connections on it`);
  const killedAt = performance.now();
  victim.server.child.kill('SIGKILL');
  const atDown = (await fleet.haproxy.waitForStats((stats) => stats.find(isVictim)?.status.startsWith('DOWN') === true, 10_000, `${victim.name} DOWN`)).find(isVictim);
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
    connectionsGivenUntilDown: (atDown?.totalConnections ?? 0) - (atKill?.totalConnections ?? 0),
    detectMs: Math.round(detectMs),
    detectBoundMs: worstDetectionMs(timings),
    rejoinMs: Math.round(rejoinMs),
    lost: { dropped: r.dropped, timeouts: r.timeouts, errors: r.errors + r.wrong, connectFailed: r.connectFailed },
    ok: r.ok,
    connects: summary.requests.connects,
    requestsPerSec: summary.requestsPerSec,
    connectionsPerBackend: connectionsGiven(before, after),
  };
}

export interface DrainReport {
  clients: number;
  durationSec: number;
  drained: string;
  /** Connections on it when it was set to drain, and when it was sent SIGTERM. */
  connectionsAtDrain: number;
  connectionsAtStop: number;
  /** New connections HAProxy gave it from the drain on (0: the drain held). */
  newConnectionsAfterDrain: number;
  lost: { dropped: number; timeouts: number; errors: number; connectFailed: number };
  /** Requests in flight at its goodbye (`error: shutting down`: none of them read there), sent again through HAProxy. */
  resent: number;
  ok: number;
  requestsPerSec: number;
}

/**
 * Sets `host2` to drain after the first third, sends it SIGTERM a third later (its open connections
 * stay: drain only stops new ones), and counts what the clients lost.
 */
export async function drainUnderLoad(fleet: Fleet, durationSec: number, log: (line: string) => void): Promise<DrainReport> {
  const victim = fleet.backends[1]!;
  const isVictim = (s: { name: string }) => s.name === victim.name;
  const load = loadFor(fleet, durationSec);
  await firstThird(durationSec);
  const atDrain = (await fleet.haproxy.stats()).find(isVictim);
  await fleet.haproxy.setServerState(victim.name, 'drain');
  log(`fleet faults: ${victim.name} set to drain with ${atDrain?.currentConnections ?? 0} connections on it`);
  await new Promise((resolve) => setTimeout(resolve, durationSec * 1000));
  const atStop = (await fleet.haproxy.stats()).find(isVictim);
  log(`fleet faults: SIGTERM to ${victim.name} (pid ${victim.server.pid}), ${atStop?.currentConnections ?? 0} connections on it`);
  await victim.server.stop();
  const summary = await load;
  const after = (await fleet.haproxy.stats()).find(isVictim);
  const r = summary.replies;
  return {
    clients: CLIENTS,
    durationSec: 3 * durationSec,
    drained: victim.name,
    connectionsAtDrain: atDrain?.currentConnections ?? 0,
    connectionsAtStop: atStop?.currentConnections ?? 0,
    newConnectionsAfterDrain: (after?.totalConnections ?? 0) - (atDrain?.totalConnections ?? 0),
    lost: { dropped: r.dropped, timeouts: r.timeouts, errors: r.errors + r.wrong, connectFailed: r.connectFailed },
    resent: summary.requests.resent,
    ok: r.ok,
    requestsPerSec: summary.requestsPerSec,
  };
}
