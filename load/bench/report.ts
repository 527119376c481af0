// Renders a benchmark as text: the comparison table (variant x concurrency) and the blog's story
// told from the measured numbers. Returns strings; the entry point writes them.

import type { BenchPoint, BenchReport, FramingCheck } from './run.ts';
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

/** The blog's claims, each checked against the largest concurrency measured for that server. */
export function storyLines(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const variant of report.variants) {
    const points = report.points.filter((p) => p.variant === variant.name).sort((a, b) => a.clients - b.clients);
    const first = points[0];
    const last = points[points.length - 1];
    if (first === undefined || last === undefined) continue;
    const served = `${formatCount(last.clientsServed)} of ${formatCount(last.clients)} clients` +
      (last.clientsServed < last.clients && variant.model !== 'blocking' ? ` within the ${last.durationSec.toFixed(1)} s run` : '');
    const memory = (p: BenchPoint): string | null =>
      p.server === null ? null : `${mb(p.server.peakRssKb)} MB and ${formatCount(p.server.peakThreads)} ${p.server.peakThreads === 1 ? 'thread' : 'threads'}`;
    if (variant.model === 'blocking') {
      const waiting = last.clients - last.clientsServed;
      lines.push(`${variant.name} (one client at a time): served ${served}` +
        `${waiting === 0 ? '' : `; the other ${formatCount(waiting)} stayed connected and waited for the whole run`}.`);
    } else if (variant.model === 'threads' || variant.model === 'processes') {
      let cost = '';
      if (first.server !== null && last.server !== null && last.clients > first.clients) {
        const extra = last.clients - first.clients;
        const kbPerClient = (last.server.peakRssKb - first.server.peakRssKb) / extra;
        const threadsPerClient = (last.server.peakThreads - first.server.peakThreads) / extra;
        cost = ` (${memory(last)}, against ${memory(first)} with ${formatCount(first.clients)}: ` +
          `about ${formatCount(kbPerClient)} KB and ${threadsPerClient.toFixed(1)} threads per extra client)`;
      }
      lines.push(`${variant.name} (a ${variant.model === 'threads' ? 'thread' : 'process'} per client): served ${served}${cost}.`);
    } else {
      const threads = points.filter((p) => p.server !== null).map((p) => p.server!.peakThreads);
      const flat = threads.length === 0
        ? ''
        : ` with ${Math.min(...threads) === Math.max(...threads) ? formatCount(threads[0]!) : `${Math.min(...threads)} to ${Math.max(...threads)}`} OS thread${Math.max(...threads) === 1 ? '' : 's'} from ${formatCount(first.clients)} to ${formatCount(last.clients)} clients` +
          ` and ${mb(last.server!.peakRssKb)} MB peak RSS`;
      const how = variant.model === 'cluster' ? 'an event loop per core' : variant.model === 'pool' ? 'one event loop, big numbers on a worker pool' : 'one thread serves all';
      lines.push(`${variant.name} (${how}): served ${served}${flat}.`);
    }
  }
  for (const check of report.framing) {
    const wrong = check.replies.wrong + check.replies.errors;
    if (wrong > 0 || check.replies.timeouts > 0) {
      lines.push(`${check.variant}, ${check.pipeline} requests in flight on one connection: ${formatCount(wrong)} wrong replies and ` +
        `${formatCount(check.replies.timeouts)} timeouts against ${formatCount(check.replies.ok)} right: it takes each recv() chunk as one request.`);
    }
  }
  return lines;
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
