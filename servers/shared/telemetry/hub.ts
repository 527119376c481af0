// The answering process's view: its own thread's monitor, and the last snapshot each Worker, child or
// cluster worker sent. Reading it never waits for anyone: a thread whose last snapshot is older than
// STALE_AFTER_MS is shown as it was, marked stale.

import { performance } from 'node:perf_hooks';
import { SNAPSHOT_INTERVAL_MS, ThreadMonitor, afterTimers } from './thread-monitor.ts';
import { threadCounters, type ThreadCounters } from './counters.ts';
import type { ThreadSnapshot, UnitCounts } from './snapshot.ts';

/** Two intervals without news: the thread is busy, stuck, or its messages are queued behind work. */
const STALE_AFTER_MS = 2 * SNAPSHOT_INTERVAL_MS;

export interface HubEntry {
  snapshot: ThreadSnapshot;
  /** Milliseconds since the snapshot arrived. */
  ageMs: number;
  stale: boolean;
}

type Retired = Omit<ThreadCounters, 'connectionsOpen'>;

export class TelemetryHub {
  #own: ThreadMonitor | undefined;
  #ownSnapshot: ThreadSnapshot | undefined;
  #ownAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #remote = new Map<string, { snapshot: ThreadSnapshot; at: number }>();
  #units: (() => UnitCounts) | undefined;
  /** What threads and processes that are gone had counted, so totals never go backwards. */
  readonly retired: Retired = { connectionsTotal: 0, replies: 0, errorReplies: 0, bytesIn: 0, bytesOut: 0, conversions: 0 };

  get enabled(): boolean {
    return this.#own !== undefined;
  }

  /** Starts this thread's own monitor (the thread that answers /stats). */
  start(kind: string): void {
    if (this.#own !== undefined) return;
    const own = new ThreadMonitor(kind, 'main', true);
    this.#own = own;
    const take = (): void => {
      if (this.#own !== own) return; // stopped meanwhile
      this.#ownSnapshot = own.snapshot();
      this.#ownAt = performance.now();
    };
    take();
    this.#timer = setInterval(() => afterTimers(take), SNAPSHOT_INTERVAL_MS).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#own?.stop();
    this.#own = undefined;
  }

  /** A snapshot a Worker, child or cluster worker sent. */
  report(snapshot: ThreadSnapshot): void {
    this.#remote.set(snapshot.id, { snapshot, at: performance.now() });
  }

  /** A thread or process has gone: its figures leave, its counts stay in the totals. */
  forget(id: string): void {
    const gone = this.#remote.get(id);
    if (gone === undefined) return;
    this.#remote.delete(id);
    const { connectionsOpen: _open, ...counted } = gone.snapshot.counters;
    for (const key of Object.keys(counted) as (keyof Retired)[]) this.retired[key] += counted[key];
  }

  /** How the model counts its threads or processes by state (threads, processes). */
  countUnits(units: () => UnitCounts): void {
    this.#units = units;
  }

  get units(): UnitCounts | null {
    return this.#units?.() ?? null;
  }

  entries(): HubEntry[] {
    const now = performance.now();
    const entry = (snapshot: ThreadSnapshot, at: number): HubEntry => ({
      snapshot,
      ageMs: Math.round(now - at),
      stale: snapshot.paused !== true && now - at > STALE_AFTER_MS,
    });
    // This thread's counters are read live; its delay and utilisation are the last interval's.
    const own = this.#ownSnapshot === undefined ? [] : [entry({ ...this.#ownSnapshot, counters: { ...threadCounters } }, this.#ownAt)];
    return [...own, ...Array.from(this.#remote.values(), ({ snapshot, at }) => entry(snapshot, at))];
  }
}

/** This process's hub: the server's main thread (or cluster's primary) reports into it. */
export const telemetryHub = new TelemetryHub();
