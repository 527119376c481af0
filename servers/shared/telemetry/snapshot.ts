// What one thread or process says about itself, as sent over a message channel and shown in /stats.

import type { ThreadCounters } from './counters.ts';

/** Event-loop delay in milliseconds, the sampling resolution already subtracted. */
export interface DelaySummary {
  p50: number;
  p99: number;
  max: number;
}

export interface ThreadSnapshot {
  /** `main`, `worker`, `pool`, `child`, `cluster-worker`: what the thread is for. */
  kind: string;
  /** Unique within the server: `main`, `thread 3`, `process 1234`. */
  id: string;
  pid: number;
  threadId: number;
  /** Since this thread started its monitor. */
  delay: DelaySummary;
  /** Over the last interval only (about 250 ms). */
  recentDelay: DelaySummary;
  /** Event-loop utilisation over the last interval: 0 idle, 1 never idle. */
  utilisation: number;
  /** Over the thread's whole life since its monitor started. */
  utilisationTotal: number;
  counters: ThreadCounters;
  /** A process's own resident memory (child processes and cluster workers); null for a thread. */
  rssBytes: number | null;
  /**
   * The thread waits for a client (a threads Worker kept as a spare) and has stopped reporting until
   * it gets one, so its entry is not stale however old (ThreadReporter.pause).
   */
  paused?: boolean;
}

/** The main thread's count of units (threads, processes) by state, where the model has units. */
export interface UnitCounts {
  starting: number;
  serving: number;
  idle: number;
  /** Clients waiting for a unit, unread. */
  waiting: number;
}
