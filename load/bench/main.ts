// `npm run bench -- [options]`: hexd's three servers and the blog's three Python servers, each loaded
// at each concurrency; prints the comparison and writes JSON, HTML and the throughput SVG. --perf and
// --scenario, the old spellings of npm run perf and npm run scenario, run those (aliases.ts).

import { runEntryPoint } from '../../common/entry.ts';
import { renderHttpComparison, runHttpBench, type HttpPoint } from './http.ts';
import { UsageError } from '../../common/errors.ts';
import { parseBenchCommand } from './options.ts';
import { throughputChart } from './charts.ts';
import { renderBenchText } from './report.ts';
import { runBench, type BenchReport } from './run.ts';
import { commandLine, describeEnvironment } from '../harness/environment.ts';
import { renderBenchHtml } from './html-report.ts';
import { renderMarkdown, type BenchJson } from './markdown.ts';
import { writeOut, writeReportFiles } from '../harness/results-page.ts';
import { aliasFor, aliasNotice, runAlias } from './aliases.ts';
import { checkOutputFiles } from '../harness/output-files.ts';
import { stopServersOnSignal } from '../harness/stop-signals.ts';
import { BENCH_SERVER_OPTIONS, ROOT, findPython, nodePeers, pythonPeers, type Peer } from '../harness/peers.ts';

/** hexd's own servers must answer every request right; the Python peers' failures are the story. */
function hexdFailures(report: BenchReport): string[] {
  const own = new Set(report.variants.filter((v) => v.family === 'node').map((v) => v.name));
  const bad = [...report.points, ...report.framing].filter((p) =>
    own.has(p.variant) && p.replies.wrong + p.replies.errors + p.replies.dropped + p.replies.connectFailed > 0);
  return [...new Set(bad.map((p) => p.variant))];
}

async function main(argv: readonly string[]): Promise<number> {
  const alias = aliasFor(argv);
  if (alias !== null) {
    process.stderr.write(aliasNotice(alias));
    return runAlias(alias);
  }
  const command = parseBenchCommand(argv);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return 0;
  }
  const { options } = command;
  await checkOutputFiles({ '--json': options.json, '--markdown': options.markdown, '--html': options.html, '--svg': options.svg });
  stopServersOnSignal('hexd-bench');
  const python = findPython();
  const available: Peer[] = [...nodePeers(BENCH_SERVER_OPTIONS), ...(python === null ? [] : pythonPeers())];
  const skipped: BenchReport['skipped'] = [];
  const peers: Peer[] = [];
  for (const name of options.variants) {
    const peer = available.find((p) => p.name === name);
    if (peer !== undefined) peers.push(peer);
    else if (options.variantsGiven) throw new UsageError(`${name} needs python3 on PATH, and there is none`);
    else skipped.push({ name, reason: 'no python3 on PATH' });
  }

  const environment = describeEnvironment({ cwd: ROOT, command: commandLine('load/bench/main.ts', 'bench', argv), python });
  const report = await runBench(options, peers, { environment, skipped }, {
    log: (line) => process.stderr.write(`${line}\n`),
  });

  process.stdout.write(renderBenchText(report));
  let http: HttpPoint[] | undefined;
  if (options.http) {
    http = await runHttpBench(peers, options, (text) => process.stdout.write(text));
    process.stdout.write(`\n${renderHttpComparison(http, report.points)}`);
  }
  const json: BenchJson = http === undefined ? report : { ...report, http };
  const written = await writeReportFiles(json, options, renderMarkdown);
  await writeOut(options.html, renderBenchHtml(report));
  await writeOut(options.svg, throughputChart(report));
  process.stdout.write(`wrote ${[...written, options.html, options.svg].join(', ')}\n`);

  const failed = hexdFailures(report);
  if (failed.length > 0) process.stderr.write(`hexd-bench: wrong replies or failed connections from ${failed.join(', ')}\n`);
  return failed.length === 0 ? 0 : 1;
}

runEntryPoint('hexd-bench', () => main(process.argv.slice(2)));
