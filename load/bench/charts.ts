// The benchmark's charts as SVG strings, in the order a reader needs them: how many of the clients
// each server served (the blog's story in one picture), then throughput and p99 against concurrency,
// and peak memory. One line per server; each server keeps its colour in every chart, hexd's in full
// colours and the blog's Python servers dashed in their own darker ones.

import type { BenchReport } from './run.ts';
import { lineChart, shortNumber, type Series } from '../harness/svg-chart.ts';
import { colourOf } from '../harness/variant-colours.ts';

/** The first chart is drawn across the page; the others, two abreast, at the chart's own size. They scale to the page's width. */
const WIDE_CHART = { width: 960, height: 400 } as const;

function seriesOf(report: BenchReport, y: (p: BenchReport['points'][number]) => number | null): Series[] {
  return report.variants.map((v) => ({
    name: v.name,
    dashed: v.family === 'python',
    colour: colourOf(v.name),
    points: report.points.filter((p) => p.variant === v.name).map((p) => ({ x: p.clients, y: y(p) })),
  }));
}

function chartCaption(report: BenchReport): string {
  const e = report.environment;
  return `Node ${e.node}, ${e.cpuModel} x${e.cpus}, ${report.options.durationSec} s per point, commit ${e.commit}, ${e.date.slice(0, 10)}`;
}

/** The chart to read first: clients that got at least one correct reply, against clients connected. */
export function servedChart(report: BenchReport): string {
  return lineChart({
    ...WIDE_CHART,
    title: 'Clients served, of N connected (blocking serves one)',
    xLabel: 'concurrent clients N (log scale)',
    yLabel: 'clients served (log scale)',
    xLog: true,
    yLog: true,
    series: seriesOf(report, (p) => (p.clientsServed === 0 ? null : p.clientsServed)),
    caption: chartCaption(report),
  });
}

export function throughputChart(report: BenchReport): string {
  return lineChart({
    title: 'Throughput: correct replies per second',
    xLabel: 'concurrent clients (log scale)',
    yLabel: 'requests/s',
    xLog: true,
    series: seriesOf(report, (p) => p.requestsPerSec),
    caption: chartCaption(report),
  });
}

export function p99Chart(report: BenchReport): string {
  return lineChart({
    title: 'p99 latency of the replies that came',
    xLabel: 'concurrent clients (log scale)',
    yLabel: 'p99 latency (log scale)',
    xLog: true,
    yLog: true,
    series: seriesOf(report, (p) => (p.latencyUs.count === 0 ? null : p.latencyUs.p99)),
    formatY: formatMicroseconds,
    caption: chartCaption(report),
  });
}

export function memoryChart(report: BenchReport): string {
  return lineChart({
    title: 'Server peak memory (RSS) against clients',
    xLabel: 'concurrent clients (log scale)',
    yLabel: 'peak RSS',
    xLog: true,
    series: seriesOf(report, (p) => (p.server === null ? null : p.server.peakRssKb / 1024)),
    formatY: formatMegabytes,
    caption: chartCaption(report),
  });
}

/**
 * The servers' own loop delay (their /stats: the worst p99 of any thread in any 250 ms interval),
 * against clients: the cause behind the p99 chart, measured inside. Null when no point has it (the
 * blog's servers have no /stats and get no line).
 */
export function loopDelayChart(report: BenchReport): string | null {
  if (!report.points.some((p) => p.telemetry != null)) return null;
  const watched = new Set(report.points.filter((p) => p.telemetry != null).map((p) => p.variant));
  return lineChart({
    title: 'Event-loop delay p99, as each server measured it',
    xLabel: 'concurrent clients (log scale)',
    yLabel: 'loop delay p99 (ms)',
    xLog: true,
    series: seriesOf(report, (p) => (p.telemetry == null ? null : p.telemetry.loopDelayP99Ms)).filter((s) => watched.has(s.name)),
    caption: chartCaption(report),
  });
}

/** An axis label for a time in µs: 500 µs, 20 ms, 1.5 s. */
function formatMicroseconds(us: number): string {
  if (us >= 1e6) return `${shortNumber(us / 1e6)} s`;
  if (us >= 1e3) return `${shortNumber(us / 1e3)} ms`;
  return `${shortNumber(us)} µs`;
}

/** An axis label for a size in MB: 50 MB, 1.5 GB. */
function formatMegabytes(megabytes: number): string {
  return megabytes >= 1000 ? `${shortNumber(megabytes / 1000)} GB` : `${shortNumber(megabytes)} MB`;
}
