// A server's own figures for the lab, from its GET /stats (docs/telemetry.md) four times a second:
// OS threads, RSS, and the worst loop delay of any of its threads. A poll that fails or is slow is
// skipped; the page then shows the last figures it had.

import type { Stats } from '../servers/shared/telemetry/stats.ts';

/** As often as the server's threads take their snapshots (250 ms). */
const POLL_MS = 250;
const ASK_TIMEOUT_MS = 1_000;

export interface ServerFigures {
  /** OS threads of the answering process (processes' and cluster's children are not counted). */
  osThreads: number | null;
  /** RSS of the server and its child processes. */
  rssBytes: number;
  /** The worst p99 of any of its threads over the last interval, ms late. */
  loopDelayMs: number;
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
        this.latest = { osThreads: stats.osThreads, rssBytes: stats.rssBytes, loopDelayMs: stats.totals.recentDelayP99Ms };
      }
    } catch {
      // refused (restarting), aborted (stopping) or slow: the next poll tries again
    }
    this.#next(POLL_MS);
  }
}
