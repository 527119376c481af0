// `npm run overhead -- [--quick] [--json FILE]`: what one event-loop connection, one Worker,
// one child process, one Python thread and one asyncio task cost to bring up and to keep, beside the
// figures of an asyncio tutorial ("Why asyncio?"). Prints the table and writes the JSON (and a Markdown results page when asked).

import { availableParallelism, loadavg } from 'node:os';
import { runEntryPoint } from '../../common/entry.ts';
import { UsageError } from '../../common/errors.ts';
import { commandLine, describeEnvironment } from '../harness/environment.ts';
import { writeReportFiles } from '../harness/results-page.ts';
import { ROOT, findPython } from '../harness/peers.ts';
import { checkOutputFiles } from '../harness/output-files.ts';
import { stopServersOnSignal } from '../harness/stop-signals.ts';
import { procAvailable } from '../../common/proc.ts';
import { parseOverheadCommand, type OverheadOptions } from './options.ts';
import { renderMarkdown } from './markdown.ts';
import { renderOverheadText, type OverheadReport } from './report.ts';
import {
  measureChildren,
  measureConnections,
  measurePython,
  measureWorkers,
  overheadPlan,
  type ChildFlavour,
  type UnitFigure,
  type WorkerFlavour,
} from './units.ts';

/** Its npm scripts: `overhead`, and `bench:overhead`, the spelling it had first. */
const OVERHEAD_SCRIPTS = ['overhead', 'bench:overhead'];

async function runOverhead(options: OverheadOptions, argv: readonly string[], log: (line: string) => void): Promise<OverheadReport> {
  const t0 = performance.now();
  const loadAtStart = loadavg()[0]!;
  const python = findPython();
  const environment = describeEnvironment({ cwd: ROOT, command: commandLine('load/overhead/main.ts', OVERHEAD_SCRIPTS, argv), python });
  const plan = overheadPlan(options.quick);
  const figures: UnitFigure[] = [];
  const skipped: OverheadReport['skipped'] = [];
  const step = async (name: string, measure: () => Promise<UnitFigure | null>): Promise<void> => {
    const started = performance.now();
    const result = await measure();
    if (result !== null) figures.push(result);
    log(`overhead: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  await step('event-loop connections', () => measureConnections(plan.connections));
  for (const flavour of Object.keys(plan.workers) as WorkerFlavour[]) {
    await step(flavour, () => measureWorkers(flavour, plan.workers[flavour]));
  }
  for (const flavour of Object.keys(plan.processes) as ChildFlavour[]) {
    await step(flavour, () => measureChildren(flavour, plan.processes[flavour]));
  }
  if (python === null) {
    skipped.push({ kind: 'python-thread', reason: 'no python3 on PATH' }, { kind: 'asyncio-task', reason: 'no python3 on PATH' });
  } else {
    await step('Python threads', async () => measurePython('threads', plan.pythonThreads));
    await step('asyncio tasks', async () => measurePython('tasks', plan.asyncioTasks));
  }
  // Main units first, in the order of the tutorial's table.
  const order = ['event-loop-connection', 'asyncio-task', 'worker-hexd', 'python-thread', 'process-hexd', 'worker-ts', 'worker-bare', 'process-ts', 'process-bare'];
  figures.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return {
    environment,
    loadAverage: { start: loadAtStart, end: loadavg()[0]!, cpus: availableParallelism() },
    quick: options.quick,
    plan,
    figures,
    skipped,
    elapsedSec: Math.round((performance.now() - t0) / 100) / 10,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseOverheadCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  if (!procAvailable()) throw new UsageError('overhead reads memory from /proc, which this system does not have (Linux only)');
  await checkOutputFiles({ '--json': command.options.json, '--markdown': command.options.markdown });
  stopServersOnSignal('hexd-overhead');
  const report = await runOverhead(command.options, argv, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(renderOverheadText(report));
  const written = await writeReportFiles(report, command.options, renderMarkdown);
  process.stdout.write(`wrote ${written.join(', ')}\n`);
  return 0;
}

// Only as the entry point: tests import the parser and the runner.
if (import.meta.main) runEntryPoint('hexd-overhead', () => main(process.argv.slice(2)));
