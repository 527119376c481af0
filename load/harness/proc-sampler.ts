// Samples a process and its descendants: resident memory (summed), OS threads (summed) and CPU time,
// for the peak RSS, thread count and CPU % beside each benchmark point. The reads are common/proc.ts's
// (Linux only; elsewhere procAvailable() is false and callers say that sampling is off).

import { processTree, statUnits } from '../../common/proc.ts';

export interface TreeSample {
  atMs: number;
  processes: number;
  rssKb: number;
  threads: number;
  cpuSec: number;
}

export async function sampleTree(rootPid: number): Promise<TreeSample | null> {
  const tree = await processTree(rootPid);
  if (tree.length === 0) return null;
  const { ticksPerSec, pageBytes } = statUnits();
  let rssPages = 0;
  let threads = 0;
  let cpuTicks = 0;
  for (const stat of tree) {
    rssPages += stat.rssPages;
    threads += stat.threads;
    cpuTicks += stat.cpuTicks;
  }
  return {
    atMs: performance.now(),
    processes: tree.length,
    rssKb: Math.round((rssPages * pageBytes) / 1024),
    threads,
    cpuSec: cpuTicks / ticksPerSec,
  };
}

export interface SamplerSummary {
  samples: number;
  peakRssKb: number;
  peakThreads: number;
  peakProcesses: number;
  /** CPU time over wall time between the first and last sample; 100 is one core busy. */
  cpuPercent: number;
}

/** CPU % between two samples of the same tree. */
export function cpuPercentBetween(first: TreeSample, last: TreeSample): number {
  const wallSec = (last.atMs - first.atMs) / 1000;
  return wallSec > 0 ? Math.round(((last.cpuSec - first.cpuSec) / wallSec) * 1000) / 10 : 0;
}

/** Samples a process tree on an interval until stopped; keeps peaks, not the series. */
export class ProcSampler {
  readonly pid: number;
  readonly intervalMs: number;
  #first: TreeSample | null = null;
  #last: TreeSample | null = null;
  #samples = 0;
  #peak = { rssKb: 0, threads: 0, processes: 0 };
  #timer: NodeJS.Timeout | null = null;
  #pending: Promise<void> = Promise.resolve();

  constructor(pid: number, intervalMs = 100) {
    this.pid = pid;
    this.intervalMs = intervalMs;
  }

  /** Takes the first sample, then one every intervalMs. */
  async start(): Promise<void> {
    await this.#take();
    this.#timer = setInterval(() => {
      // One sample at a time: a slow /proc scan delays the next instead of piling up.
      this.#pending = this.#pending.then(() => this.#take());
    }, this.intervalMs);
  }

  /** Takes a last sample and returns the summary. */
  async stop(): Promise<SamplerSummary> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#pending;
    await this.#take();
    return {
      samples: this.#samples,
      peakRssKb: this.#peak.rssKb,
      peakThreads: this.#peak.threads,
      peakProcesses: this.#peak.processes,
      cpuPercent: this.#first !== null && this.#last !== null ? cpuPercentBetween(this.#first, this.#last) : 0,
    };
  }

  async #take(): Promise<void> {
    const sample = await sampleTree(this.pid);
    if (sample === null) return;
    this.#samples++;
    this.#first ??= sample;
    this.#last = sample;
    this.#peak.rssKb = Math.max(this.#peak.rssKb, sample.rssKb);
    this.#peak.threads = Math.max(this.#peak.threads, sample.threads);
    this.#peak.processes = Math.max(this.#peak.processes, sample.processes);
  }
}
