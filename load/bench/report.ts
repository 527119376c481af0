// Renders a benchmark as text: the comparison table (variant x concurrency) and the blog's story
// told from the measured numbers. Returns strings; the entry point writes them.

import type { BenchPoint, BenchReport, FramingCheck } from './run.ts';
import type { Model } from '../harness/peers.ts';
import { formatCount, mb } from '../harness/report.ts';
import { pointProblems } from '../harness/point-problems.ts';
import { renderTextTable, type TableData } from '../harness/table-data.ts';

export function comparisonTable(report: BenchReport): TableData {
  return {
    head: ['Variant', 'Clients', 'Req/s', 'p50 (µs)', 'p99 (µs)', 'Served', 'Peak RSS (MB)', 'Threads', 'Server CPU %', 'Tester CPU %', 'Loop delay p99 (ms)', 'Problems'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: report.points.map((p) => [
      p.variant,
      formatCount(p.clients),
      formatCount(p.requestsPerSec),
      p.latencyUs.count === 0 ? '-' : formatCount(p.latencyUs.p50),
      p.latencyUs.count === 0 ? '-' : formatCount(p.latencyUs.p99),
      `${formatCount(p.clientsServed)} of ${formatCount(p.clients)}`,
      p.server === null ? 'n/a' : mb(p.server.peakRssKb),
      p.server === null ? 'n/a' : formatCount(p.server.peakThreads),
      p.server === null ? 'n/a' : p.server.cpuPercent.toFixed(0),
      p.testerCpuPercent.toFixed(0),
      // The server's own view (its /stats): the worst per-interval p99 of any of its threads.
      p.telemetry == null ? '-' : p.telemetry.loopDelayP99Ms.toFixed(1),
      pointProblems(p),
    ]),
  };
}

export function framingTable(checks: readonly FramingCheck[]): TableData {
  return {
    head: ['Variant', 'In flight', 'Right', 'Wrong', 'Timeouts', 'Example'],
    align: ['left', 'right', 'right', 'right', 'right', 'left'],
    rows: checks.map((c) => {
      const example = c.problems[0];
      return [
        c.variant,
        String(c.pipeline),
        formatCount(c.replies.ok),
        formatCount(c.replies.wrong + c.replies.errors),
        formatCount(c.replies.timeouts),
        example === undefined
          ? '-'
          : `sent ${JSON.stringify(example.request)}, got ${JSON.stringify(example.got)}`.slice(0, 70),
      ];
    }),
  };
}

/** What the sweep measured, in one line: how long per point, how loaded. */
export function describeSweep(report: BenchReport): string {
  const o = report.options;
  return `${o.durationSec} s per point after ${o.warmupSec} s of warm-up, pipeline ${o.pipeline}, closed loop`;
}

/** What each model is, said once in the line that gathers its servers. */
const MODEL_HEADS: Readonly<Record<Model, string>> = {
  'blocking': 'One client at a time',
  'threads': 'A thread per client',
  'event loop': 'One thread serves all',
  'processes': 'A process per client',
  'cluster': 'An event loop per core',
  'pool': 'One event loop, big numbers on a worker pool',
};

/**
 * The blog's claims, each checked against the largest concurrency measured for each server: one line
 * per model, naming the model once and each of its servers' figures once, and one line for the servers
 * the framing check caught.
 */
export function storyLines(report: BenchReport): string[] {
  const lines: string[] = [];
  const models = [...new Set(report.variants.map((v) => v.model))];
  for (const model of models) {
    let othersWaited = false;
    const clauses: string[] = [];
    for (const variant of report.variants.filter((v) => v.model === model)) {
      const points = report.points.filter((p) => p.variant === variant.name).sort((a, b) => a.clients - b.clients);
      const first = points[0];
      const last = points[points.length - 1];
      if (first === undefined || last === undefined) continue;
      if (model === 'blocking' && last.clientsServed < last.clients) othersWaited = true;
      const served = `${variant.name} served ${formatCount(last.clientsServed)} of ${formatCount(last.clients)} clients` +
        (last.clientsServed < last.clients && model !== 'blocking' ? ` within the ${last.durationSec.toFixed(1)} s run` : '');
      clauses.push(`${served}${costOf(model, points, first, last)}`);
    }
    if (clauses.length === 0) continue;
    lines.push(`${MODEL_HEADS[model]}: ${clauses.join('; ')}` +
      `${othersWaited ? '; the other clients stayed connected and waited for the whole run' : ''}.`);
  }
  const misread = report.framing.filter((c) => c.replies.wrong + c.replies.errors > 0 || c.replies.timeouts > 0);
  const firstMisread = misread[0];
  if (firstMisread !== undefined) {
    const counts = misread.map((c) => {
      const timeouts = c.replies.timeouts === 0 ? '' : ` and ${formatCount(c.replies.timeouts)} ${c.replies.timeouts === 1 ? 'timeout' : 'timeouts'}`;
      return `${c.variant} answered ${formatCount(c.replies.wrong + c.replies.errors)} wrong${timeouts} against ${formatCount(c.replies.ok)} right`;
    });
    lines.push(`With ${firstMisread.pipeline} requests in flight on one connection, ${counts.join(', ')}: ` +
      `${misread.length === 1 ? 'it takes' : 'they take'} each recv() chunk as one request.`);
  }
  return lines;
}

/** What serving its clients cost a server, for the models whose cost grows with them or stays flat. */
function costOf(model: Model, points: readonly BenchPoint[], first: BenchPoint, last: BenchPoint): string {
  const memory = (p: BenchPoint): string | null =>
    p.server === null ? null : `${mb(p.server.peakRssKb)} MB and ${formatCount(p.server.peakThreads)} ${p.server.peakThreads === 1 ? 'thread' : 'threads'}`;
  if (model === 'blocking') return '';
  if (model === 'threads' || model === 'processes') {
    if (first.server === null || last.server === null || last.clients <= first.clients) return '';
    const extra = last.clients - first.clients;
    const kbPerClient = (last.server.peakRssKb - first.server.peakRssKb) / extra;
    const threadsPerClient = (last.server.peakThreads - first.server.peakThreads) / extra;
    return ` (${memory(last)}, against ${memory(first)} with ${formatCount(first.clients)}: ` +
      `about ${formatCount(kbPerClient)} KB and ${threadsPerClient.toFixed(1)} threads per extra client)`;
  }
  const threads = points.filter((p) => p.server !== null).map((p) => p.server!.peakThreads);
  if (threads.length === 0 || last.server === null) return '';
  const fewest = Math.min(...threads);
  const most = Math.max(...threads);
  return ` with ${fewest === most ? formatCount(fewest) : `${fewest} to ${most}`} OS thread${most === 1 ? '' : 's'} ` +
    `from ${formatCount(first.clients)} to ${formatCount(last.clients)} clients and ${mb(last.server.peakRssKb)} MB peak RSS`;
}

export function renderBenchText(report: BenchReport): string {
  const env = report.environment;
  const out = [
    `hexd bench: ${describeSweep(report)}; Node ${env.node}${env.python === null ? '' : `, ${env.python}`}; ` +
      `${env.cpuModel} (${env.cpus} CPUs); commit ${env.commit}`,
    `sampling of server memory, threads and CPU: ${report.sampling}`,
    ...report.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
    '',
    renderTextTable(comparisonTable(report)),
  ];
  if (report.framing.length > 0) {
    out.push('', `Framing check: one connection, ${report.framing[0]!.pipeline} requests in flight:`, renderTextTable(framingTable(report.framing)));
  }
  const story = storyLines(report);
  if (story.length > 0) out.push('', ...story.map((line) => `- ${line}`));
  out.push('', `${report.points.length} points in ${report.elapsedSec} s.`);
  return `${out.join('\n')}\n`;
}
