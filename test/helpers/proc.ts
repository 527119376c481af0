// What a server process costs: resident memory, open file descriptors and OS threads of a pid plus
// every descendant process (read through common/proc.ts), for tests that must measure the serving
// process itself (a child started by spawnServer), never the test runner.

import { fdCount, processTree, readStatus } from '../../common/proc.ts';

export interface ProcUsage {
  /** VmRSS summed over the process tree. */
  rssKb: number;
  /** Entries of /proc/PID/fd summed over the tree. */
  fds: number;
  /** OS threads (the `Threads:` line of /proc/PID/status) summed over the tree. */
  threads: number;
  /** Processes in the tree: the pid and its descendants still running. */
  processes: number;
}

/** RSS, fds and threads of the pid and its descendants. Throws if the pid itself is gone. */
export async function procUsage(pid: number): Promise<ProcUsage> {
  const tree = await processTree(pid);
  if (tree.length === 0) throw new Error(`process ${pid} is gone`);
  const usage: ProcUsage = { rssKb: 0, fds: 0, threads: 0, processes: 0 };
  await Promise.all(tree.map(async ({ pid: member }) => {
    const [status, fds] = await Promise.all([readStatus(member), fdCount(member)]);
    if (status === null) return;
    usage.rssKb += status.vmRssKb ?? 0; // a zombie has no VmRSS
    usage.threads += status.threads;
    usage.fds += fds;
    usage.processes++;
  }));
  return usage;
}

/** The OS threads of one process (not its descendants), this one by default. Throws if it is gone. */
export async function threadCount(pid: number = process.pid): Promise<number> {
  const status = await readStatus(pid);
  if (status === null) throw new Error(`process ${pid} is gone`);
  return status.threads;
}

/** Samples a process tree's RSS on an interval and keeps the peak, until stopped. */
export class RssPeak {
  readonly pid: number;
  readonly intervalMs: number;
  peakKb = 0;
  samples = 0;
  #timer: NodeJS.Timeout | undefined;
  #taking: Promise<void> = Promise.resolve();

  private constructor(pid: number, intervalMs: number) {
    this.pid = pid;
    this.intervalMs = intervalMs;
  }

  /** Takes a first sample at once, then one every intervalMs (one at a time, never piling up). */
  static async start(pid: number, intervalMs = 25): Promise<RssPeak> {
    const sampler = new RssPeak(pid, intervalMs);
    await sampler.#take();
    sampler.#timer = setInterval(() => {
      sampler.#taking = sampler.#taking.then(() => sampler.#take());
    }, intervalMs);
    return sampler;
  }

  /** Takes a last sample and returns the peak RSS in KiB. */
  async stop(): Promise<number> {
    clearInterval(this.#timer);
    await this.#taking;
    await this.#take();
    return this.peakKb;
  }

  async #take(): Promise<void> {
    try {
      this.peakKb = Math.max(this.peakKb, (await procUsage(this.pid)).rssKb);
      this.samples++;
    } catch {
      // the process has exited; the test that owns it will say so
    }
  }
}

export interface SettleOptions {
  /** Poll no more often than this. */
  intervalMs?: number;
  /** Give up after this long and return the last reading. */
  timeoutMs?: number;
}

/**
 * Reads the process tree until `done(usage)` holds, polling every intervalMs (20) for up to timeoutMs
 * (5000), and returns the last reading either way so the test's expect() shows what it saw. Used only
 * where a child process gives no event to await (its sockets closing, its threads being joined).
 */
export async function settleUsage(
  pid: number,
  done: (usage: ProcUsage) => boolean,
  { intervalMs = 20, timeoutMs = 5_000 }: SettleOptions = {},
): Promise<ProcUsage> {
  const deadline = performance.now() + timeoutMs;
  let usage = await procUsage(pid);
  while (!done(usage) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    usage = await procUsage(pid);
  }
  return usage;
}

/** KiB in a MiB, for limits written in MiB against readings in KiB. */
export const KIB_PER_MIB = 1024;
