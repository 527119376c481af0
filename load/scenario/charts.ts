// The scenarios' charts as SVG strings, each drawing the one thing its workload shows: the talk's
// ratio growing with the clients (against the ideal), under I/O wait throughput against memory (every
// model but blocking ties, so memory decides), and with big numbers what they do to the light
// requests' p99 on each model. Each server keeps the colour it has in the bench's charts.

import type { Environment } from '../harness/environment.ts';
import { formatCount } from '../harness/report.ts';
import { lineChart, shortNumber, type Series } from '../harness/svg-chart.ts';
import { colourOf } from '../harness/variant-colours.ts';
import { TALK_ASYNC_SEC, TALK_SYNC_SEC, type RatioReport } from './io-ratio.ts';
import { formatMs } from './report.ts';
import type { ScenarioResult, ScenarioRun } from './run.ts';
import { worstServingLoop } from './serving-loops.ts';

/** The first chart of a section is drawn across the page, as the bench's first is. */
const WIDE_CHART = { width: 960, height: 400 } as const;
const GREY = '#777777';

export function chartCaption(environment: Environment): string {
  const e = environment;
  return `Node ${e.node}, ${e.cpuModel} x${e.cpus}, commit ${e.commit}, ${e.date.slice(0, 10)}`;
}

/** A server's name in a legend, with how many it served where that was not every client (blocking's one). */
function servedName(run: ScenarioRun): string {
  return run.clientsServed < run.clients ? `${run.variant}: ${run.clientsServed} of ${run.clients}` : run.variant;
}

/** 0.1x, 10x, 1,000x: a ratio as a reader says it. */
const ratioLabel = (r: number): string => `${r >= 1000 ? formatCount(r) : shortNumber(r)}x`;

/** The talk's experiment: one after another against all at once, as the clients grow; null when nothing was measured. */
export function ratioChart(ratio: RatioReport, caption: string): string | null {
  const loopSeed = ratio.seed.find((s) => s.variant === 'event-loop')?.figure;
  // The seed's 20 clients sit between the sweep's 10 and 100: one line through all of them.
  const loop = [...ratio.sweep, ...(loopSeed === undefined || ratio.sweep.some((f) => f.clients === loopSeed.clients) ? [] : [loopSeed])];
  const others = ratio.seed.filter((s) => s.variant !== 'event-loop');
  if (loop.length === 0 && others.length === 0) return null;
  const clients = [...new Set([...loop, ...others.map((s) => s.figure)].map((f) => f.clients))].sort((a, b) => a - b);
  const series: Series[] = [
    { name: 'ideal (N x)', dashed: true, colour: GREY, points: clients.map((n) => ({ x: n, y: n })) },
    ...(loop.length === 0 ? [] : [{ name: 'event-loop', colour: colourOf('event-loop'), points: loop.map((f) => ({ x: f.clients, y: f.ratio })) }]),
    ...others.map((s) => ({ name: s.variant, colour: colourOf(s.variant), points: [{ x: s.figure.clients, y: s.figure.ratio }] })),
    { name: 'the talk (HTTP)', colour: '#000000', points: [{ x: ratio.plan.requests, y: TALK_SYNC_SEC / TALK_ASYNC_SEC }] },
  ];
  return lineChart({
    ...WIDE_CHART,
    title: `What waiting together buys: N requests that each wait ${ratio.plan.delayMs} ms, one after another against all at once`,
    xLabel: 'clients N, one request each (log scale)',
    yLabel: 'time one after another / at once (log)',
    xLog: true,
    yLog: true,
    series,
    formatY: ratioLabel,
    caption,
  });
}

/**
 * Under I/O wait alone: each server's throughput against its peak memory, one point each. Null
 * without memory figures (no /proc).
 */
function throughputMemoryChart(result: ScenarioResult, caption: string): string | null {
  const runs = result.entries.map((e) => e.run);
  if (runs.some((r) => r.server === null)) return null;
  return lineChart({
    ...WIDE_CHART,
    title: `${result.plan.name}: throughput against memory, ${shortNumber(result.plan.clients)} clients (the wait caps all; memory decides)`,
    xLabel: 'server peak RSS, MB (log scale)',
    yLabel: 'correct replies per second',
    xLog: true,
    formatX: (v) => `${shortNumber(v)} MB`,
    series: runs.map((r) => ({
      name: servedName(r),
      colour: colourOf(r.variant),
      points: [{ x: r.server === null ? 0 : r.server.peakRssKb / 1024, y: r.requestsPerSec }],
    })),
    caption,
  });
}

/** With big numbers: each server's light p99 without them and with them, a line per server. */
function heavyCostChart(result: ScenarioResult, caption: string): string {
  const percent = result.plan.mix.reduce((sum, m) => sum + m.percent, 0);
  const p99 = (run: ScenarioRun | null): number | null =>
    run === null || run.lightUs.count === 0 ? null : run.lightUs.p99;
  return lineChart({
    ...WIDE_CHART,
    title: `${result.plan.name}: what ${shortNumber(percent)}% of big numbers do to the light requests' p99, ${shortNumber(result.plan.clients)} clients`,
    xLabel: 'share of requests that are big numbers',
    yLabel: 'light requests\' p99, ms (log scale)',
    yLog: true,
    series: result.entries.map((e) => ({
      name: servedName(e.run),
      colour: colourOf(e.variant),
      points: [{ x: 0, y: p99(e.baseline) }, { x: percent, y: p99(e.run) }],
    })),
    formatX: (v) => `${shortNumber(v)}%`,
    formatY: formatMs,
    caption,
  });
}

/**
 * With big numbers, the cause as each server measured it (its /stats): the serving loops' delay p99
 * without them and with them. null without big numbers, or when no server reported.
 */
export function loopDelayChart(result: ScenarioResult, caption: string): string | null {
  if (result.plan.mix.length === 0) return null;
  const percent = result.plan.mix.reduce((sum, m) => sum + m.percent, 0);
  const series = result.entries.map((e) => ({
    name: servedName(e.run),
    colour: colourOf(e.variant),
    points: [{ x: 0, y: worstServingLoop(e.baseline?.telemetry, 'delayP99Ms') }, { x: percent, y: worstServingLoop(e.run.telemetry, 'delayP99Ms') }],
  })).filter((s) => s.points.some((p) => p.y !== null));
  if (series.length === 0) return null;
  return lineChart({
    ...WIDE_CHART,
    title: `${result.plan.name}: the serving loops' delay p99, as each server measured it, without and with the big numbers`,
    xLabel: 'share of requests that are big numbers',
    yLabel: 'loop delay p99, ms (log scale)',
    yLog: true,
    // In µs, as formatMs reads them; a loop that was never late reads 0, which a log scale cannot
    // place: shown at the floor.
    series: series.map((s) => ({ ...s, points: s.points.map((p) => ({ x: p.x, y: p.y === null ? null : Math.max(p.y, LOOP_DELAY_FLOOR_MS) * US_PER_MS })) })),
    formatX: (v) => `${shortNumber(v)}%`,
    formatY: formatMs,
    caption,
  });
}

/** The lowest loop delay the chart draws: a tenth of a millisecond. */
const LOOP_DELAY_FLOOR_MS = 0.1;
const US_PER_MS = 1000;

/** A scenario's chart: throughput against memory without big numbers, their cost with them. */
export function scenarioChart(result: ScenarioResult, caption: string): string | null {
  return result.plan.mix.length === 0 ? throughputMemoryChart(result, caption) : heavyCostChart(result, caption);
}
