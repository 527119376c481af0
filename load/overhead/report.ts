// Renders npm run overhead: each unit's bring-up time and memory beside the figures of an asyncio tutorial ("Why asyncio?":
// thread 100 µs / 8 MB, process 100 ms / 20 MB, coroutine 5 µs / 2 KB), and what compares to what.

import type { Environment } from '../harness/environment.ts';
import { describeLoadAverage, type LoadAverage } from '../harness/load-average.ts';
import { renderTextTable, type TableData } from '../harness/table-data.ts';
import type { OverheadPlan, UnitFigure, UnitKind } from './units.ts';

/** The asyncio tutorial's table ("Why asyncio?"): "Overhead / Creation Time / Memory". */
const SEED_FIGURES = {
  thread: { label: 'thread', bringUpUs: 100, memoryKb: 8 * 1024, memoryNote: '8 MB (OS stack size)' },
  process: { label: 'process', bringUpUs: 100_000, memoryKb: 20 * 1024, memoryNote: '~20 MB (copy-on-write shared)' },
  coroutine: { label: 'asyncio coroutine', bringUpUs: 5, memoryKb: 2, memoryNote: '2 KB' },
} as const;

type SeedKey = keyof typeof SEED_FIGURES;

interface UnitDescription {
  name: string;
  how: string;
  seed: SeedKey;
  /** Shown in the main table; the others are the comparisons below it. */
  main: boolean;
}

const UNITS: Record<UnitKind, UnitDescription> = {
  'event-loop-connection': { name: 'event-loop connection', how: 'hexd event-loop server by its real command; connect, one request, its reply', seed: 'coroutine', main: true },
  'worker-hexd': { name: 'worker thread (as hexd boots it)', how: 'new Worker from one script bundled once (servers/shared/worker-source.ts), hexd\'s session modules and resourceLimits; until its first message', seed: 'thread', main: true },
  'process-hexd': { name: 'child process (as hexd boots it)', how: 'node --eval with servers/processes/worker.ts bundled once into one script; until its ready message', seed: 'process', main: true },
  'python-thread': { name: 'Python thread', how: 'threading.Thread(target=event.wait).start()', seed: 'thread', main: true },
  'asyncio-task': { name: 'asyncio task', how: 'asyncio.create_task() of a coroutine awaiting an event, until it runs', seed: 'coroutine', main: true },
  'worker-ts': { name: 'worker thread stripping TypeScript itself', how: 'new Worker(new URL(\'./unit-worker.ts\')), same modules and limits', seed: 'thread', main: false },
  'worker-bare': { name: 'worker thread, bare JavaScript', how: 'new Worker(code, { eval: true }), default resourceLimits', seed: 'thread', main: false },
  'process-ts': { name: 'child process stripping TypeScript itself', how: 'node servers/processes/worker.ts', seed: 'process', main: false },
  'process-bare': { name: 'child process, bare node -e', how: 'node -e "process.send(...)"', seed: 'process', main: false },
};

export interface OverheadReport {
  environment: Environment;
  loadAverage: LoadAverage;
  quick: boolean;
  plan: OverheadPlan;
  figures: UnitFigure[];
  /** Units not measured, and why (no python3, no /proc). */
  skipped: { kind: UnitKind; reason: string }[];
  elapsedSec: number;
}

/** 12 µs, 9.3 ms, 1.2 s. */
export function formatDuration(us: number): string {
  if (us < 1_000) return `${us < 10 ? us.toFixed(1) : Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/** 1.2 KB, 16 KB, 3.5 MB. */
export function formatKb(kb: number): string {
  if (kb < 1024) return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`;
  return `${(kb / 1024).toFixed(1)} MB`;
}

function memoryCell(f: UnitFigure): string {
  return f.pssKbPerUnit === null ? `${formatKb(f.rssKbPerUnit)} RSS` : `${formatKb(f.rssKbPerUnit)} RSS, ${formatKb(f.pssKbPerUnit)} PSS`;
}

function seedCell(key: SeedKey): string {
  const s = SEED_FIGURES[key];
  return `${s.label}: ${formatDuration(s.bringUpUs)} / ${s.memoryNote}`;
}

/** The units beside the tutorial's figure for their kind. */
export function unitTable(figures: readonly UnitFigure[]): TableData {
  return {
    head: ['Unit', 'Count', 'Bring-up, median (mean)', 'Memory per unit', 'vs tutorial (time / memory)', 'Tutorial\'s figure'],
    align: ['left', 'right', 'right', 'right', 'right', 'left'],
    rows: figures.map((f) => {
      const d = UNITS[f.kind];
      const seed = SEED_FIGURES[d.seed];
      const memory = f.pssKbPerUnit ?? f.rssKbPerUnit;
      return [d.name, String(f.count), `${formatDuration(f.medianBringUpUs)} (${formatDuration(f.meanBringUpUs)})`, memoryCell(f),
        `${times(f.medianBringUpUs / seed.bringUpUs)} / ${times(memory / seed.memoryKb)}`, seedCell(d.seed)];
    }),
  };
}

/** The units of the tutorial's table, and the same started other ways. */
export function mainAndOtherFigures(report: OverheadReport): { main: UnitFigure[]; others: UnitFigure[] } {
  return {
    main: report.figures.filter((f) => UNITS[f.kind].main),
    others: report.figures.filter((f) => !UNITS[f.kind].main),
  };
}

/** How the units were measured. */
export const METHOD = 'Units are brought up one after another (bring-up: from asking until the unit answers); memory is read from /proc with all of them alive.';

/** How each unit was measured, and which were not, one line each. */
export function howMeasuredLines(report: OverheadReport): string[] {
  return [
    ...report.figures.map((f) => `${UNITS[f.kind].name}: ${UNITS[f.kind].how}; ${f.note}.`),
    ...report.skipped.map((s) => `${UNITS[s.kind].name}: not measured: ${s.reason}.`),
  ];
}

function times(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '-';
  return x >= 10 ? `${Math.round(x)}x` : x >= 0.1 ? `${x.toFixed(1)}x` : `1/${Math.round(1 / x)}`;
}

/** What compares to what, in words, from the figures measured. */
export function comparisonLines(figures: readonly UnitFigure[]): string[] {
  const get = (kind: UnitKind): UnitFigure | undefined => figures.find((f) => f.kind === kind);
  const lines: string[] = [];
  const worker = get('worker-hexd');
  const pyThread = get('python-thread');
  const conn = get('event-loop-connection');
  const task = get('asyncio-task');
  const child = get('process-hexd');
  const workerTs = get('worker-ts');
  const childTs = get('process-ts');
  if (worker !== undefined && pyThread !== undefined) {
    lines.push(`A Node Worker is not a thread in the tutorial's sense: it is a whole V8 isolate with its own heap. One costs ` +
      `${formatKb(worker.rssKbPerUnit)} and ${formatDuration(worker.medianBringUpUs)} here, a Python thread ${formatKb(pyThread.rssKbPerUnit)} and ` +
      `${formatDuration(pyThread.medianBringUpUs)}: ${times(worker.rssKbPerUnit / pyThread.rssKbPerUnit)} the memory and ${times(worker.medianBringUpUs / pyThread.medianBringUpUs)} the time.`);
  }
  if (pyThread !== undefined) {
    lines.push(`The tutorial's 8 MB per thread is the stack it reserves, not memory used: a Python thread touches ${formatKb(pyThread.rssKbPerUnit)} of it.`);
  }
  if (conn !== undefined && task !== undefined) {
    lines.push(`An event-loop connection costs ${formatKb(conn.rssKbPerUnit)} of the server's memory, an asyncio task ${formatKb(task.rssKbPerUnit)}; ` +
      `the connection's ${formatDuration(conn.medianBringUpUs)} is a TCP connect and a request's round trip, not only a task's creation (${formatDuration(task.medianBringUpUs)}).`);
  }
  if (child !== undefined && child.pssKbPerUnit !== null) {
    lines.push(`A child process shows ${formatKb(child.rssKbPerUnit)} of RSS, but ${formatKb(child.pssKbPerUnit)} of PSS: most of its pages are ` +
      `Node's own code, shared with its siblings (the tutorial's "copy-on-write shared memory"). It takes ${formatDuration(child.medianBringUpUs)} to be ready.`);
  }
  if (worker !== undefined && workerTs !== undefined) {
    lines.push(`A Worker that strips TypeScript itself costs ${formatKb(workerTs.rssKbPerUnit)} and ${formatDuration(workerTs.medianBringUpUs)}, against ` +
      `${formatKb(worker.rssKbPerUnit)} and ${formatDuration(worker.medianBringUpUs)} from one bundled script: why hexd boots its workers that way.`);
  }
  if (child !== undefined && childTs !== undefined) {
    lines.push(`The same for a child process: ${formatKb(childTs.rssKbPerUnit)} and ${formatDuration(childTs.medianBringUpUs)} stripping itself, ` +
      `${formatKb(child.rssKbPerUnit)} and ${formatDuration(child.medianBringUpUs)} as hexd boots it.`);
  }
  return lines;
}

export function renderOverheadText(report: OverheadReport): string {
  const env = report.environment;
  const { main, others } = mainAndOtherFigures(report);
  const out = [
    `hexd overhead${report.quick ? ' (--quick)' : ''}: what one unit of concurrency costs to bring up and to keep; Node ${env.node}` +
      `${env.python === null ? '' : `, ${env.python}`}; ${env.cpuModel} (${env.cpus} CPUs); commit ${env.commit}`,
    METHOD,
    `${describeLoadAverage(report.loadAverage)}.`,
    '',
    renderTextTable(unitTable(main)),
  ];
  if (others.length > 0) out.push('', 'The same, started other ways, for comparison:', renderTextTable(unitTable(others)));
  out.push('', 'How each was measured:', ...howMeasuredLines(report).map((line) => `- ${line}`));
  const lines = comparisonLines(report.figures);
  if (lines.length > 0) out.push('', ...lines.map((line) => `- ${line}`));
  out.push('', `Done in ${report.elapsedSec} s.`);
  return `${out.join('\n')}\n`;
}
