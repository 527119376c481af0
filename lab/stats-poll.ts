// A server's own figures for the lab, from its GET /stats (docs/telemetry.md) four times a second:
// OS threads, RSS, and the worst delay of the loops that serve its clients. A poll that fails or is
// slow is skipped; the page then shows the last figures it had.

import type { Stats, ThreadStats } from '../servers/shared/telemetry/stats.ts';

/** As often as the server's threads take their snapshots (250 ms). */
const POLL_MS = 250;
const ASK_TIMEOUT_MS = 1_000;

export interface ServerFigures {
  /** OS threads of the answering process (processes' and cluster's children are not counted). */
  osThreads: number | null;
  /** RSS of the server and its child processes. */
  rssBytes: number;
  /** The worst p99 of its serving loops over the last interval, ms late. */
  loopDelayMs: number;
}

/**
 * The threads whose loops serve clients: threads' Workers, processes' children and cluster's workers;
 * elsewhere the main loop (a pool's converting threads are busy by design, and not counted). The same
 * rule as the scenarios' (load/scenario/serving-loops.ts), over /stats itself.
 */
const SERVING_KINDS = new Set(['worker', 'child', 'cluster-worker']);

function servingLoopDelayMs(threads: readonly ThreadStats[]): number {
  const serving = threads.some((t) => SERVING_KINDS.has(t.kind)) ? threads.filter((t) => SERVING_KINDS.has(t.kind)) : threads.filter((t) => t.kind === 'main');
  return Math.max(0, ...serving.map((t) => t.recentDelayMs.p99));
}

export class StatsPoll {
  latest: ServerFigures | null = null;
  #url: string;
  #stopped = false;
  #timer: NodeJS.Timeout | null = null;
  #asking: AbortController | null = null;

  constructor(host: string, statsPort: number) {
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${statsPort}/stats`;
    this.#next(0);
  }

  /** Idempotent; a poll in flight is aborted. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#asking?.abort();
  }

  #next(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#ask(), delayMs);
  }

  async #ask(): Promise<void> {
    this.#asking = new AbortController();
    try {
      const response = await fetch(this.#url, { signal: AbortSignal.any([this.#asking.signal, AbortSignal.timeout(ASK_TIMEOUT_MS)]) });
      if (response.ok) {
        const stats = (await response.json()) as Stats;
        this.latest = { osThreads: stats.osThreads, rssBytes: stats.rssBytes, loopDelayMs: servingLoopDelayMs(stats.threads) };
      }
    } catch {
      // refused (restarting), aborted (stopping) or slow: the next poll tries again
    }
    this.#next(POLL_MS);
  }
}
