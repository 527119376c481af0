// The benchmark's three charts as chart specs: throughput and p99 against concurrency, and peak
// memory against clients, one line per server (the Python peers dashed).

import type { BenchReport } from './run.ts';
import { lineChart, shortNumber, type Series } from '../harness/svg-chart.ts';

function seriesOf(report: BenchReport, y: (p: BenchReport['points'][number]) => number | null): Series[] {
  return report.variants.map((v) => ({
    name: v.name,
    dashed: v.family === 'python',
    points: report.points.filter((p) => p.variant === v.name).map((p) => ({ x: p.clients, y: y(p) })),
  }));
}

function chartCaption(report: BenchReport): string {
  const e = report.environment;
  return `Node ${e.node}, ${e.cpuModel} x${e.cpus}, ${report.options.durationSec} s per point, commit ${e.commit}, ${e.date.slice(0, 10)}`;
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
    yLabel: 'p99 latency, µs (log scale)',
    xLog: true,
    yLog: true,
    series: seriesOf(report, (p) => (p.latencyUs.count === 0 ? null : p.latencyUs.p99)),
    formatY: (v) => `${shortNumber(v)}`,
    caption: chartCaption(report),
  });
}

export function memoryChart(report: BenchReport): string {
  return lineChart({
    title: 'Server peak RSS against clients',
    xLabel: 'concurrent clients (log scale)',
    yLabel: 'peak RSS, MB',
    xLog: true,
    series: seriesOf(report, (p) => (p.server === null ? null : p.server.peakRssKb / 1024)),
    caption: chartCaption(report),
  });
}
