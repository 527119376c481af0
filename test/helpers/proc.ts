// What a server process costs, read from Linux /proc: resident memory, open file descriptors and OS
// threads of a pid plus every descendant process, for tests that must measure the serving process
// itself (a child started by spawnServer), never the test runner.

import { readFile, readdir } from 'node:fs/promises';

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

interface Status {
  pid: number;
  ppid: number;
  rssKb: number;
  threads: number;
}

/** Parses /proc/PID/status; null when the process is gone (or a zombie, which has no VmRSS line). */
async function readStatus(pid: number): Promise<Status | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // exited between listing and reading
  }
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    return match === null ? undefined : Number(match[1]);
  };
  const ppid = field('PPid');
  const threads = field('Threads');
  if (ppid === undefined || threads === undefined) return null;
  return { pid, ppid, rssKb: field('VmRSS') ?? 0, threads };
}

/** The pid followed by every descendant still running; empty when the pid is gone. */
export async function processTree(pid: number): Promise<number[]> {
  const root = await readStatus(pid);
  if (root === null) return [];
  const names = await readdir('/proc');
  const all = await Promise.all(
    names.filter((name) => /^\d+$/.test(name) && Number(name) !== pid).map((name) => readStatus(Number(name))),
  );
  const children = new Map<number, number[]>();
  for (const status of all) {
    if (status === null) continue;
    const siblings = children.get(status.ppid);
    if (siblings === undefined) children.set(status.ppid, [status.pid]);
    else siblings.push(status.pid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

async function fdCount(pid: number): Promise<number> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return 0;
  }
}

/** RSS, fds and threads of the pid and its descendants. Throws if the pid itself is gone. */
export async function procUsage(pid: number): Promise<ProcUsage> {
  const tree = await processTree(pid);
  if (tree.length === 0) throw new Error(`process ${pid} is gone`);
  const usage: ProcUsage = { rssKb: 0, fds: 0, threads: 0, processes: 0 };
  await Promise.all(tree.map(async (member) => {
    const [status, fds] = await Promise.all([readStatus(member), fdCount(member)]);
    if (status === null) return;
    usage.rssKb += status.rssKb;
    usage.threads += status.threads;
    usage.fds += fds;
    usage.processes++;
  }));
  return usage;
}

export async function rssKb(pid: number): Promise<number> {
  return (await procUsage(pid)).rssKb;
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

/**
 * The IPv4 addresses with a socket listening on `port`, from /proc/net/tcp (this network namespace,
 * whichever process owns them): `127.0.0.1`, `0.0.0.0`.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const LISTEN = '0A';
  const rows = (await readFile('/proc/net/tcp', 'utf8')).trim().split('\n').slice(1);
  return rows.flatMap((row) => {
    const [, local, , state] = row.trim().split(/\s+/);
    const [hexAddress, hexPort] = (local ?? '').split(':');
    if (state !== LISTEN || hexAddress === undefined || Number.parseInt(hexPort ?? '', 16) !== port) return [];
    // The address is the kernel's 32-bit value printed in host order: little-endian bytes on x86 and ARM.
    const bytes = (hexAddress.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)).reverse();
    return [bytes.join('.')];
  });
}

/** KiB in a MiB, for limits written in MiB against readings in KiB. */
export const KIB_PER_MIB = 1024;
