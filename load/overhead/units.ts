// What one unit of concurrency costs to bring up and to keep, each measured by starting many, one
// after another, and reading memory before and after: an event-loop connection (hexd's real server),
// a Worker and a child process (booted as hexd boots them, and the other ways for comparison), and,
// where python3 is present, a Python thread and an asyncio task.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { workerScript } from '../../servers/shared/worker-source.ts';
import { pssKb, rssKb } from '../../common/proc.ts';
import { BENCH_SERVER_OPTIONS, ROOT, hexdArgs } from '../harness/peers.ts';
import { startServerProcess } from '../harness/server-process.ts';
import { mean, median } from '../harness/stats.ts';

export type WorkerFlavour = 'worker-hexd' | 'worker-ts' | 'worker-bare';
export type ChildFlavour = 'process-hexd' | 'process-ts' | 'process-bare';
export type UnitKind = 'event-loop-connection' | WorkerFlavour | ChildFlavour | 'python-thread' | 'asyncio-task';

/** What load/overhead/probe.ts prints. */
export interface ProbeResult {
  flavour: WorkerFlavour;
  count: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  bringUpMs: number[];
}

export interface UnitFigure {
  kind: UnitKind;
  /** How many were brought up (besides one first, uncounted, where the method says so). */
  count: number;
  /** Each unit's bring-up, one after another, µs; for asyncio tasks, the total over count spread evenly. */
  bringUpUs: number[];
  medianBringUpUs: number;
  meanBringUpUs: number;
  /** Memory per unit: RSS growth of the process holding them over count, or each child's own RSS. */
  rssKbPerUnit: number;
  /** Child processes only: each child's proportional share of pages, shared pages split among sharers. */
  pssKbPerUnit: number | null;
  /** The process measured, for the report. */
  note: string;
}

export interface OverheadPlan {
  connections: number;
  workers: Record<WorkerFlavour, number>;
  processes: Record<ChildFlavour, number>;
  pythonThreads: number;
  asyncioTasks: number;
}

export function overheadPlan(quick: boolean): OverheadPlan {
  return quick
    ? { connections: 500, workers: { 'worker-hexd': 20, 'worker-ts': 10, 'worker-bare': 20 }, processes: { 'process-hexd': 8, 'process-ts': 4, 'process-bare': 8 }, pythonThreads: 200, asyncioTasks: 10_000 }
    : { connections: 2_000, workers: { 'worker-hexd': 50, 'worker-ts': 20, 'worker-bare': 50 }, processes: { 'process-hexd': 20, 'process-ts': 10, 'process-bare': 20 }, pythonThreads: 200, asyncioTasks: 10_000 };
}

export function figure(kind: UnitKind, bringUpUs: number[], rssKbPerUnit: number, pssKbPerUnit: number | null, note: string): UnitFigure {
  return {
    kind,
    count: bringUpUs.length,
    bringUpUs,
    // Zeros when none came up: the report prints a duration, and JSON has no NaN.
    medianBringUpUs: bringUpUs.length === 0 ? 0 : median(bringUpUs),
    meanBringUpUs: bringUpUs.length === 0 ? 0 : mean(bringUpUs),
    rssKbPerUnit,
    pssKbPerUnit,
    note,
  };
}

/**
 * hexd's event-loop server, started by its real command: `count` clients connect one after another,
 * each sending one request and waiting for its reply; the server's RSS grows by what they hold.
 */
export async function measureConnections(count: number): Promise<UnitFigure> {
  const server = await startServerProcess(process.execPath, ['servers/main.ts', 'event-loop', ...hexdArgs({ port: 0, ...BENCH_SERVER_OPTIONS })], { cwd: ROOT });
  const sockets: net.Socket[] = [];
  try {
    const target = { host: server.host, port: server.port };
    // A few first, not counted: the server's code paths are then loaded and compiled.
    for (let i = 0; i < 20; i++) sockets.push((await connectAndAsk(target)).socket);
    await delay(300);
    const before = rssKb(server.pid) ?? 0;
    const bringUpUs: number[] = [];
    for (let i = 0; i < count; i++) {
      const { socket, us } = await connectAndAsk(target);
      sockets.push(socket);
      bringUpUs.push(us);
    }
    await delay(300);
    const after = rssKb(server.pid) ?? 0;
    return figure('event-loop-connection', bringUpUs, (after - before) / count, null,
      `server RSS ${mbText(before)} -> ${mbText(after)} for ${count} more connections`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.stop();
  }
}

async function connectAndAsk(target: { host: string; port: number }): Promise<{ socket: net.Socket; us: number }> {
  const t0 = performance.now();
  const socket = net.connect({ host: target.host, port: target.port, noDelay: true });
  const signal = AbortSignal.timeout(10_000);
  await once(socket, 'connect', { signal });
  socket.write('4312\n');
  let got = '';
  while (!got.includes('\n')) {
    const [chunk] = await once(socket, 'data', { signal });
    got += String(chunk);
  }
  if (got !== '0x10d8\n') throw new Error(`the server answered ${JSON.stringify(got)} to 4312`);
  return { socket, us: (performance.now() - t0) * 1000 };
}

/** Workers, in a process of their own (load/overhead/probe.ts), so its RSS holds only them. */
export async function measureWorkers(flavour: WorkerFlavour, count: number): Promise<UnitFigure> {
  const result = spawnSync(process.execPath, ['load/overhead/probe.ts', flavour, String(count)], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`overhead-probe ${flavour} failed: ${result.error?.message ?? result.stderr.trim().split('\n').pop()}`);
  const probe = JSON.parse(result.stdout.trim().split('\n').pop()!) as ProbeResult;
  return figure(flavour, probe.bringUpMs.map((ms) => ms * 1000), (probe.rssAfterKb - probe.rssBeforeKb) / count, null,
    `probe RSS ${mbText(probe.rssBeforeKb)} -> ${mbText(probe.rssAfterKb)} for ${count} more Workers`);
}

/** How a child process is started, and when it counts as up. */
function spawnChild(flavour: ChildFlavour): ChildProcess {
  const stdio: ['ignore', 'ignore', 'inherit', 'ipc'] = ['ignore', 'ignore', 'inherit', 'ipc'];
  switch (flavour) {
    case 'process-hexd': {
      // As servers/processes/server.ts does: one script bundled once (servers/shared/worker-source.ts), run with --eval.
      return spawn(process.execPath, ['--eval', childScript()], { stdio, serialization: 'advanced' });
    }
    case 'process-ts':
      return spawn(process.execPath, ['servers/processes/worker.ts'], { cwd: ROOT, stdio, serialization: 'advanced' });
    case 'process-bare':
      return spawn(process.execPath, ['-e', "process.send({ type: 'ready' }); process.on('message', () => process.disconnect());"], { stdio });
  }
}

const childScript = (): string => workerScript(new URL('../../servers/processes/worker.ts', import.meta.url));

/**
 * Child processes, one after another, each until its first message (hexd's child sends `ready` once
 * its modules are loaded); then each one's RSS and PSS, while all are alive.
 */
export async function measureChildren(flavour: ChildFlavour, count: number): Promise<UnitFigure> {
  const children: ChildProcess[] = [];
  try {
    const bringUpUs: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const child = spawnChild(flavour);
      children.push(child);
      await Promise.race([
        once(child, 'message', { signal: AbortSignal.timeout(30_000) }),
        once(child, 'exit').then(([code]) => {
          throw new Error(`${flavour} child exited (code ${code}) before it was up`);
        }),
      ]);
      bringUpUs.push((performance.now() - t0) * 1000);
    }
    await delay(300);
    const pids = children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
    const rss = pids.map((pid) => rssKb(pid) ?? 0);
    const pss = pids.map((pid) => pssKb(pid)).filter((kb) => kb !== null);
    const pssKnown = pss.length === pids.length;
    return figure(flavour, bringUpUs, mean(rss), pssKnown ? mean(pss) : null, `each child's own RSS${pssKnown ? ' and PSS' : ''}, ${count} alive at once`);
  } finally {
    await Promise.all(children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL'); // ours, by its pid: nothing to finish
      await exited;
    }));
  }
}

/** A Python thread or asyncio task, by load/overhead/probe.py; null without python3. */
export function measurePython(unit: 'threads' | 'tasks', count: number): UnitFigure | null {
  const result = spawnSync('python3', ['load/overhead/probe.py', unit, String(count)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (result.error !== undefined) return null;
  if (result.status !== 0) throw new Error(`overhead_python.py ${unit} failed: ${result.stderr.trim().split('\n').pop()}`);
  const data = JSON.parse(result.stdout.trim()) as {
    count: number; rssBeforeKb: number; rssAfterKb: number; bringUpUs?: number[]; totalUs?: number; python: string;
  };
  const bringUpUs = data.bringUpUs ?? Array.from({ length: data.count }, () => (data.totalUs ?? 0) / data.count);
  const kind = unit === 'threads' ? 'python-thread' : 'asyncio-task';
  return figure(kind, bringUpUs, (data.rssAfterKb - data.rssBeforeKb) / data.count, null,
    `Python ${data.python} RSS ${mbText(data.rssBeforeKb)} -> ${mbText(data.rssAfterKb)} for ${data.count} more`);
}

const mbText = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;
