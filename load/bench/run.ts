// The benchmark sweep: for each server and each concurrency, a fresh server process, the same load,
// and /proc samples of the server while it runs. Returns one record; rendering is done elsewhere.

import type { Problem } from '../harness/tally.ts';
import type { ServerView } from '../harness/server-view.ts';
import type { Environment } from '../harness/environment.ts';
import type { BenchOptions } from './options.ts';
import { ROOT, type Model, type Peer } from '../harness/peers.ts';
import { loadOptions } from '../harness/load-options.ts';
import { ProcSampler, type SamplerSummary } from '../harness/proc-sampler.ts';
import { procAvailable } from '../../common/proc.ts';
import { runLoad } from '../harness/run.ts';
import { startServerProcess } from '../harness/server-process.ts';
import type { LoadSummary } from '../harness/summary.ts';
import type { LatencySummaryUs } from '../harness/histogram.ts';
import { formatCount } from '../harness/report.ts';
import { plural } from '../../common/plural.ts';

export interface BenchPoint {
  variant: string;
  model: Model;
  clients: number;
  durationSec: number;
  requestsPerSec: number;
  latencyUs: LatencySummaryUs;
  clientsServed: number;
  repliesPerClient: LoadSummary['clients']['repliesPerClient'];
  replies: LoadSummary['replies'];
  unfinished: number;
  testerCpuPercent: number;
  /** Null when /proc sampling is off. */
  server: SamplerSummary | null;
  /** The server process died during the load (the blog's sync server does, on a reset). */
  serverExited: boolean;
  problems: Problem[];
  /** The server's own view from its /stats (docs/telemetry.md); absent or null for a server without one. */
  telemetry?: ServerView | null;
}

/** The short pipelined run that shows whether a server frames requests by line. */
export interface FramingCheck {
  variant: string;
  pipeline: number;
  replies: LoadSummary['replies'];
  problems: Problem[];
  serverExited: boolean;
}

export interface BenchReport {
  environment: Environment;
  options: BenchOptions;
  /** `on`, or why it is off. */
  sampling: string;
  variants: { name: string; model: Model; family: Peer['family'] }[];
  /** Variants asked for but not run, with the reason. */
  skipped: { name: string; reason: string }[];
  points: BenchPoint[];
  framing: FramingCheck[];
  elapsedSec: number;
}

const FRAMING_PIPELINE = 16;

export interface BenchHooks {
  /** One line per finished point, for stderr. */
  log(line: string): void;
}

export async function runBench(
  options: BenchOptions,
  peers: readonly Peer[],
  context: { environment: Environment; skipped: BenchReport['skipped'] },
  hooks: BenchHooks,
): Promise<BenchReport> {
  const t0 = performance.now();
  const sampling = procAvailable() ? 'on' : 'off: no /proc on this system (Linux only), so no RSS, thread or CPU figures';
  const points: BenchPoint[] = [];
  const framing: FramingCheck[] = [];
  for (const peer of peers) {
    if (options.framingCheck) {
      const check = await runFramingCheck(peer, options);
      framing.push(check);
      const r = check.replies;
      hooks.log(`${peer.name}: framing check (pipeline ${FRAMING_PIPELINE}): ${formatCount(r.ok)} right, ${formatCount(r.wrong + r.errors)} wrong, ${formatCount(r.timeouts)} timeouts`);
    }
    for (const clients of options.concurrency) {
      const point = await runPoint(peer, clients, options);
      points.push(point);
      hooks.log(`${peer.name} x ${clients}: ${formatCount(point.requestsPerSec)} req/s, ${point.clientsServed} of ${clients} served${point.server === null ? '' : `, peak RSS ${(point.server.peakRssKb / 1024).toFixed(1)} MB, ${plural(point.server.peakThreads, 'thread')}`}`);
    }
  }
  return {
    environment: context.environment,
    options,
    sampling,
    variants: peers.map((p) => ({ name: p.name, model: p.model, family: p.family })),
    skipped: context.skipped,
    points,
    framing,
    elapsedSec: Math.round((performance.now() - t0) / 100) / 10,
  };
}

async function runPoint(peer: Peer, clients: number, options: BenchOptions): Promise<BenchPoint> {
  const server = await startServerProcess(peer.command, peer.args, { cwd: ROOT });
  try {
    const sampler = procAvailable() ? new ProcSampler(server.pid, 100) : null;
    await sampler?.start();
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, {
      connections: clients,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      pipeline: options.pipeline,
      timeoutMs: options.timeoutMs,
      statsPort: server.statsPort, // 0 for the blog's servers: not asked
    }));
    const sampled = (await sampler?.stop()) ?? null;
    return {
      variant: peer.name,
      model: peer.model,
      clients,
      durationSec: summary.durationSec,
      requestsPerSec: summary.requestsPerSec,
      latencyUs: summary.latencyUs,
      clientsServed: summary.clients.served,
      repliesPerClient: summary.clients.repliesPerClient,
      replies: summary.replies,
      unfinished: summary.requests.unfinished,
      testerCpuPercent: summary.cpu.testerPercent,
      server: sampled,
      serverExited: server.exited,
      problems: summary.problems,
      telemetry: summary.server,
    };
  } finally {
    await server.stop();
  }
}

async function runFramingCheck(peer: Peer, options: BenchOptions): Promise<FramingCheck> {
  const server = await startServerProcess(peer.command, peer.args, { cwd: ROOT });
  try {
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, {
      connections: 1,
      pipeline: FRAMING_PIPELINE,
      durationSec: options.quick ? 0.5 : 1,
      timeoutMs: 200,
    }));
    return {
      variant: peer.name,
      pipeline: FRAMING_PIPELINE,
      replies: summary.replies,
      problems: summary.problems,
      serverExited: server.exited,
    };
  } finally {
    await server.stop();
  }
}
