// Connection targets of perf against event-loop with its default options: 10,000 concurrent
// connections all served (none lost to a short accept queue); a burst of 10,000 connections opened at
// once, each asking one number at a time, all answered within 5 s and the slowest first reply within
// 1 s of its connect() (asyncio and uvloop through the same burst, for reference); what an idle connection costs in
// RSS at 5,000 connections, 2 s after they connect (the reference server and uvloop measured alike,
// uvloop's figure being the bound).

import { setTimeout as delay } from 'node:timers/promises';
import { notAvailable, type TargetResult } from './report.ts';
import { type PerfContext, type RunFigure, loadRun, problemsOf } from './runs.ts';
import { findUvloop, hexdServer, pythonServer, referenceServer, startPinned, type PerfServer } from './servers.ts';
import { median } from '../harness/stats.ts';
import { allOf, atLeast, atMost, listRuns } from './verdict.ts';
import { sampleTree } from '../harness/proc-sampler.ts';
import { fdCount, procAvailable } from '../../common/proc.ts';
import { formatCount } from '../harness/report.ts';
import { burst, quantile, type BurstFigure } from './burst.ts';
import { findPython } from '../harness/peers.ts';

const BENCHMARK = 'load/perf/connections.ts';
const MANY_CONNECTIONS = 10_000;
const IDLE_CONNECTIONS = 5_000;
const IDLE_SETTLE_MS = 2_000;
/** uvloop's figure, measured beside it in the same runs. */
const IDLE_KB_PER_CONNECTION = 4.4;
/**
 * "None lost" means every connection connects and gets a right reply, however late its turn: the
 * request and connect timeout and the run's cap are this long. Under load the server accepts one
 * connection per listening socket per pass of its event loop (servers/shared/listeners.ts), so the last ones
 * can wait seconds.
 */
const MANY_LIMIT_MS = 20_000;
/** After the server holds every connection, this long for each to be answered. */
const MANY_SETTLE_MS = 2_000;
const CONNECT_WAIT_MS = 10_000;
/**
 * Idle connections are opened at this pace rather than in one burst, so that neither server's accept
 * queue overflows (the reference keeps Node's default backlog of 511) and both hold all of them soon.
 */
const IDLE_CONNECT_RATE = 5_000;

export interface IdleFigure {
  server: string;
  baselineRssKb: number;
  rssKb: number;
  /** Sockets the server held when RSS was read (from its open file descriptors). */
  connections: number;
  kbPerConnection: number;
  /** From the start of the connects until the server held them all. */
  connectMs: number;
}

export interface ManyFigure extends RunFigure {
  /** From the start of the burst until the server had accepted every connection; null if never. */
  allAcceptedMs: number | null;
}

export interface ConnectionsData {
  many: ManyFigure[];
  idle: IdleFigure[];
  /** Each server's burst figures, first replies summarized (p50, p99, max ms). */
  burst: Record<string, BurstSummary[]>;
}

const BURST_CLIENTS = 10_000;
const BURST_WINDOW_MS = 5_000;
const BURST_SLOWEST_MS = 1_000;

export interface BurstSummary {
  clients: number;
  served: number;
  wrong: number;
  repliesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The tester's own part of a first reply: connect() call to 'connect' event (burst.ts), p50 and max. */
  connectP50Ms: number;
  connectMaxMs: number;
}

function summarizeBurst(f: BurstFigure): BurstSummary {
  return {
    clients: f.clients,
    served: f.served,
    wrong: f.wrong,
    repliesPerSec: f.replies / (BURST_WINDOW_MS / 1000),
    p50Ms: quantile(f.firstReplyMs, 0.5),
    p99Ms: quantile(f.firstReplyMs, 0.99),
    maxMs: f.firstReplyMs.at(-1) ?? Number.NaN,
    connectP50Ms: quantile(f.connectMs, 0.5),
    connectMaxMs: f.connectMs.at(-1) ?? Number.NaN,
  };
}

const describeBurst = (b: BurstSummary): string =>
  `${formatCount(b.served)} of ${formatCount(b.clients)} answered within ${BURST_WINDOW_MS / 1000} s, first reply p50 ${b.p50Ms.toFixed(0)} ms, ` +
  `p99 ${b.p99Ms.toFixed(0)} ms, max ${b.maxMs.toFixed(0)} ms, ${formatCount(b.repliesPerSec)} replies/s${b.wrong > 0 ? `, ${formatCount(b.wrong)} wrong` : ''}; ` +
  `of which the tester's connect() to 'connect' event: p50 ${b.connectP50Ms.toFixed(0)} ms, max ${b.connectMaxMs.toFixed(0)} ms`;

/** The burst against event-loop, then against asyncio and uvloop where installed, `runs` rounds in turn. */
async function benchBurst(context: PerfContext, runs: number): Promise<{ target: TargetResult; data: Record<string, BurstSummary[]> }> {
  const uvloop = findUvloop();
  // --quick: event-loop alone.
  const servers: PerfServer[] = [
    hexdServer('event-loop'),
    ...(context.plan.quick || findPython() === null ? [] : [pythonServer('asyncio-lines', 'python3')]),
    ...(context.plan.quick || !uvloop.found ? [] : [pythonServer('uvloop-lines', uvloop.python)]),
  ];
  context.log(`burst: ${formatCount(BURST_CLIENTS)} connections opened at once, each asking one number at a time for ${BURST_WINDOW_MS / 1000} s`);
  const data: Record<string, BurstSummary[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < servers.length; k++) {
      const spec = servers[(run + k) % servers.length]!;
      const server = await startPinned(spec, context.pinning);
      try {
        await delay(500);
        const figure = summarizeBurst(await burst({ host: server.host, port: server.port, clients: BURST_CLIENTS, windowMs: BURST_WINDOW_MS }));
        data[spec.name]!.push(figure);
        context.log(`  run ${run + 1}/${runs} ${spec.name}: ${describeBurst(figure)}`);
      } finally {
        await server.stop(10_000);
      }
    }
  }
  return { target: burstTarget(data), data };
}

export function burstTarget(data: Record<string, BurstSummary[]>): TargetResult {
  const hexd = data['event-loop'] ?? [];
  const served = median(hexd.map((b) => b.served));
  const slowest = median(hexd.map((b) => b.maxMs));
  const wrong = hexd.reduce((sum, b) => sum + b.wrong, 0);
  const rate = median(hexd.map((b) => b.repliesPerSec));
  const uvloopRuns = data['python-uvloop-lines'] ?? [];
  const uvloopRate = uvloopRuns.length === 0 ? 0 : median(uvloopRuns.map((b) => b.repliesPerSec));
  const verdict = allOf(atLeast(served, BURST_CLIENTS), atMost(slowest, BURST_SLOWEST_MS), atLeast(rate, uvloopRate), wrong === 0 ? 'PASS' : 'FAIL');
  const medianOf = (name: string): string => {
    const list = data[name] ?? [];
    if (list.length === 0) return `${name}: not measured`;
    return `${name}: ${formatCount(median(list.map((b) => b.served)))} answered, slowest ${median(list.map((b) => b.maxMs)).toFixed(0)} ms, ${formatCount(median(list.map((b) => b.repliesPerSec)))} replies/s`;
  };
  return {
    benchmark: BENCHMARK,
    target: `a burst of ${formatCount(BURST_CLIENTS)} connections against event-loop: every one answered within ${BURST_WINDOW_MS / 1000} s, the slowest first reply, timed from its connect() call, at most ${BURST_SLOWEST_MS / 1000} s, and replies/s during the burst at least uvloop's (asyncio and uvloop through the same burst, for reference)`,
    figure: `event-loop: ${formatCount(served)} of ${formatCount(BURST_CLIENTS)} answered, slowest first reply ${slowest.toFixed(0)} ms, ${formatCount(rate)} replies/s (medians of the runs); ` +
      `${medianOf('python-asyncio-lines')}; ${medianOf('python-uvloop-lines')}`,
    runs: Object.entries(data).flatMap(([name, list]) => list.map((b, i) => `${name} run ${i + 1}: ${describeBurst(b)}`)),
    verdict,
    ...(verdict === 'FAIL' ? { note: `needs all ${formatCount(BURST_CLIENTS)} answered, the slowest within ${BURST_SLOWEST_MS} ms, and uvloop's replies/s` } : {}),
    value: Number.isFinite(slowest) ? Math.round(slowest) : null,
    threshold: BURST_SLOWEST_MS,
    unit: 'ms, slowest connect-to-first-reply',
  };
}

export async function benchConnections(context: PerfContext): Promise<{ targets: TargetResult[]; data: ConnectionsData }> {
  // Each run opens thousands of connections: fewer runs in a quick smoke run.
  const runs = context.plan.quick ? 1 : context.plan.runs;
  const many: ManyFigure[] = [];
  context.log(`event-loop: ${formatCount(MANY_CONNECTIONS)} concurrent connections, opened at once`);
  for (let run = 0; run < runs; run++) {
    const figure = await manyRun(context);
    many.push(figure);
    context.log(`  run ${run + 1}/${runs}: ${formatCount(figure.served)} of ${formatCount(MANY_CONNECTIONS)} served, ` +
      `all accepted after ${figure.allAcceptedMs === null ? 'never' : `${formatCount(figure.allAcceptedMs)} ms`}, ` +
      `connect p99 ${formatCount(figure.connectUs.p99 / 1000)} ms, max ${formatCount(figure.connectUs.max / 1000)} ms, problems: ${figure.problems}`);
  }
  const targets = [manyTarget(many)];
  const bursts = await benchBurst(context, runs);
  targets.push(bursts.target);

  const idle: IdleFigure[] = [];
  const idleTarget = `event-loop with default options (idle timeout on): RSS grows by at most ${IDLE_KB_PER_CONNECTION} KB per idle connection at ${formatCount(IDLE_CONNECTIONS)} connections, measured ${IDLE_SETTLE_MS / 1000} s after they connect`;
  if (!procAvailable()) {
    targets.push(notAvailable(BENCHMARK, idleTarget, 'no /proc on this system (Linux only)'));
    return { targets, data: { many, idle, burst: bursts.data } };
  }
  context.log(`idle connections: RSS growth at ${formatCount(IDLE_CONNECTIONS)} connections, ${IDLE_SETTLE_MS} ms after they connect`);
  const uvloop = findUvloop();
  const servers = [hexdServer('event-loop'), referenceServer(), ...(uvloop.found ? [pythonServer('uvloop-lines', uvloop.python)] : [])];
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < servers.length; k++) {
      const figure = await idleRun(servers[(run + k) % servers.length]!, context);
      idle.push(figure);
      context.log(`  run ${run + 1}/${runs} ${figure.server}: ${figure.kbPerConnection.toFixed(1)} KB per connection (${formatCount(figure.connections)} held, RSS ${formatCount(figure.baselineRssKb)} -> ${formatCount(figure.rssKb)} KB)`);
    }
  }
  targets.push(idleMemoryTarget(idleTarget, idle));
  return { targets, data: { many, idle, burst: bursts.data } };
}

/**
 * Opens MANY_CONNECTIONS connections at once, closed loop, and stops MANY_SETTLE_MS after the server's
 * open descriptors show it accepted them all (or at MANY_LIMIT_MS): then every client has had its turn.
 */
async function manyRun(context: PerfContext): Promise<ManyFigure> {
  const server = await startPinned(hexdServer('event-loop'), context.pinning);
  try {
    const baseFds = await fdCount(server.pid);
    const stop = new AbortController();
    const t0 = performance.now();
    let running = true;
    const run = loadRun(server, {
      connections: MANY_CONNECTIONS,
      pipeline: 1,
      durationSec: MANY_LIMIT_MS / 1000,
      timeoutMs: MANY_LIMIT_MS,
    }, stop.signal).finally(() => {
      running = false;
    });
    let allAcceptedMs: number | null = null;
    while (running && allAcceptedMs === null && performance.now() - t0 < MANY_LIMIT_MS) {
      if ((await fdCount(server.pid)) - baseFds >= MANY_CONNECTIONS) allAcceptedMs = Math.round(performance.now() - t0);
      else await delay(20);
    }
    if (allAcceptedMs !== null) {
      await Promise.race([run, delay(MANY_SETTLE_MS)]);
      stop.abort();
    }
    return { ...(await run), allAcceptedMs };
  } finally {
    await server.stop();
  }
}

/** `all accepted in 3 of 5 runs (median 540 ms), within 20 s` */
function acceptedText(runs: readonly ManyFigure[]): string {
  const accepted = runs.map((f) => f.allAcceptedMs).filter((ms): ms is number => ms !== null);
  const when = accepted.length === 0 ? '' : ` (median ${formatCount(median(accepted))} ms)`;
  return `the server accepted all ${formatCount(MANY_CONNECTIONS)} within ${MANY_LIMIT_MS / 1000} s in ${accepted.length} of ${runs.length} runs${when}`;
}

export function manyTarget(runs: readonly ManyFigure[]): TargetResult {
  const served = median(runs.map((f) => f.served));
  const problems = problemsOf(runs);
  const connectMaxMs = median(runs.map((f) => f.connectUs.max / 1000));
  const acceptedMs = (f: ManyFigure): string => (f.allAcceptedMs === null ? 'never' : formatCount(f.allAcceptedMs));
  const verdict = allOf(atLeast(served, MANY_CONNECTIONS), problems === '-' ? 'PASS' : 'FAIL');
  return {
    benchmark: BENCHMARK,
    target: `${formatCount(MANY_CONNECTIONS)} concurrent connections against event-loop: every one served, none lost to a short accept queue`,
    figure: `${formatCount(served)} of ${formatCount(MANY_CONNECTIONS)} served (median); ${acceptedText(runs)}; ` +
      `slowest connect ${connectMaxMs.toFixed(0)} ms (1000 ms or more: a SYN was dropped by a full accept queue and retried)`,
    runs: [
      `served: ${listRuns(runs.map((f) => f.served), formatCount)}`,
      `all accepted after ms: ${runs.map(acceptedMs).join(' ')}`,
      `connect p99 / max ms: ${runs.map((f) => `${(f.connectUs.p99 / 1000).toFixed(0)}/${(f.connectUs.max / 1000).toFixed(0)}`).join(' ')}`,
      `CPU server/tester %: ${runs.map((f) => `${f.serverCpuPercent ?? 'n/a'}/${f.testerCpuPercent}`).join(' ')}`,
      `problems: ${problems}`,
    ],
    verdict,
    ...(verdict === 'FAIL' ? { note: problems === '-' ? 'not every connection was served' : problems } : {}),
    value: served,
    threshold: MANY_CONNECTIONS,
    unit: 'connections served',
  };
}

export function idleMemoryTarget(target: string, figures: readonly IdleFigure[]): TargetResult {
  const of = (name: string): IdleFigure[] => figures.filter((f) => f.server === name);
  const hexd = of('event-loop');
  const reference = of('reference');
  const uvloop = of('python-uvloop-lines');
  const kb = median(hexd.map((f) => f.kbPerConnection));
  const held = median(hexd.map((f) => f.connections));
  const allHeld = atLeast(held, IDLE_CONNECTIONS);
  const verdict = allOf(atMost(kb, IDLE_KB_PER_CONNECTION), allHeld);
  const line = (name: string, list: readonly IdleFigure[]): string =>
    `${name} KB/connection: ${listRuns(list.map((f) => f.kbPerConnection), (n) => n.toFixed(1))} (held ${listRuns(list.map((f) => f.connections), formatCount)})`;
  return {
    benchmark: BENCHMARK,
    target,
    figure: `${kb.toFixed(1)} KB per idle connection (RSS ${formatCount(median(hexd.map((f) => f.baselineRssKb)))} -> ${formatCount(median(hexd.map((f) => f.rssKb)))} KB); ` +
      `reference server: ${median(reference.map((f) => f.kbPerConnection)).toFixed(1)} KB` +
      (uvloop.length === 0 ? '' : `, uvloop: ${median(uvloop.map((f) => f.kbPerConnection)).toFixed(1)} KB`),
    runs: [line('event-loop', hexd), line('reference', reference), ...(uvloop.length === 0 ? [] : [line('python-uvloop-lines', uvloop)]), `event-loop connect ms: ${listRuns(hexd.map((f) => f.connectMs), (n) => n.toFixed(0))}`],
    verdict,
    ...(verdict === 'FAIL' ? { note: allHeld === 'FAIL' ? `only ${formatCount(held)} connections held` : `needs ${IDLE_KB_PER_CONNECTION} KB or less` } : {}),
    value: Number.isFinite(kb) ? Math.round(kb * 100) / 100 : null,
    threshold: IDLE_KB_PER_CONNECTION,
    unit: 'KB RSS per idle connection',
  };
}

/**
 * An open-loop rate so low that connection k's first request is due k x 100 s after it connects: only
 * the first connection ever sends one (and is answered), the rest stay idle for the whole measurement.
 * Low enough, yet the longest wait (IDLE_CONNECTIONS x 100 s) stays within setTimeout's 2^31 ms.
 */
const IDLE_RATE = 0.01;

/**
 * Opens IDLE_CONNECTIONS connections (at IDLE_CONNECT_RATE) and keeps them open without load (IDLE_RATE). The
 * server's RSS is read before, and IDLE_SETTLE_MS after its open descriptors show every connection
 * held; then the run is stopped.
 */
async function idleRun(spec: PerfServer, context: PerfContext): Promise<IdleFigure> {
  const server = await startPinned(spec, context.pinning);
  try {
    await delay(300); // let start-up work settle before the baseline
    const baseFds = await fdCount(server.pid);
    const before = await sampleTree(server.pid);
    const stop = new AbortController();
    const t0 = performance.now();
    const run = loadRun(server, {
      connections: IDLE_CONNECTIONS,
      connectRate: IDLE_CONNECT_RATE,
      rate: IDLE_RATE,
      durationSec: 60,
      timeoutMs: CONNECT_WAIT_MS,
    }, stop.signal);
    let held = 0;
    while (performance.now() - t0 < CONNECT_WAIT_MS) {
      held = (await fdCount(server.pid)) - baseFds;
      if (held >= IDLE_CONNECTIONS) break;
      await delay(20);
    }
    const connectMs = performance.now() - t0;
    await delay(IDLE_SETTLE_MS);
    const after = await sampleTree(server.pid);
    held = (await fdCount(server.pid)) - baseFds;
    stop.abort();
    await run;
    const baselineRssKb = before?.rssKb ?? 0;
    const rssKb = after?.rssKb ?? 0;
    return {
      server: spec.name,
      baselineRssKb,
      rssKb,
      connections: held,
      kbPerConnection: held > 0 ? (rssKb - baselineRssKb) / held : Number.NaN,
      connectMs,
    };
  } finally {
    await server.stop();
  }
}
