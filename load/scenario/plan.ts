// The three workloads of `npm run scenario`: what each asks of the servers (their flags),
// what load it sends (clients, --mix), how long, and the tutorials' advice it tests. Plain data.

import type { MixEntry } from '../harness/mix.ts';
import type { Model } from '../harness/peers.ts';

export const SCENARIO_NAMES = ['io', 'cpu', 'mixed'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The I/O wait of the io and mixed scenarios: each reply waits this long on a timer (--delay-ms). */
const SCENARIO_DELAY_MS = 20;
/** The big numbers of the cpu and mixed scenarios: about 0.1 s of CPU each. */
const HEAVY_DIGITS = 1_000_000;

export interface ScenarioPlan {
  name: ScenarioName;
  /** One line: what the workload is. */
  title: string;
  /** Added to every server's command line. */
  serverFlags: string[];
  /** The servers' --max-digits, which the load tester must know to expect the right replies. */
  maxDigits: number;
  /** Empty: only light numbers. */
  mix: MixEntry[];
  clients: number;
  durationSec: number;
  /** Before measuring; stretched per model by warmupFor(). */
  warmupSec: number;
  /** Also run each server without the mix, to show what the heavy requests cost the light ones. */
  baseline: boolean;
  timeoutMs: number;
  /** What the asyncio tutorials advise for this kind of load (their "Which to use?" tables). */
  seedAdvice: string;
}

export interface PlanOverrides {
  clients?: number | undefined;
  durationSec?: number | undefined;
  warmupSec?: number | undefined;
}

/**
 * Longer than any scenario run, so a client waiting for its thread or process to start is never
 * timed out and reconnected (which would start another); blocking's waiting clients simply wait.
 */
const SCENARIO_TIMEOUT_MS = 60_000;

/**
 * Measured seconds per run. Quick runs of cpu and mixed get 3 s, not 2: where a big number takes a
 * second or two to come back, a 2 s window can end before some client's first reply.
 */
function durationFor(name: ScenarioName, quick: boolean): number {
  if (!quick) return 4;
  return name === 'io' ? 2 : 3;
}

export function scenarioPlan(name: ScenarioName, quick: boolean, overrides: PlanOverrides = {}): ScenarioPlan {
  const durationSec = overrides.durationSec ?? durationFor(name, quick);
  const warmupSec = overrides.warmupSec ?? (quick ? 0.5 : 1);
  const common = { durationSec, warmupSec, timeoutMs: SCENARIO_TIMEOUT_MS };
  switch (name) {
    case 'io':
      return {
        ...common,
        name,
        title: `I/O wait: every reply waits ${SCENARIO_DELAY_MS} ms on a timer, as if on a database (--delay-ms ${SCENARIO_DELAY_MS})`,
        serverFlags: ['--delay-ms', String(SCENARIO_DELAY_MS)],
        maxDigits: 4300,
        mix: [],
        clients: overrides.clients ?? (quick ? 50 : 100),
        baseline: false,
        seedAdvice: 'I/O bound: threading at low concurrency, asyncio (an event loop) at high concurrency',
      };
    case 'cpu':
      return {
        ...common,
        name,
        title: `CPU work: 1% of requests are ${HEAVY_DIGITS.toLocaleString('en-US')}-digit numbers (about 0.1 s of CPU each), the rest small`,
        serverFlags: ['--max-digits', String(HEAVY_DIGITS)],
        maxDigits: HEAVY_DIGITS,
        mix: [{ percent: 1, digits: HEAVY_DIGITS }],
        clients: overrides.clients ?? 20,
        baseline: true,
        seedAdvice: 'CPU bound: multiprocessing (or free-threaded Python)',
      };
    case 'mixed':
      return {
        ...common,
        name,
        title: `Both: every reply waits ${SCENARIO_DELAY_MS} ms on I/O, and 0.5% of requests are ${HEAVY_DIGITS.toLocaleString('en-US')}-digit numbers`,
        serverFlags: ['--delay-ms', String(SCENARIO_DELAY_MS), '--max-digits', String(HEAVY_DIGITS)],
        maxDigits: HEAVY_DIGITS,
        mix: [{ percent: 0.5, digits: HEAVY_DIGITS }],
        clients: overrides.clients ?? (quick ? 30 : 50),
        baseline: true,
        seedAdvice: 'asyncio, with the CPU-bound part sent to a pool (run_in_executor / ProcessPoolExecutor)',
      };
  }
}

/**
 * Seconds a model needs per client before that client is first served, measured here on 2 cores
 * shared with other work (npm run overhead): a child process per client (100 clients took 13 s
 * to all get a first reply), a Worker per client (50-110 ms each when the cores are busy).
 */
const START_SEC_PER_CLIENT: Partial<Record<Model, number>> = { processes: 0.2, threads: 0.1 };
const MAX_WARMUP_SEC = 30;

/** The warm-up for a model: long enough that every client's thread or process is up before measuring. */
export function warmupFor(plan: Pick<ScenarioPlan, 'warmupSec' | 'clients'>, model: Model): number {
  const perClient = START_SEC_PER_CLIENT[model] ?? 0;
  return Math.max(plan.warmupSec, Math.min(MAX_WARMUP_SEC, Math.round(plan.clients * perClient * 10) / 10));
}
