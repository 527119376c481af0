// Runs a whole load test: splits the connections among threads (this one when --workers is 1),
// measures CPU on both sides, and merges what the threads found into one summary.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { watchServer } from './server-view.ts';
import type { FromWorker, SliceResult, SliceSpec, ToWorker } from './messages.ts';
import { checkMixDigits, prepareMix, type PreparedMix } from './mix.ts';
import { runLimitMs, type LoadOptions } from './load-options.ts';
import { sampleTree, cpuPercentBetween, type TreeSample } from './proc-sampler.ts';
import { procAvailable } from '../../common/proc.ts';
import { shareOfSlice, splitEvenly } from './schedule.ts';
import { runSlice } from './slice.ts';
import { summarize, type LoadSummary } from './summary.ts';
import type { ErrorCode } from '../../common/errors.ts';

const WORKER_URL = new URL('./worker.ts', import.meta.url);

/** A load worker holds a few kilobytes per connection; these limits leave room for 100,000. */
const WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
/** How long past its own limit a worker may take to report before it is terminated. */
const WORKER_GRACE_MS = 5_000;

export interface RunHooks {
  /** Replies so far across all threads, every quarter second. */
  onProgress?: (replies: number) => void;
  /** Stops the run early; the summary covers what was done. */
  signal?: AbortSignal;
  /**
   * Each correct reply as it arrives: the client's index in the run and the latency. Called on this
   * thread, so only for a run on this thread (workers: 1); a run split over worker threads refuses it.
   */
  onReply?: (client: number, latencyMs: number) => void;
}

export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  readonly code = 'HEXD_LOAD_WORKER_FAILED' satisfies ErrorCode;
}

/** The slices of a run: consecutive connections per thread, each with its share of -n in closed loop. */
function planSlices(options: LoadOptions, mix: PreparedMix | null = null): SliceSpec[] {
  return splitEvenly(options.connections, options.workers).map((slice) => ({
    options,
    slice,
    budget: options.requests !== null && options.rate === null
      ? shareOfSlice(options.requests, options.connections, slice)
      : null,
    mix,
  }));
}

export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<LoadSummary> {
  // Big numbers and their replies are computed here, once, before anything is timed.
  checkMixDigits(options.mix ?? [], options.maxDigits);
  if (hooks.onReply !== undefined && options.workers > 1) throw new Error('runLoad: onReply needs a run on this thread (workers: 1)');
  const specs = planSlices(options, prepareMix(options.mix ?? []));
  // The server's own view (its /stats), when it answers: asked now, polled through the run.
  const watch = await watchServer(options.target.host, options.statsPort);
  const startedAt = new Date();
  // CPU is measured over the window throughput is: from when every thread has built its requests
  // and warmed up (a pool of 65,536 big numbers takes a good part of a second, the server idle).
  let window = startWindow(options.serverPid);
  let measuring = 0;
  const onMeasuring = (): void => {
    if (++measuring === specs.length) window = startWindow(options.serverPid);
  };

  let results: SliceResult[];
  if (specs.length === 1) {
    results = [await runSlice(specs[0]!, { ...hooks, onMeasuring })];
  } else {
    const progress = Array.from({ length: specs.length }, () => 0);
    results = await Promise.all(specs.map((spec, i) => runWorker(spec, {
      onProgress: (replies) => {
        progress[i] = replies;
        hooks.onProgress?.(progress.reduce((a, b) => a + b, 0));
      },
      onMeasuring,
      signal: hooks.signal,
    })));
  }

  const { cpuBefore, at, serverBefore } = window;
  const cpuMs = performance.now() - at;
  const cpu = process.cpuUsage(cpuBefore);
  // Throughput is over the measured window: each thread's, which leaves out any warm-up.
  const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
  const serverAfter = await sampleServer(options.serverPid);
  const serverStart = await serverBefore;
  const summary = summarize(options, results, {
    startedAt,
    elapsedMs,
    testerCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / cpuMs) * 1000) / 10,
    serverCpuPercent: serverStart !== null && serverAfter !== null ? cpuPercentBetween(serverStart, serverAfter) : null,
  });
  if (watch !== null) summary.server = await watch.stop();
  return summary;
}

/** Where a CPU window starts: this process's CPU time and the server's (its sample read from /proc). */
function startWindow(serverPid: number | null): { cpuBefore: NodeJS.CpuUsage; at: number; serverBefore: Promise<TreeSample | null> } {
  return { cpuBefore: process.cpuUsage(), at: performance.now(), serverBefore: sampleServer(serverPid).catch(() => null) };
}

async function sampleServer(pid: number | null): Promise<TreeSample | null> {
  if (pid === null || !procAvailable()) return null;
  return sampleTree(pid);
}

interface WorkerHooks {
  onProgress: (replies: number) => void;
  onMeasuring: () => void;
  signal: AbortSignal | undefined;
}

/** Runs one slice in a worker thread; a worker that fails or overstays becomes a rejection, never a hang. */
function runWorker(spec: SliceSpec, hooks: WorkerHooks): Promise<SliceResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: spec, resourceLimits: WORKER_LIMITS });
    let settled = false;
    const stop = (): void => worker.postMessage({ type: 'stop' } satisfies ToWorker);
    hooks.signal?.addEventListener('abort', stop, { once: true });
    const overdue = setTimeout(() => {
      fail(new WorkerFailedError(`load worker ${worker.threadId} did not report within ${runLimitMs(spec.options) + WORKER_GRACE_MS} ms`));
      void worker.terminate();
    }, runLimitMs(spec.options) + WORKER_GRACE_MS);

    function finish(): void {
      settled = true;
      clearTimeout(overdue);
      hooks.signal?.removeEventListener('abort', stop);
    }
    function fail(err: Error): void {
      if (settled) return;
      finish();
      reject(err);
    }

    worker.on('message', (message: FromWorker) => {
      if (message.type === 'progress') hooks.onProgress(message.replies);
      else if (message.type === 'measuring') hooks.onMeasuring();
      else if (message.type === 'failed') fail(new WorkerFailedError(`load worker failed: ${message.message}`));
      else if (!settled) {
        finish();
        resolve(message.result);
      }
    });
    worker.on('error', (err: Error) => fail(new WorkerFailedError(`load worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new WorkerFailedError(`load worker exited (code ${code}) before reporting`)));
  });
}
