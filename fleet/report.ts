// The fleet's report: the run's record (JSON), its tables for the terminal, and the on-paper scaling
// read from it. Renderers return strings; main.ts writes.

import Table from 'cli-table3';
import type { Environment } from '../load/harness/environment.ts';
import { describeLoadAverage, type LoadAverage } from '../load/harness/load-average.ts';
import { PLAIN, formatCount } from '../load/harness/report.ts';
import type { BenchPoint } from './bench.ts';
import type { CrashReport, DrainReport } from './faults.ts';

export interface FleetReport {
  environment: Environment;
  hosts: { kind: 'namespaces' | 'loopback'; description: string };
  variant: string;
  durationSec: number;
  /** Other work on the same cores makes the figures noisier: said beside them. */
  loadAverage: LoadAverage;
  /** The config HAProxy ran with (the last one, for the bench: in front of 4). */
  haproxyConfig: string;
  bench: BenchPoint[] | null;
  crash: CrashReport | null;
  drain: DrainReport | null;
}

/** What N machines would carry, from the per-request CPU measured on this one. */
export interface PaperScaling {
  /** One backend's requests per second per core of its own, from the direct run's CPU per request. */
  backendPerCore: number;
  /** HAProxy's requests per second per core, from its CPU per request. */
  balancerPerCore: number;
  /** Backends (one core each) that one HAProxy core can feed before it is the limit. */
  backendsPerBalancerCore: number;
}

/** From the 100-client runs: the direct one and HAProxy in front of 1 (each request then crosses both). */
export function paperScaling(points: readonly BenchPoint[]): PaperScaling | null {
  const direct = points.find((p) => p.path === 'direct' && p.clients === 100)?.serverCpuUsPerRequest;
  const balancer = points.find((p) => p.path === 'haproxy' && p.backends === 1 && p.clients === 100)?.serverCpuUsPerRequest;
  if (direct === undefined || direct === null || balancer === undefined || balancer === null || direct === 0 || balancer === 0) return null;
  const backendPerCore = 1e6 / direct;
  const balancerPerCore = 1e6 / balancer;
  return { backendPerCore, balancerPerCore, backendsPerBalancerCore: balancerPerCore / backendPerCore };
}

/** The bench table's columns, in the terminal and on the results page. */
export const BENCH_HEAD = ['Path', 'Backends', 'Clients', 'Req/s', 'p50 (µs)', 'p99 (µs)', 'Server CPU %', 'CPU µs/req', 'Failed', 'Connections per backend'];

/** One bench point as a row of BENCH_HEAD. */
export function benchRow(p: BenchPoint): string[] {
  return [
    p.path === 'direct' ? 'direct' : 'HAProxy',
    String(p.backends),
    formatCount(p.clients),
    formatCount(p.requestsPerSec),
    formatCount(p.latencyUs.p50),
    formatCount(p.latencyUs.p99),
    p.serverCpuPercent === null ? '-' : p.serverCpuPercent.toFixed(0),
    p.serverCpuUsPerRequest === null ? '-' : p.serverCpuUsPerRequest.toFixed(1),
    formatCount(p.failed),
    p.connectionsPerBackend === null ? '-' : Object.entries(p.connectionsPerBackend).map(([name, n]) => `${name} ${n}`).join(', '),
  ];
}

function renderBenchTable(points: readonly BenchPoint[]): string {
  const table = new Table({ head: BENCH_HEAD, style: PLAIN });
  for (const p of points) table.push(benchRow(p));
  return `${table.toString()}\n`;
}

/** The crash's rows, for the terminal and the Markdown page alike. */
export function crashRows(crash: CrashReport): string[][] {
  const lost = crash.lost;
  return [
    ['load', `${crash.clients} clients through HAProxy for ${crash.durationSec} s`],
    ['killed (SIGKILL)', `${crash.killed}, with ${crash.connectionsOnKilled} client connections on it; ${crash.connectionsGivenUntilDown} more sent to it before it was marked down`],
    ['requests lost', `${lost.dropped + lost.timeouts + lost.errors} (dropped in flight ${lost.dropped}, timed out ${lost.timeouts}, error replies ${lost.errors}); failed connects ${lost.connectFailed}`],
    ['served', `${formatCount(crash.ok)} right answers, ${formatCount(crash.requestsPerSec)} req/s; ${formatCount(crash.connects)} connects (reconnects included)`],
    ['time to detect', `${crash.detectMs} ms (kill to DOWN; the config's bound is ${crash.detectBoundMs} ms)`],
    ['time to rejoin', `${crash.rejoinMs} ms (restarted to UP)`],
    ['connections per backend', Object.entries(crash.connectionsPerBackend).map(([name, n]) => `${name} ${n}`).join(', ')],
  ];
}

function renderCrash(crash: CrashReport): string {
  const table = new Table({ head: ['Crash under load', ''], style: PLAIN });
  table.push(...crashRows(crash));
  return `${table.toString()}\n`;
}

/** The drain's rows, for the terminal and the Markdown page alike. */
export function drainRows(drain: DrainReport): string[][] {
  const lost = drain.lost;
  return [
    ['load', `${drain.clients} clients through HAProxy for ${drain.durationSec} s`],
    ['drained, then SIGTERM', `${drain.drained}: ${drain.connectionsAtDrain} client connections at the drain, ${drain.connectionsAtStop} still open at SIGTERM (drain sends no new ones; open ones stay)`],
    ['new connections to it after the drain', String(drain.newConnectionsAfterDrain)],
    ['requests lost', `${lost.dropped + lost.timeouts + lost.errors} (dropped in flight ${lost.dropped}, timed out ${lost.timeouts}, error replies ${lost.errors}); failed connects ${lost.connectFailed}`],
    ['sent again after its goodbye', `${drain.resent} (in flight at its \`error: shutting down\`, none read there)`],
    ['served', `${formatCount(drain.ok)} right answers, ${formatCount(drain.requestsPerSec)} req/s`],
  ];
}

function renderDrain(drain: DrainReport): string {
  const table = new Table({ head: ['Drain, then SIGTERM', ''], style: PLAIN });
  table.push(...drainRows(drain));
  return `${table.toString()}\n`;
}

function renderPaperScaling(scaling: PaperScaling): string {
  return [
    'On paper (2 cores here: every host shares them, so these runs show the hop\'s cost, not scaling):',
    `  one backend core carries about ${formatCount(scaling.backendPerCore)} req/s (its CPU per request, direct);`,
    `  one HAProxy core relays about ${formatCount(scaling.balancerPerCore)} req/s (its CPU per request);`,
    `  so N one-core backends carry about N x ${formatCount(scaling.backendPerCore)} req/s while HAProxy has a core per ${scaling.backendsPerBalancerCore.toFixed(2)} of them;`,
    '  past that the balancer is the limit (more HAProxy threads, then more balancers).',
    '',
  ].join('\n');
}

export function renderFleetText(report: FleetReport): string {
  const parts = [`fleet: ${report.hosts.description}; backends ${report.variant} --proxy-protocol; ${describeLoadAverage(report.loadAverage)}\n`];
  if (report.bench !== null) {
    parts.push(renderBenchTable(report.bench));
    const scaling = paperScaling(report.bench);
    if (scaling !== null) parts.push(renderPaperScaling(scaling));
  }
  if (report.crash !== null) parts.push(renderCrash(report.crash));
  if (report.drain !== null) parts.push(renderDrain(report.drain));
  return parts.join('\n');
}
