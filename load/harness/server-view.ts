// The server's own view of a run, beside the client's: a hexd server answers GET /stats on its
// --stats-port (docs/telemetry.md), and this polls it every SNAPSHOT interval while the load runs.
// A server that does not answer (the blog's Python servers, --no-telemetry, a remote one) is simply
// not watched: the run goes on without it.

import type { Stats } from '../../servers/shared/telemetry/stats.ts';

/** As often as the server's threads take snapshots (servers/shared/telemetry/thread-monitor.ts). */
const POLL_MS = 250;
/** A /stats that takes longer than this is not worth waiting for: the poll is skipped. */
const ASK_TIMEOUT_MS = 1_000;

interface ThreadView {
  kind: string;
  id: string;
  /** Mean of its utilisation over the polls that saw it fresh. */
  utilisation: number;
  /** The largest p99 of any interval, in ms, resolution subtracted. */
  delayP99Ms: number;
  /** The largest delay of any interval, in ms. */
  delayMaxMs: number;
  /** Polls that found its snapshot stale (the thread sent nothing for two intervals). */
  stalePolls: number;
}

export interface ServerView {
  /** Where the figures came from. */
  statsUrl: string;
  variant: string;
  polls: number;
  /** Over the run: the largest per-interval p99 and max of any thread. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The serving threads' mean utilisation: the mean over them, and the spread (least and most busy). */
  utilisation: { mean: number; min: number; max: number };
  /** Replies the server counted during the run (its totals at the end less at the start). */
  serverReplies: number;
  /** Most OS threads of the answering process seen. */
  osThreadsMax: number | null;
  threads: ThreadView[];
}

export interface ServerWatch {
  /** Stops polling and summarises what was seen. */
  stop(): Promise<ServerView>;
}

async function ask(url: string): Promise<Stats | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (!response.ok) return null;
    const stats = (await response.json()) as Stats;
    return stats.server === 'hexd' ? stats : null;
  } catch {
    return null;
  }
}

/** Starts watching the server's /stats; null when it does not answer as hexd. */
export async function watchServer(host: string, statsPort: number): Promise<ServerWatch | null> {
  if (statsPort === 0) return null;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${statsPort}/stats`;
  const first = await ask(url);
  if (first === null) return null;
  const polls: Stats[] = [];
  let polling = true;
  let last = first;
  const loop = (async () => {
    while (polling) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS)); // the poll's pace
      const stats = await ask(url);
      if (stats !== null) {
        polls.push(stats);
        last = stats;
      }
    }
  })();
  return {
    async stop() {
      polling = false;
      await loop;
      const final = (await ask(url)) ?? last;
      return summariseView(url, first, [...polls, final]);
    },
  };
}

/** What the polls say. */
function summariseView(url: string, first: Stats, polls: readonly Stats[]): ServerView {
  const byThread = new Map<string, ThreadView & { sum: number; fresh: number }>();
  for (const stats of polls) {
    for (const t of stats.threads) {
      const view = byThread.get(t.id) ?? { kind: t.kind, id: t.id, utilisation: 0, delayP99Ms: 0, delayMaxMs: 0, stalePolls: 0, sum: 0, fresh: 0 };
      if (t.stale) view.stalePolls++;
      else {
        view.sum += t.utilisation;
        view.fresh++;
      }
      view.delayP99Ms = Math.max(view.delayP99Ms, t.recentDelayMs.p99);
      view.delayMaxMs = Math.max(view.delayMaxMs, t.recentDelayMs.max);
      byThread.set(t.id, view);
    }
  }
  const threads = Array.from(byThread.values(), ({ sum, fresh, ...view }) => ({ ...view, utilisation: round(fresh === 0 ? 0 : sum / fresh) }));
  // The threads that serve or convert; the answering thread only answers on threads, processes and cluster.
  const serving = threads.filter((t) => t.kind !== 'primary' && !(t.kind === 'main' && threads.some((o) => o.kind === 'worker' || o.kind === 'child')));
  const utilisations = serving.map((t) => t.utilisation);
  const end = polls.at(-1) ?? first;
  return {
    statsUrl: url,
    variant: first.variant,
    polls: polls.length,
    loopDelayP99Ms: Math.max(0, ...threads.map((t) => t.delayP99Ms)),
    loopDelayMaxMs: Math.max(0, ...threads.map((t) => t.delayMaxMs)),
    utilisation: {
      mean: round(utilisations.length === 0 ? 0 : utilisations.reduce((a, b) => a + b, 0) / utilisations.length),
      min: utilisations.length === 0 ? 0 : Math.min(...utilisations),
      max: utilisations.length === 0 ? 0 : Math.max(...utilisations),
    },
    serverReplies: end.totals.counters.replies - first.totals.counters.replies,
    osThreadsMax: polls.reduce<number | null>((most, s) => (s.osThreads === null ? most : Math.max(most ?? 0, s.osThreads)), null),
    threads,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
