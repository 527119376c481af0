// "Which to use", measured: per scenario, the server with the most correct replies per second and the
// one with the lowest p99 for the light requests, each against the runner-up, with its peak memory.
// Only servers that served every client, right, compete: blocking's one served client has a fine p99.
// Where several come close on throughput (I/O wait caps them all at clients / delay), memory decides:
// the leanest within TIE_FRACTION of the best is named too.

import type { Model } from '../harness/peers.ts';
import type { ScenarioName } from './plan.ts';
import type { ScenarioEntry, ScenarioResult, ScenarioRun } from './run.ts';

export interface Pick {
  variant: string;
  model: Model;
  /** req/s, or the light requests' p99 in µs. */
  value: number;
  peakRssKb: number | null;
  runnerUp: { variant: string; value: number; peakRssKb: number | null } | null;
  /** How much better than the runner-up: req/s winner / runner-up, or p99 runner-up / winner. */
  factor: number | null;
}

/** Throughputs within this fraction of the best count as a tie. */
export const TIE_FRACTION = 0.05;

export interface ScenarioVerdict {
  scenario: ScenarioName;
  clients: number;
  byThroughput: Pick | null;
  byLightP99: Pick | null;
  /** The least peak RSS among those within TIE_FRACTION of the best req/s; null without /proc figures. */
  leanest: { variant: string; model: Model; requestsPerSec: number; peakRssKb: number; tiedWith: string[] } | null;
  /** Servers that could not compete, and why. */
  outOfRunning: { variant: string; reason: string }[];
  seedAdvice: string;
}

/** Why a run cannot win, or null when it can. */
export function disqualification(run: ScenarioRun): string | null {
  const r = run.replies;
  if (run.serverExited) return 'the server died';
  if (r.wrong + r.errors > 0) return `${r.wrong + r.errors} wrong replies`;
  if (r.dropped + r.connectFailed > 0) return `${r.dropped + r.connectFailed} dropped requests or failed connects`;
  if (run.clientsServed < run.clients) return `served ${run.clientsServed} of ${run.clients} clients`;
  if (run.lightUs.count === 0) return 'no light request answered';
  return null;
}

export function judgeScenario(result: ScenarioResult): ScenarioVerdict {
  const inRunning: ScenarioEntry[] = [];
  const outOfRunning: ScenarioVerdict['outOfRunning'] = [];
  for (const entry of result.entries) {
    const reason = disqualification(entry.run);
    if (reason === null) inRunning.push(entry);
    else outOfRunning.push({ variant: entry.variant, reason });
  }
  return {
    scenario: result.plan.name,
    clients: result.plan.clients,
    byThroughput: pick(inRunning, (e) => e.run.requestsPerSec, 'higher'),
    byLightP99: pick(inRunning, (e) => e.run.lightUs.p99, 'lower'),
    leanest: leanest(inRunning),
    outOfRunning,
    seedAdvice: result.plan.seedAdvice,
  };
}

function leanest(entries: readonly ScenarioEntry[]): ScenarioVerdict['leanest'] {
  const best = Math.max(0, ...entries.map((e) => e.run.requestsPerSec));
  const close = entries.filter((e) => e.run.requestsPerSec >= best * (1 - TIE_FRACTION) && e.run.server !== null);
  if (close.length === 0) return null;
  const lightest = [...close].sort((a, b) => a.run.server!.peakRssKb - b.run.server!.peakRssKb)[0]!;
  return {
    variant: lightest.variant,
    model: lightest.model,
    requestsPerSec: lightest.run.requestsPerSec,
    peakRssKb: lightest.run.server!.peakRssKb,
    tiedWith: close.filter((e) => e !== lightest).map((e) => e.variant),
  };
}

function pick(entries: readonly ScenarioEntry[], value: (e: ScenarioEntry) => number, better: 'higher' | 'lower'): Pick | null {
  if (entries.length === 0) return null;
  const sorted = [...entries].sort((a, b) => (better === 'higher' ? value(b) - value(a) : value(a) - value(b)));
  const [first, second] = sorted as [ScenarioEntry, ScenarioEntry | undefined];
  const rss = (e: ScenarioEntry): number | null => e.run.server?.peakRssKb ?? null;
  const v = value(first);
  let factor: number | null = null;
  if (second !== undefined) {
    const w = value(second);
    factor = better === 'higher' ? (w > 0 ? v / w : null) : (v > 0 ? w / v : null);
  }
  return {
    variant: first.variant,
    model: first.model,
    value: v,
    peakRssKb: rss(first),
    runnerUp: second === undefined ? null : { variant: second.variant, value: value(second), peakRssKb: rss(second) },
    factor,
  };
}
