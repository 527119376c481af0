// How the perf benchmarks run load: runLoad() against servers started on the server's core, the
// servers taking turns run by run, so a slow spell of a shared machine falls on each of them alike.

import { pointProblems } from '../harness/point-problems.ts';
import type { LatencySummaryUs } from '../harness/histogram.ts';
import { loadOptions, type LoadOptions } from '../harness/load-options.ts';
import type { PerfPlan } from './report.ts';
import { startPinned, type PerfServer } from './servers.ts';
import { formatCount } from '../harness/report.ts';
import { runLoad } from '../harness/run.ts';
import type { ServerProcess } from '../harness/server-process.ts';
import type { MinMedianMax } from '../harness/stats.ts';
import type { Pinning } from '../harness/taskset.ts';

/** What every perf benchmark is given. */
export interface PerfContext {
  pinning: Pinning;
  plan: PerfPlan;
  /** One progress line, for stderr. */
  log(line: string): void;
}

/** One run's figures. */
export interface RunFigure {
  requestsPerSec: number;
  testerCpuPercent: number;
  /** Null without /proc. */
  serverCpuPercent: number | null;
  connections: number;
  /** Connections that had at least one right reply. */
  served: number;
  repliesPerClient: MinMedianMax;
  latencyUs: LatencySummaryUs;
  connectUs: LatencySummaryUs;
  /** Wrong replies, errors, timeouts, drops, failed connects, a dead server; `-` when none. */
  problems: string;
}

export type LoadSpec = Partial<Omit<LoadOptions, 'target' | 'serverPid'>>;

/** One runLoad() against a running server, reduced to its figures. */
export async function loadRun(server: ServerProcess, spec: LoadSpec, signal?: AbortSignal, pollStats = false): Promise<RunFigure> {
  // /stats is polled only where a target asks for it: elsewhere the figures are the server's alone.
  const options = loadOptions({ host: server.host, port: server.port }, { ...spec, serverPid: server.pid, statsPort: pollStats ? server.statsPort : 0 });
  const summary = await runLoad(options, signal === undefined ? {} : { signal });
  return {
    requestsPerSec: summary.requestsPerSec,
    testerCpuPercent: summary.cpu.testerPercent,
    serverCpuPercent: summary.cpu.serverPercent,
    connections: options.connections,
    served: summary.clients.served,
    repliesPerClient: summary.clients.repliesPerClient,
    latencyUs: summary.latencyUs,
    connectUs: summary.connectUs,
    problems: pointProblems({ replies: summary.replies, serverExited: server.exited }),
  };
}

/**
 * Starts every server, then runs `measure` on each in turn, `runs` times, starting each round one
 * server further on (A B C, B C A, C A B, ...). Returns each server's figures in run order.
 */
export async function alternate<T>(
  servers: readonly PerfServer[],
  runs: number,
  context: PerfContext,
  measure: (server: ServerProcess, spec: PerfServer) => Promise<T>,
  describe: (figure: T) => string,
): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(servers.map((s) => [s.name, []]));
  const started: ServerProcess[] = [];
  try {
    for (const server of servers) started.push(await startPinned(server, context.pinning));
    for (let run = 0; run < runs; run++) {
      for (let k = 0; k < servers.length; k++) {
        const at = (run + k) % servers.length;
        const figure = await measure(started[at]!, servers[at]!);
        results.get(servers[at]!.name)!.push(figure);
        context.log(`  run ${run + 1}/${runs} ${servers[at]!.name}: ${describe(figure)}`);
      }
    }
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
  return results;
}

export const reqPerSec = (n: number): string => formatCount(n);

/** `server 99%, tester 71%` from the medians of a server's runs. */
export function cpuLine(name: string, figures: readonly RunFigure[], median: (v: number[]) => number): string {
  const server = figures.map((f) => f.serverCpuPercent).filter((v): v is number => v !== null);
  const serverText = server.length === 0 ? 'n/a' : `${median(server).toFixed(0)}%`;
  return `CPU ${name}: server ${serverText}, tester ${median(figures.map((f) => f.testerCpuPercent)).toFixed(0)}%`;
}

/** Every problem any run had, `-` when none. */
export function problemsOf(figures: readonly RunFigure[]): string {
  const seen = [...new Set(figures.map((f) => f.problems).filter((p) => p !== '-'))];
  return seen.length === 0 ? '-' : seen.join('; ');
}
