// Runs one thread's share of the connections to the end: opens them (paced by --connect-rate), sweeps
// for timeouts, stops them at the deadline, and returns counters and encoded histograms. The main
// thread calls it directly when there is one worker; each worker thread calls it otherwise.

import { LoadConnection, type ConnectionContext } from './connection.ts';
import { RequestPool, numberPoolSize, randomNumbers } from './checker.ts';
import { createHistogram, encodeHistogram } from './histogram.ts';
import { mixedRequestPool } from './mix.ts';
import { runLimitMs } from './load-options.ts';
import { RequestBudget } from './schedule.ts';
import { emptyTally, repliesOf, resetRequestCounters, type Problem } from './tally.ts';
import type { SliceResult, SliceSpec } from './messages.ts';

const PROGRESS_INTERVAL_MS = 250;
/** How often timeouts are looked for; a timeout fires up to this much late. */
const MAX_SWEEP_INTERVAL_MS = 100;

export interface SliceHooks {
  /** Replies so far, every quarter second. */
  onProgress?: (replies: number) => void;
  /** Ends the run early (the results so far are still returned). */
  signal?: AbortSignal;
  /** Each correct reply: which client (its index in the run) and its latency. */
  onReply?: (client: number, latencyMs: number) => void;
  /** The measured window starts now: the request pool is built and any warm-up is over. */
  onMeasuring?: () => void;
}

export function runSlice(spec: SliceSpec, hooks: SliceHooks = {}): Promise<SliceResult> {
  const { options, slice } = spec;
  const tally = emptyTally();
  const problems: Problem[] = [];
  const latency = createHistogram();
  const connectTime = createHistogram();
  const pool = spec.mix == null
    ? new RequestPool(randomNumbers(numberPoolSize(options.digits), options.digits), options.maxDigits)
    : mixedRequestPool(spec.mix, options.maxDigits, options.digits);
  const classLatency = spec.mix == null ? null : Array.from({ length: pool.classes }, () => createHistogram());
  const classNotOk = classLatency === null ? null : Array.from({ length: classLatency.length }, () => 0);
  let measuredFrom = performance.now();
  const connections: LoadConnection[] = [];
  const timers: NodeJS.Timeout[] = [];
  let finished = 0;
  let settle!: (result: SliceResult) => void;
  const result = new Promise<SliceResult>((resolve) => {
    settle = resolve;
  });

  const ctx: ConnectionContext = {
    options,
    pool,
    tally,
    latency,
    connectTime,
    classLatency,
    classNotOk,
    budget: new RequestBudget(spec.budget ?? Number.POSITIVE_INFINITY),
    problems,
    onReply: hooks.onReply,
    done() {
      finished++;
      if (finished === connections.length) end();
    },
  };

  function stopAll(): void {
    const now = performance.now();
    for (const connection of connections) connection.stop(now);
  }

  function end(): void {
    for (const timer of timers) clearTimeout(timer);
    hooks.signal?.removeEventListener('abort', stopAll);
    settle({
      tally,
      latencyHdr: encodeHistogram(latency),
      connectHdr: encodeHistogram(connectTime),
      okPerClient: connections.map((c) => c.okReplies),
      problems,
      elapsedMs: performance.now() - measuredFrom,
      classes: classLatency === null
        ? null
        : classLatency.map((h, i) => ({ latencyHdr: encodeHistogram(h), notOk: classNotOk![i]! })),
    });
  }

  for (let i = 0; i < slice.count; i++) connections.push(new LoadConnection(ctx, slice.start + i));
  if (connections.length === 0) {
    end();
    return result;
  }

  timers.push(setTimeout(stopAll, runLimitMs(options)));
  if (options.warmupSec > 0) {
    // Measuring starts now: what the warm-up saw is forgotten, the connections and their schedules go on.
    timers.push(setTimeout(() => {
      resetRequestCounters(tally);
      latency.reset();
      for (const histogram of classLatency ?? []) histogram.reset();
      classNotOk?.fill(0);
      problems.length = 0;
      for (const connection of connections) connection.okReplies = 0;
      measuredFrom = performance.now();
      hooks.onMeasuring?.();
    }, options.warmupSec * 1000));
  } else hooks.onMeasuring?.();
  const sweepMs = Math.max(1, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(options.timeoutMs / 4)));
  timers.push(setInterval(() => {
    const now = performance.now();
    for (const connection of connections) connection.sweep(now);
  }, sweepMs));
  if (hooks.onProgress !== undefined) {
    const report = hooks.onProgress;
    timers.push(setInterval(() => report(repliesOf(tally)), PROGRESS_INTERVAL_MS));
  }
  if (hooks.signal?.aborted) queueMicrotask(stopAll);
  else hooks.signal?.addEventListener('abort', stopAll, { once: true });

  // Connection i of the whole run opens at i / connect-rate seconds, whichever thread runs it.
  const connectRate = options.connectRate;
  for (const connection of connections) {
    if (connectRate === null) connection.connect();
    else {
      const delayMs = (connection.index * 1000) / connectRate;
      if (delayMs < 1) connection.connect();
      else timers.push(setTimeout(() => connection.connect(), delayMs));
    }
  }
  return result;
}
