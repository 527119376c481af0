// Every read of Linux /proc that hexd's programs and tests make, as small named functions: a process's
// stat (CPU ticks, threads, resident pages, parent, nice) and status (VmRSS, Threads, State, allowed
// CPUs), its PSS, its threads, children, descendants, open file descriptors and command line, and the
// listening TCP sockets. Linux only: elsewhere procAvailable() is false and callers say sampling is off.
// A process can exit between being listed and being read, so reads of one process return null (or
// nothing) for a process that is gone rather than throw.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

/** A process id, or `self` for the process reading. */
export type Pid = number | 'self';

/** Whether this system has /proc as Linux lays it out. */
export function procAvailable(): boolean {
  return existsSync('/proc/self/stat');
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

// --- /proc/PID/stat: one line of numbered fields (proc(5)) ---

export interface ProcStat {
  pid: number;
  /** One letter: R running, S sleeping, Z zombie, ... */
  state: string;
  ppid: number;
  /** utime + stime, in clock ticks (statUnits().ticksPerSec). */
  cpuTicks: number;
  nice: number;
  threads: number;
  /** Resident set size in pages (statUnits().pageBytes). */
  rssPages: number;
}

/** Parses /proc/PID/stat. The command name, in parentheses, may itself hold spaces and parentheses. */
export function parseStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  // Fields after the name, numbered as in proc(5) from field 3 (state).
  const fields = text.slice(close + 2).split(' ');
  const field = (n: number): string => fields[n - 3] ?? '';
  return {
    pid: Number.parseInt(text, 10),
    state: field(3),
    ppid: Number(field(4)),
    cpuTicks: Number(field(14)) + Number(field(15)),
    nice: Number(field(19)),
    threads: Number(field(20)),
    rssPages: Number(field(24)),
  };
}

/** The stat of a process; null when it is gone. */
export async function readStat(pid: Pid): Promise<ProcStat | null> {
  const text = await readOrNull(`/proc/${pid}/stat`);
  return text === null ? null : parseStat(text);
}

/** The stat of each thread of a process (/proc/PID/task/TID/stat): per-thread state, nice and CPU. */
export async function readThreadStats(pid: Pid): Promise<ProcStat[]> {
  const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
  const texts = await Promise.all(tids.map((tid) => readOrNull(`/proc/${pid}/task/${tid}/stat`)));
  return texts.filter((text) => text !== null).map(parseStat);
}

export interface StatUnits {
  /** USER_HZ: clock ticks per second, the unit of stat's CPU times. */
  ticksPerSec: number;
  /** The page size in bytes, the unit of stat's rss. */
  pageBytes: number;
}

let units: StatUnits | undefined;

/** The units of stat's fields, asked of getconf once (100 and 4096 on every common Linux). */
export function statUnits(): StatUnits {
  if (units === undefined) {
    const ask = (name: string, fallback: number): number => {
      try {
        const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2_000 }).trim());
        return Number.isFinite(value) && value > 0 ? value : fallback;
      } catch {
        return fallback;
      }
    };
    units = { ticksPerSec: ask('CLK_TCK', 100), pageBytes: ask('PAGESIZE', 4096) };
  }
  return units;
}

// --- /proc/PID/status: `Name:<tab>value` lines ---

export interface ProcStatus {
  /** One letter, as in stat. */
  state: string;
  ppid: number;
  threads: number;
  /** VmRSS in KiB; null for a zombie, which has no memory left. */
  vmRssKb: number | null;
  /** The CPUs the process may run on, as written (`0-3,6`); null where the kernel does not say. */
  cpusAllowedList: string | null;
}

/** Parses /proc/PID/status; null when it lacks PPid or Threads (not a status file). */
export function parseStatus(text: string): ProcStatus | null {
  const value = (name: string): string | null => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1] ?? null;
  const number = (name: string): number | null => {
    const raw = value(name);
    return raw === null || !/^\d+$/.test(raw) ? null : Number(raw);
  };
  const ppid = number('PPid');
  const threads = number('Threads');
  if (ppid === null || threads === null) return null;
  return { state: value('State') ?? '?', ppid, threads, vmRssKb: number('VmRSS'), cpusAllowedList: value('Cpus_allowed_list') };
}

/** The status of a process; null when it is gone. */
export async function readStatus(pid: Pid): Promise<ProcStatus | null> {
  const text = await readOrNull(`/proc/${pid}/status`);
  return text === null ? null : parseStatus(text);
}

/** readStatus without waiting, for a caller with no event loop to spare (a measuring loop, startup). */
export function readStatusSync(pid: Pid): ProcStatus | null {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

// --- memory ---

/** Resident memory in KiB (status's VmRSS): every page the process touches, shared ones in full. */
export function rssKb(pid: Pid = 'self'): number | null {
  return readStatusSync(pid)?.vmRssKb ?? null;
}

/**
 * Proportional memory in KiB (smaps_rollup's Pss): shared pages divided among the processes sharing
 * them. Null where smaps_rollup is missing (kernels before 4.14) or the process is gone.
 */
export function pssKb(pid: Pid = 'self'): number | null {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

// --- processes ---

/** Every process id in /proc now. */
export async function listPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

/** The stat of a process and every descendant still running, the root first; empty when it is gone. */
export async function processTree(rootPid: number): Promise<ProcStat[]> {
  const root = await readStat(rootPid);
  if (root === null) return [];
  const others = await Promise.all((await listPids()).filter((pid) => pid !== rootPid).map(readStat));
  const children = new Map<number, ProcStat[]>();
  for (const stat of others) {
    if (stat === null) continue; // gone between listing and reading
    const siblings = children.get(stat.ppid);
    if (siblings === undefined) children.set(stat.ppid, [stat]);
    else siblings.push(stat);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
  return tree;
}

/** The direct children of a process's main thread (/proc/PID/task/PID/children); empty when it is gone. */
export async function childPids(pid: number): Promise<number[]> {
  const listed = (await readOrNull(`/proc/${pid}/task/${pid}/children`))?.trim() ?? '';
  return listed === '' ? [] : listed.split(/\s+/).map(Number);
}

/** The open file descriptors of a process (entries of /proc/PID/fd); 0 when it is gone. */
export async function fdCount(pid: Pid): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`).catch(() => [])).length;
}

/** The command line a process was started with, one string per argument; empty when it is gone. */
export async function commandLine(pid: Pid): Promise<string[]> {
  const text = await readOrNull(`/proc/${pid}/cmdline`);
  return text === null || text === '' ? [] : text.replace(/\0$/, '').split('\0');
}

// --- network ---

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
