// GET /stats: the hub's figures as JSON. Counts and timings only: no client address is ever kept in a
// snapshot, so none can leak here (docs/telemetry.md lists every field).

import { readStatusSync } from '../../../common/proc.ts';
import type { Variant } from '../options.ts';
import type { TelemetryHub } from './hub.ts';
import type { ThreadCounters } from './counters.ts';
import { residentBytes } from './resident.ts';
import type { DelaySummary, UnitCounts } from './snapshot.ts';
import { DELAY_RESOLUTION_MS, SNAPSHOT_INTERVAL_MS } from './thread-monitor.ts';

export interface ThreadStats {
  kind: string;
  id: string;
  pid: number;
  threadId: number;
  stale: boolean;
  /** A threads Worker waiting for its next client: it stopped sampling, so its figures are as it left them. */
  paused: boolean;
  ageMs: number;
  delayMs: DelaySummary;
  recentDelayMs: DelaySummary;
  utilisation: number;
  utilisationTotal: number;
  counters: ThreadCounters;
  rssBytes: number | null;
}

export interface Stats {
  server: 'hexd';
  variant: Variant;
  pid: number;
  uptimeSeconds: number;
  /** The answering process's RSS plus each child process's or cluster worker's own. */
  rssBytes: number;
  /** OS threads of the answering process (/proc/self/status). */
  osThreads: number | null;
  intervalMs: number;
  resolutionMs: number;
  units: UnitCounts | null;
  threads: ThreadStats[];
  totals: {
    threads: number;
    stale: number;
    counters: ThreadCounters;
    /** The worst delay of any thread, since it started. */
    delayMaxMs: number;
    /** The worst p99 of any thread over the last interval. */
    recentDelayP99Ms: number;
    utilisationMin: number;
    utilisationMax: number;
    utilisationMean: number;
  };
}

export function buildStats(hub: TelemetryHub, variant: Variant): Stats {
  const entries = hub.entries();
  const threads = entries.map(({ snapshot: s, ageMs, stale }): ThreadStats => ({
    kind: s.kind,
    id: s.id,
    pid: s.pid,
    threadId: s.threadId,
    stale,
    paused: s.paused === true,
    ageMs,
    delayMs: s.delay,
    recentDelayMs: s.recentDelay,
    utilisation: s.utilisation,
    utilisationTotal: s.utilisationTotal,
    counters: s.counters,
    rssBytes: s.rssBytes,
  }));
  const counters: ThreadCounters = { connectionsOpen: 0, ...hub.retired };
  for (const thread of threads) {
    for (const key of Object.keys(counters) as (keyof ThreadCounters)[]) counters[key] += thread.counters[key];
  }
  const utilisations = threads.map((t) => t.utilisation);
  const own = residentBytes();
  const others = threads.reduce((sum, t) => sum + (t.pid !== process.pid ? (t.rssBytes ?? 0) : 0), 0);
  return {
    server: 'hexd',
    variant,
    pid: process.pid,
    uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
    rssBytes: own + others,
    osThreads: readStatusSync('self')?.threads ?? null,
    intervalMs: SNAPSHOT_INTERVAL_MS,
    resolutionMs: DELAY_RESOLUTION_MS,
    units: hub.units,
    threads,
    totals: {
      threads: threads.length,
      stale: threads.filter((t) => t.stale).length,
      counters,
      delayMaxMs: Math.max(0, ...threads.map((t) => t.delayMs.max)),
      recentDelayP99Ms: Math.max(0, ...threads.map((t) => t.recentDelayMs.p99)),
      utilisationMin: utilisations.length === 0 ? 0 : Math.min(...utilisations),
      utilisationMax: utilisations.length === 0 ? 0 : Math.max(...utilisations),
      utilisationMean: utilisations.length === 0 ? 0 : Math.round((utilisations.reduce((a, b) => a + b, 0) / utilisations.length) * 1000) / 1000,
    },
  };
}
