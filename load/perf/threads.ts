// Threads targets of perf: 1000 concurrent clients all served within a 30 s run (with --max-clients
// raised), RSS per connected client, and connect-to-first-reply with --spare warm Workers waiting, or,
// without them, what a cold Worker start costs (event-loop measured alike, for scale).

import { hexdArgs } from '../harness/peers.ts';
import { notAvailable, type TargetResult } from './report.ts';
import { type PerfContext, type RunFigure, alternate, loadRun } from './runs.ts';
import { hexdServer, startPinned, type PerfServer } from './servers.ts';
import { median } from '../harness/stats.ts';
import { allOf, atLeast, atMost, listRuns, under } from './verdict.ts';
import { sampleTree, type TreeSample } from '../harness/proc-sampler.ts';
import { procAvailable } from '../../common/proc.ts';
import { formatCount } from '../harness/report.ts';
import { setTimeout as delay } from 'node:timers/promises';

const BENCHMARK = 'load/perf/threads.ts';
const THREADS_CLIENTS = 1000;
const THREADS_RUN_SEC = 30;
const RSS_MB_PER_CLIENT = 6.5;
const FIRST_REPLY_P50_MS = 2;
/** Warm Workers asked for with --spare, when the server has the option. */
const SPARE_WORKERS = 4;
/** Clients per first-reply run, one at a time, apart so that each Worker starts (or each spare refills) alone. */
const FIRST_REPLY_CLIENTS = 10;
const FIRST_REPLY_GAP_MS = 100;
const SAMPLE_EVERY_MS = 250;

interface ManyClientsFigure {
  clients: number;
  durationSec: number;
  load: RunFigure;
  baseline: TreeSample | null;
  peakRssKb: number;
  peakThreads: number;
  /** The last sample taken while the load ran (before its end began). */
  last: TreeSample | null;
  /** Seconds from the start of the run until the server ran one thread per client; null if never. */
  allThreadsAfterSec: number | null;
}

export interface ThreadsData {
  many: ManyClientsFigure;
  cold: Record<string, FirstReplyRun[]>;
  spare: FirstReplyRun[] | null;
}

export async function benchThreads(context: PerfContext): Promise<{ targets: TargetResult[]; data: ThreadsData }> {
  const raise = hexdArgs({ 'max-clients': 100_000 });
  const clients = context.plan.quick ? 200 : THREADS_CLIENTS;
  const durationSec = context.plan.quick ? 10 : THREADS_RUN_SEC;
  const many = await manyClients(hexdServer('threads', raise), clients, durationSec, context);
  const targets = [...manyClientsTargets(many, raise)];

  context.log(`connect-to-first-reply: threads (a cold Worker per client) and event-loop, ${FIRST_REPLY_CLIENTS} clients one at a time per run`);
  const cold = Object.fromEntries(await alternate(
    [hexdServer('threads'), hexdServer('event-loop')], context.plan.runs, context, firstReplyRun, describeFirstReply,
  ));
  targets.push(coldTarget(cold));

  const spareTarget = `threads with --spare N warm workers waiting: connect-to-first-reply p50 under ${FIRST_REPLY_P50_MS} ms`;
  context.log(`connect-to-first-reply: threads --spare ${SPARE_WORKERS}`);
  const warm: PerfServer = hexdServer('threads', hexdArgs({ spare: SPARE_WORKERS }));
  const spare = (await alternate([warm], context.plan.runs, context, async (server) => {
    await delay(1000); // the spares start after the ready line
    return firstReplyRun(server);
  }, describeFirstReply)).get(warm.name)!;
  targets.push(spareResult(spareTarget, spare));
  return { targets, data: { many, cold, spare } };
}

interface FirstReplyRun {
  /** Connect-to-first-reply of each client, ms: from net.connect() to the reply's arrival. */
  ms: number[];
  problems: string;
}

/**
 * FIRST_REPLY_CLIENTS clients one after another, each a one-connection, one-request load run, so that
 * its connect time plus its one latency is exactly connect-to-first-reply, and each Worker starts (or
 * each spare is taken and replaced) while nothing else runs.
 */
async function firstReplyRun(server: Parameters<typeof loadRun>[0]): Promise<FirstReplyRun> {
  const ms: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < FIRST_REPLY_CLIENTS; i++) {
    const figure = await loadRun(server, { connections: 1, requests: 1, durationSec: 30, timeoutMs: 10_000 });
    if (figure.served === 1) ms.push((figure.connectUs.p50 + figure.latencyUs.p50) / 1000);
    if (figure.problems !== '-') problems.push(figure.problems);
    await delay(FIRST_REPLY_GAP_MS);
  }
  return { ms, problems: problems.length === 0 ? '-' : [...new Set(problems)].join('; ') };
}

const describeFirstReply = (f: FirstReplyRun): string =>
  `connect-to-first-reply median ${median(f.ms).toFixed(2)} ms, max ${Math.max(...f.ms).toFixed(2)} ms over ${f.ms.length} clients${f.problems === '-' ? '' : `, ${f.problems}`}`;

async function manyClients(spec: PerfServer, clients: number, durationSec: number, context: PerfContext): Promise<ManyClientsFigure> {
  context.log(`threads ${spec.args.slice(4).join(' ')}: ${formatCount(clients)} concurrent clients for ${durationSec} s`);
  const server = await startPinned(spec, context.pinning);
  try {
    await delay(300);
    const baseline = procAvailable() ? await sampleTree(server.pid) : null;
    let peakRssKb = baseline?.rssKb ?? 0;
    let peakThreads = baseline?.threads ?? 0;
    let allThreadsAfterSec: number | null = null;
    let last: TreeSample | null = null;
    const t0 = performance.now();
    let running = true;
    // A client waits for its Worker to start, behind every Worker started before it: the request
    // timeout is past the run's end, so "served within the run" is what is judged, and a request
    // still waiting at the end is unfinished, not a timeout.
    const load = loadRun(server, { connections: clients, pipeline: 1, durationSec, timeoutMs: (durationSec + 5) * 1000 })
      .finally(() => {
        running = false;
      });
    // Sampled while the load runs, not while it ends (closing the clients ends their Workers).
    const sampleUntil = t0 + durationSec * 1000 - SAMPLE_EVERY_MS;
    while (baseline !== null && running && performance.now() < sampleUntil) {
      const sample = await sampleTree(server.pid);
      if (sample !== null) {
        last = sample;
        peakRssKb = Math.max(peakRssKb, sample.rssKb);
        peakThreads = Math.max(peakThreads, sample.threads);
        if (allThreadsAfterSec === null && sample.threads - baseline.threads >= clients) {
          allThreadsAfterSec = Math.round((performance.now() - t0) / 100) / 10;
          context.log(`  ${formatCount(clients)} Worker threads running after ${allThreadsAfterSec} s, RSS ${formatCount(sample.rssKb / 1024)} MB`);
        }
      }
      await delay(SAMPLE_EVERY_MS);
    }
    const figure = await load;
    context.log(`  ${formatCount(figure.served)} of ${formatCount(clients)} served, ${formatCount(figure.requestsPerSec)} req/s, peak RSS ${formatCount(peakRssKb / 1024)} MB, ${figure.problems}`);
    return { clients, durationSec, load: figure, baseline, peakRssKb, peakThreads, last, allThreadsAfterSec };
  } finally {
    await server.stop(10_000);
  }
}

function manyClientsTargets(m: ManyClientsFigure, flags: readonly string[]): TargetResult[] {
  const problems = m.load.problems;
  const servedVerdict = allOf(atLeast(m.load.served, m.clients), problems === '-' ? 'PASS' : 'FAIL');
  const flagText = flags.length === 0 ? '' : ` (${flags.join(' ')})`;
  const served: TargetResult = {
    benchmark: BENCHMARK,
    target: `threads (with --max-clients raised): ${m.clients} concurrent clients all served within a ${m.durationSec} s run`,
    figure: `${formatCount(m.load.served)} of ${formatCount(m.clients)} served${flagText}; ` +
      (m.allThreadsAfterSec !== null
        ? `one thread per client after ${m.allThreadsAfterSec} s`
        : m.baseline === null
          ? 'threads not sampled (no /proc)'
          : `at most ${formatCount(Math.max(0, m.peakThreads - m.baseline.threads))} of ${m.clients} clients ever had their Worker thread`),
    runs: [
      `1 run of ${m.durationSec} s: ${formatCount(m.load.requestsPerSec)} req/s; right replies per client min/median/max ` +
        `${[m.load.repliesPerClient.min, m.load.repliesPerClient.median, m.load.repliesPerClient.max].map(formatCount).join('/')}`,
      `CPU: server ${m.load.serverCpuPercent ?? 'n/a'}%, tester ${m.load.testerCpuPercent}%`,
      `problems: ${problems}`,
    ],
    verdict: servedVerdict,
    ...(servedVerdict === 'FAIL' ? { note: problems === '-' ? 'not every client was served' : problems } : {}),
    value: m.load.served,
    threshold: m.clients,
    unit: 'clients served',
  };
  const connected = m.baseline === null ? 0 : Math.min(m.clients, m.peakThreads - m.baseline.threads);
  const mbPerClient = m.baseline === null || connected <= 0 ? Number.NaN : (m.peakRssKb - m.baseline.rssKb) / 1024 / connected;
  // The same at the last sample, when the start-up storm is over, for comparison.
  const lastConnected = m.baseline === null || m.last === null ? 0 : m.last.threads - m.baseline.threads;
  const lastMb = m.baseline === null || m.last === null || lastConnected <= 0
    ? Number.NaN
    : (m.last.rssKb - m.baseline.rssKb) / 1024 / lastConnected;
  const rssVerdict = atMost(mbPerClient, RSS_MB_PER_CLIENT);
  const rss: TargetResult = m.baseline === null
    ? notAvailable(BENCHMARK, `threads: RSS at most ${RSS_MB_PER_CLIENT} MB per connected client`, 'no /proc on this system (Linux only)')
    : {
      benchmark: BENCHMARK,
      target: `threads: RSS at most ${RSS_MB_PER_CLIENT} MB per connected client`,
      figure: `${mbPerClient.toFixed(2)} MB per client at peak RSS (${formatCount(m.peakRssKb / 1024)} MB with ${formatCount(connected)} clients connected, ${formatCount(m.baseline.rssKb / 1024)} MB before)`,
      runs: [
        `1 run; peak threads ${formatCount(m.peakThreads)} (${formatCount(m.baseline.threads)} before)`,
        `at the run's end: ${Number.isFinite(lastMb) ? lastMb.toFixed(2) : 'n/a'} MB per client (${formatCount((m.last?.rssKb ?? 0) / 1024)} MB, ${formatCount(lastConnected)} clients)`,
      ],
      verdict: rssVerdict,
      ...(rssVerdict === 'FAIL' ? { note: `needs ${RSS_MB_PER_CLIENT} MB or less` } : {}),
      value: Number.isFinite(mbPerClient) ? Math.round(mbPerClient * 100) / 100 : null,
      threshold: RSS_MB_PER_CLIENT,
      unit: 'MB RSS per connected client (at peak)',
    };
  return [served, rss];
}

/** Each run's median connect-to-first-reply, ms. */
const p50sMs = (runs: readonly FirstReplyRun[]): number[] => runs.map((r) => median(r.ms));
const problemsIn = (runs: readonly FirstReplyRun[]): string => {
  const seen = [...new Set(runs.map((r) => r.problems).filter((p) => p !== '-'))];
  return seen.length === 0 ? '-' : seen.join('; ');
};

function coldTarget(cold: Record<string, FirstReplyRun[]>): TargetResult {
  const threads = cold.threads ?? [];
  const eventLoop = cold['event-loop'] ?? [];
  const p50 = median(p50sMs(threads));
  return {
    benchmark: BENCHMARK,
    target: 'threads without warm workers: what a cold Worker start costs (connect-to-first-reply p50)',
    figure: `${p50.toFixed(2)} ms with a cold Worker; event-loop ${median(p50sMs(eventLoop)).toFixed(2)} ms`,
    runs: [
      `threads ms (each run's median of ${FIRST_REPLY_CLIENTS} clients, one at a time): ${listRuns(p50sMs(threads), (n) => n.toFixed(2))}`,
      `event-loop ms: ${listRuns(p50sMs(eventLoop), (n) => n.toFixed(2))}`,
      `problems: ${problemsIn([...threads, ...eventLoop])}`,
    ],
    verdict: 'info',
    value: Number.isFinite(p50) ? Math.round(p50 * 100) / 100 : null,
    threshold: null,
    unit: 'ms connect-to-first-reply p50',
  };
}

function spareResult(target: string, runs: readonly FirstReplyRun[]): TargetResult {
  const p50 = median(p50sMs(runs));
  const verdict = allOf(under(p50, FIRST_REPLY_P50_MS), problemsIn(runs) === '-' ? 'PASS' : 'FAIL');
  return {
    benchmark: BENCHMARK,
    target,
    figure: `${p50.toFixed(2)} ms with --spare ${SPARE_WORKERS}`,
    runs: [`ms (each run's median of ${FIRST_REPLY_CLIENTS} clients): ${listRuns(p50sMs(runs), (n) => n.toFixed(2))}`, `problems: ${problemsIn(runs)}`],
    verdict,
    ...(verdict === 'FAIL' ? { note: `needs under ${FIRST_REPLY_P50_MS} ms` } : {}),
    value: Number.isFinite(p50) ? Math.round(p50 * 100) / 100 : null,
    threshold: FIRST_REPLY_P50_MS,
    unit: 'ms connect-to-first-reply p50',
  };
}
