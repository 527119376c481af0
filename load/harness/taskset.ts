// Keeps the server and the load tester off each other's core for `npm run bench -- --perf`: servers are
// started through `taskset -c SERVER_CPU`, and this process pins itself, every thread, to TESTER_CPU.
//
// Why pin this process rather than run the tester as a child (`taskset -c 1 node load/tester/main.ts --json`)
// per run: runLoad() then runs in-process as it does for `npm run bench`, so no run pays a Node start-up
// and a cold JIT in the tester, and summaries come back as objects. Between runs this process only
// starts servers and reads /proc, and during a throughput run it reads /proc twice (CPU before and
// after), so what shares the tester's core with the load is negligible; the tester CPU figure printed
// is this whole process, so it would show if it were not.

import { spawnSync } from 'node:child_process';
import { readStatusSync } from '../../common/proc.ts';
import os from 'node:os';

export interface Pinning {
  /** Whether servers and tester run on separate cores. */
  enabled: boolean;
  serverCpu: number | null;
  testerCpu: number | null;
  /** How it was done, or why it was not. */
  note: string;
}

/** `0-3,6,8-9` (the kernel's CPU list format) as CPU numbers. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (match === null) throw new RangeError(`not a CPU list: ${JSON.stringify(text)}`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs this process may run on (Linux), or null when that cannot be read. */
function allowedCpus(): number[] | null {
  const list = readStatusSync('self')?.cpusAllowedList ?? null;
  try {
    return list === null ? null : parseCpuList(list);
  } catch {
    return null; // a list this parser does not know
  }
}

function tasksetAvailable(): boolean {
  const result = spawnSync('taskset', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  return result.error === undefined && result.status === 0;
}

/** Decides the cores: the first two this process may use, server first. */
export function planPinning(hasTaskset: boolean, cpus: readonly number[] | null): Pinning {
  const off = (why: string): Pinning => ({ enabled: false, serverCpu: null, testerCpu: null, note: `off: ${why}` });
  if (!hasTaskset) return off('no taskset on PATH (util-linux)');
  if (cpus === null) return off('cannot read the allowed CPUs from /proc/self/status');
  if (cpus.length < 2) return off(`only ${cpus.length} CPU available, server and tester share it`);
  const [serverCpu, testerCpu] = cpus as [number, number];
  return { enabled: true, serverCpu, testerCpu, note: `server on CPU ${serverCpu}, tester on CPU ${testerCpu} (taskset)` };
}

export function detectPinning(): Pinning {
  return planPinning(tasksetAvailable(), allowedCpus() ?? fallbackCpus());
}

function fallbackCpus(): number[] | null {
  return os.platform() === 'linux' ? null : Array.from({ length: os.availableParallelism() }, (_, i) => i);
}

/** The command line that starts `command args` on the server's core (unchanged when pinning is off). */
export function pinnedCommand(pinning: Pinning, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!pinning.enabled) return { command, args: [...args] };
  return { command: 'taskset', args: ['-c', String(pinning.serverCpu), command, ...args] };
}

/**
 * Moves every thread of this process to the tester's core; threads started later (load workers,
 * libuv's pool) inherit it. Returns an error message instead of throwing, so a refusal (a container
 * that forbids sched_setaffinity) only turns pinning off.
 */
export function pinThisProcess(pinning: Pinning): Pinning {
  if (!pinning.enabled) return pinning;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(pinning.testerCpu), String(process.pid)], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  if (result.error === undefined && result.status === 0) return pinning;
  const why = (result.stderr ?? '').trim() || result.error?.message || `exit status ${result.status}`;
  return { enabled: false, serverCpu: null, testerCpu: null, note: `off: taskset -p failed: ${why}` };
}
