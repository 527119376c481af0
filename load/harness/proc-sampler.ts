// Samples a process and its descendants from Linux /proc: resident memory (summed), OS threads
// (summed) and CPU time, for the peak RSS, thread count and CPU % beside each benchmark point.
// Elsewhere /proc is absent and callers say that sampling is off.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

export function procAvailable(): boolean {
  return existsSync('/proc/self/stat');
}

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  rssPages: number;
}

/** Parses /proc/PID/stat. The command name, in parentheses, may itself hold spaces and parentheses. */
export function parseStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  // Fields after the name, numbered as in proc(5) from field 3 (state).
  const fields = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return {
    pid,
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    threads: field(20),
    rssPages: field(24),
  };
}

let systemUnits: { ticksPerSec: number; pageBytes: number } | undefined;

/** USER_HZ and the page size, asked of getconf once (100 and 4096 on every common Linux). */
function units(): { ticksPerSec: number; pageBytes: number } {
  if (systemUnits === undefined) {
    const ask = (name: string, fallback: number): number => {
      try {
        const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2_000 }).trim());
        return Number.isFinite(value) && value > 0 ? value : fallback;
      } catch {
        return fallback;
      }
    };
    systemUnits = { ticksPerSec: ask('CLK_TCK', 100), pageBytes: ask('PAGESIZE', 4096) };
  }
  return systemUnits;
}

async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone between listing and reading
  }
}

/** The process and every descendant still running; empty when the process is gone. */
export async function readTree(rootPid: number): Promise<ProcStat[]> {
  const root = await readStat(rootPid);
  if (root === null) return [];
  const entries = await readdir('/proc');
  const stats = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name) && Number(name) !== rootPid).map((name) => readStat(Number(name))),
  );
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    if (stat === null) continue;
    const siblings = children.get(stat.ppid);
    if (siblings === undefined) children.set(stat.ppid, [stat]);
    else siblings.push(stat);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
  return tree;
}

export interface TreeSample {
  atMs: number;
  processes: number;
  rssKb: number;
  threads: number;
  cpuSec: number;
}

export async function sampleTree(rootPid: number): Promise<TreeSample | null> {
  const tree = await readTree(rootPid);
  if (tree.length === 0) return null;
  const { ticksPerSec, pageBytes } = units();
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
