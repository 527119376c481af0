// `npm run perf -- [--quick]`: every performance target of hexd measured in one run, each by its
// benchmark under load/perf/, printed as one table with figures, every run, and PASS/FAIL, and written
// as JSON (and a Markdown results page when asked). Servers run on one core and the tester on another
// (load/harness/taskset.ts).

import { runEntryPoint } from '../../common/entry.ts';
import { commandLine, describeEnvironment } from '../harness/environment.ts';
import { writeReportFiles } from '../harness/results-page.ts';
import { ROOT, findPython } from '../harness/peers.ts';
import { benchConnections } from './connections.ts';
import { parsePerfCommand } from './options.ts';
import { benchPython } from './python.ts';
import { renderMarkdown } from './markdown.ts';
import { renderPerfText, type PerfPlan, type PerfReport, type TargetResult } from './report.ts';
import type { PerfContext } from './runs.ts';
import { benchStartup } from './startup.ts';
import { benchThreads } from './threads.ts';
import { benchChurnMemory } from './churn-memory.ts';
import { benchThroughput } from './throughput.ts';
import { detectPinning, pinThisProcess } from '../harness/taskset.ts';
import { stopServersOnSignal } from '../harness/stop-signals.ts';
import { checkOutputFiles } from '../harness/output-files.ts';

/**
 * Three paired rounds per point (nine where a verdict is within 5% of its bound), each a 1 s run
 * after 0.3 s of warm-up: the full program judges some sixty points, --quick a handful.
 */
function perfPlan(quick: boolean): PerfPlan {
  return { quick, runs: 3, durationSec: 1, warmupSec: 0.3 };
}

type Benchmark = (context: PerfContext) => Promise<{ targets: TargetResult[]; data: unknown }>;

const BENCHMARKS: readonly { name: string; file: string; run: Benchmark }[] = [
  { name: 'startup', file: 'load/perf/startup.ts', run: benchStartup },
  { name: 'throughput', file: 'load/perf/throughput.ts', run: benchThroughput },
  { name: 'python', file: 'load/perf/python.ts', run: benchPython },
  { name: 'connections', file: 'load/perf/connections.ts', run: benchConnections },
  { name: 'threads', file: 'load/perf/threads.ts', run: benchThreads },
  { name: 'churn-memory', file: 'load/perf/churn-memory.ts', run: benchChurnMemory },
];

interface PerfHooks {
  log(line: string): void;
}

async function runPerf(quick: boolean, command: string, hooks: PerfHooks): Promise<PerfReport> {
  const t0 = performance.now();
  // Described before pinning, which would make this process see one CPU.
  const environment = describeEnvironment({ cwd: ROOT, command, python: findPython() });
  const pinning = pinThisProcess(detectPinning());
  const plan = perfPlan(quick);
  hooks.log(`perf: pinning ${pinning.note}`);
  const context: PerfContext = { pinning, plan, log: (line) => hooks.log(line) };
  const targets: TargetResult[] = [];
  const data: Record<string, unknown> = {};
  for (const benchmark of BENCHMARKS) {
    const started = performance.now();
    try {
      const result = await benchmark.run(context);
      targets.push(...result.targets);
      data[benchmark.name] = result.data;
    } catch (err) {
      // One benchmark that breaks (a server that will not start) is a failed target, not a lost run.
      const message = err instanceof Error ? err.message : String(err);
      hooks.log(`perf: ${benchmark.name} failed: ${message}`);
      targets.push({
        benchmark: benchmark.file,
        target: `${benchmark.name} targets (${benchmark.file})`,
        figure: '-',
        runs: [],
        verdict: 'FAIL',
        note: `the benchmark failed: ${message}`,
        value: null,
        threshold: null,
        unit: '',
      });
    }
    hooks.log(`perf: ${benchmark.name} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return { environment, pinning, plan, targets, data, elapsedSec: Math.round((performance.now() - t0) / 100) / 10 };
}

/** Runs, prints the table, writes the JSON; status 1 when any target fails. */
async function main(argv: readonly string[]): Promise<number> {
  const command = parsePerfCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkOutputFiles({ '--json': options.json, '--markdown': options.markdown });
  stopServersOnSignal('hexd-perf');
  const report = await runPerf(options.quick, commandLine('load/perf/main.ts', 'perf', argv), {
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(renderPerfText(report));
  const written = await writeReportFiles(report, options, renderMarkdown);
  process.stdout.write(`wrote ${written.join(', ')}\n`);
  return report.targets.some((t) => t.verdict === 'FAIL') ? 1 : 0;
}

if (import.meta.main) runEntryPoint('hexd-perf', () => main(process.argv.slice(2)));
