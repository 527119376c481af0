// `npm run scenario -- --scenario io|cpu|mixed|io-ratio|all [--quick]`: every hexd server through each
// workload (load/scenario/plan.ts), the I/O ratio of Travis Hathaway's talk "asyncio and friends" with io, and the measured "which to use"
// table; prints the text and writes the JSON, an HTML page with a chart per scenario (and a Markdown
// results page when asked).

import { availableParallelism, loadavg } from 'node:os';
import { runEntryPoint } from '../../common/entry.ts';
import { commandLine, describeEnvironment } from '../harness/environment.ts';
import { writeOut, writeReportFiles } from '../harness/results-page.ts';
import { BENCH_SERVER_OPTIONS, ROOT, PYTHON_VARIANTS, findPython, nodePeers } from '../harness/peers.ts';
import { checkOutputFiles } from '../harness/output-files.ts';
import { stopServersOnSignal } from '../harness/stop-signals.ts';
import { procAvailable } from '../../common/proc.ts';
import { parseScenarioCommand } from './options.ts';
import { scenarioPlan } from './plan.ts';
import { ratioPlan, runRatio } from './io-ratio.ts';
import { renderScenarioHtml } from './html-report.ts';
import { renderMarkdown } from './markdown.ts';
import { renderScenarioText, type ScenarioReport } from './report.ts';
import { runScenario, type ScenarioResult } from './run.ts';
import { judgeScenario } from './verdict.ts';

export const PYTHON_LEFT_OUT = 'the blog\'s servers have no --delay-ms and no --max-digits (Python\'s int() refuses ' +
  'numbers over 4300 digits, and one recv(1024) cannot hold a 1 MB line), so the same workload cannot be asked of them';

/** Returns the exit status: 1 when a hexd server gave a wrong reply or dropped a request. */
async function main(argv: readonly string[]): Promise<number> {
  const command = parseScenarioCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkOutputFiles({ '--json': options.json, '--markdown': options.markdown, '--html': options.html });
  stopServersOnSignal('hexd-scenario');
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const t0 = performance.now();
  const loadAtStart = loadavg()[0]!;
  const python = findPython();
  const environment = describeEnvironment({ cwd: ROOT, command: commandLine('load/scenario/main.ts', 'scenario', argv), python });
  const peers = nodePeers(BENCH_SERVER_OPTIONS).filter((p) => (options.variants as string[]).includes(p.name));
  const skipped = python === null ? [] : [{ name: PYTHON_VARIANTS.map((p) => p.name).join(', '), reason: PYTHON_LEFT_OUT }];

  const ratio = options.ratio ? await runRatio(ratioPlan(options.quick), log) : null;
  const scenarios: ScenarioResult[] = [];
  for (const name of options.scenarios) {
    const plan = scenarioPlan(name, options.quick, { clients: options.clients, durationSec: options.durationSec, warmupSec: options.warmupSec });
    log(`${name}: ${plan.title}; ${peers.length} servers x ${plan.baseline ? 2 : 1} runs`);
    scenarios.push(await runScenario(plan, peers, { log }));
  }
  const report: ScenarioReport = {
    environment,
    loadAverage: { start: loadAtStart, end: loadavg()[0]!, cpus: availableParallelism() },
    options,
    sampling: procAvailable() ? 'on' : 'off: no /proc on this system (Linux only), so no RSS, thread or CPU figures',
    skipped,
    ratio,
    scenarios,
    verdicts: scenarios.map(judgeScenario),
    elapsedSec: Math.round((performance.now() - t0) / 100) / 10,
  };
  process.stdout.write(renderScenarioText(report));
  const written = await writeReportFiles(report, options, renderMarkdown);
  await writeOut(options.html, renderScenarioHtml(report));
  process.stdout.write(`wrote ${[...written, options.html].join(', ')}\n`);

  const failed = failures(report);
  if (failed.length > 0) process.stderr.write(`hexd-scenario: wrong replies or dropped requests from ${failed.join(', ')}\n`);
  return failed.length === 0 ? 0 : 1;
}

/** hexd's own servers must answer every request right in every run. */
export function failures(report: ScenarioReport): string[] {
  const bad = new Set<string>();
  for (const result of report.scenarios) {
    for (const entry of result.entries) {
      for (const run of [entry.baseline, entry.run]) {
        if (run === null) continue;
        const r = run.replies;
        if (r.wrong + r.errors + r.dropped + r.connectFailed > 0 || run.serverExited) bad.add(`${entry.variant} (${result.plan.name})`);
      }
    }
  }
  for (const figure of [...(report.ratio?.seed.map((s) => s.figure) ?? []), ...(report.ratio?.sweep ?? [])]) {
    if (figure.wrongReplies > 0) bad.add(`io-ratio x ${figure.clients}`);
  }
  return [...bad];
}

// Only as the entry point: tests import failures().
if (import.meta.main) runEntryPoint('hexd-scenario', () => main(process.argv.slice(2)));
