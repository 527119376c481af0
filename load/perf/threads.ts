// Threads targets of perf: a churn of short clients served by reused Workers at least 10x as fast as
// with a fresh Worker per client (--no-reuse), event-loop's rate beside it; connect-to-first-reply
// with --spare warm Workers waiting, or, without them, what a cold Worker start costs. For scale, not
// judged (bounded by what a V8 isolate costs, about 5.8 MB and 14 ms of CPU): 1000 concurrent
// clients in a 30 s run (with --max-clients raised) and the RSS per connected client.

import { hexdArgs } from '../harness/peers.ts';
import { notAvailable, type TargetResult } from './report.ts';
import { type PerfContext, type RunFigure, alternate, loadRun } from './runs.ts';
import { hexdServer, startPinned, type PerfServer } from './servers.ts';
import { median } from '../harness/stats.ts';
import { allOf, atLeast, listRuns, under } from './verdict.ts';
import { sampleTree, type TreeSample } from '../harness/proc-sampler.ts';
import { procAvailable } from '../../common/proc.ts';
import { formatCount } from '../harness/report.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { churn, type ChurnFigure } from './churn.ts';
import { formatRatio } from './verdict.ts';

const BENCHMARK = 'load/perf/threads.ts';
const THREADS_CLIENTS = 1000;
const THREADS_RUN_SEC = 30;
const FIRST_REPLY_P50_MS = 2;
/** Warm Workers asked for with --spare, when the server has the option. */
const SPARE_WORKERS = 4;
/** Clients per first-reply run, one at a time, apart so that each Worker starts (or each spare refills) alone. */
const FIRST_REPLY_CLIENTS = 10;
const FIRST_REPLY_GAP_MS = 100;
const SAMPLE_EVERY_MS = 250;

/** The churn: short clients (connect, one request, leave), this many at a time. */
const CHURN_CLIENTS = 5000;
const CHURN_CONCURRENCY = 50;
/** Workers kept with reuse for the churn: more than the clients at once, as a pool is sized. */
const CHURN_SPARE = 64;
/** A fresh Worker per client serves about a hundred a second: its churn stops after this long. */
const CHURN_MAX_SEC = 10;
const CHURN_RATIO = 10;

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
  churn: Record<string, ChurnFigure[]>;
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
  targets.push(spareResult(spareTarget, spare, cold['event-loop'] ?? []));

  const churnServers = [
    hexdServer('threads', hexdArgs({ spare: CHURN_SPARE })),
    { ...hexdServer('threads', [...hexdArgs({ spare: CHURN_SPARE }), '--no-reuse']), name: 'threads --no-reuse' },
    hexdServer('event-loop'),
  ];
  const churnClients = context.plan.quick ? CHURN_CLIENTS / 5 : CHURN_CLIENTS;
  context.log(`churn: ${formatCount(churnClients)} short clients, ${CHURN_CONCURRENCY} at a time (connect, one request, leave)`);
  const churnRounds = context.plan.quick ? 1 : context.plan.runs;
  const maxSeconds = context.plan.quick ? CHURN_MAX_SEC / 3 : CHURN_MAX_SEC;
  const churns = Object.fromEntries(await alternate(churnServers, churnRounds, context, async (server) => {
    await delay(1000); // the spares start after the ready line
    return churn({ host: server.host, port: server.port, clients: churnClients, concurrency: CHURN_CONCURRENCY, maxSeconds });
  }, describeChurn));
  targets.push(churnTarget(churns, churnClients));
  return { targets, data: { many, cold, spare, churn: churns } };
}

const describeChurn = (f: ChurnFigure): string =>
  `${formatCount(f.clientsPerSec)} clients/s (${formatCount(f.served)} served in ${f.seconds.toFixed(1)} s${f.failed > 0 ? `, ${formatCount(f.failed)} failed` : ''})`;

function churnTarget(churns: Record<string, ChurnFigure[]>, clients: number): TargetResult {
  const rates = (name: string): number[] => (churns[name] ?? []).map((f) => f.clientsPerSec);
  const reuse = rates('threads');
  const fresh = rates('threads --no-reuse');
  const ratios = reuse.map((r, i) => r / (fresh[i] ?? Number.NaN));
  const ratio = median(ratios);
  const failed = Object.values(churns).flat().reduce((sum, f) => sum + f.failed, 0);
  const verdict = allOf(atLeast(ratio, CHURN_RATIO), (churns.threads ?? []).every((f) => f.failed === 0) ? 'PASS' : 'FAIL');
  return {
    benchmark: BENCHMARK,
    target: `threads reuses Workers: a churn of ${formatCount(clients)} short clients (connect, one request, leave), ${CHURN_CONCURRENCY} at a time, served at least ${CHURN_RATIO}× as fast as with --no-reuse (a fresh Worker per client); event-loop beside it`,
    figure: `${formatRatio(ratio)} (median of the rounds' ratios): threads ${formatCount(median(reuse))} clients/s with --spare ${CHURN_SPARE}, ` +
      `--no-reuse ${formatCount(median(fresh))} clients/s, event-loop ${formatCount(median(rates('event-loop')))} clients/s`,
    runs: [
      `threads clients/s: ${listRuns(reuse, formatCount)}`,
      `threads --no-reuse clients/s (its churn cut short after ${CHURN_MAX_SEC} s, ${CHURN_MAX_SEC / 3} s with --quick): ${listRuns(fresh, formatCount)}`,
      `event-loop clients/s: ${listRuns(rates('event-loop'), formatCount)}`,
      `ratio in each round: ${listRuns(ratios, formatRatio)}`,
      `failed clients: ${formatCount(failed)}`,
    ],
    verdict,
    ...(verdict === 'FAIL' ? { note: `needs ${formatRatio(CHURN_RATIO)}, every client served` } : {}),
    value: Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : null,
    threshold: CHURN_RATIO,
    unit: 'ratio of clients/s, reuse over --no-reuse',
  };
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

const RSS_TARGET = 'for scale, retired as a target: threads, RSS per connected client';

function manyClientsTargets(m: ManyClientsFigure, flags: readonly string[]): TargetResult[] {
  const problems = m.load.problems;
  // Retired as a target (bounded by a V8 isolate's start, about 14 ms of CPU each): shown for scale.
  const servedVerdict = 'info';
  const flagText = flags.length === 0 ? '' : ` (${flags.join(' ')})`;
  const served: TargetResult = {
    benchmark: BENCHMARK,
    target: `for scale, retired as a target: threads (with --max-clients raised), ${m.clients} concurrent clients served within a ${m.durationSec} s run`,
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
    ...(m.load.served < m.clients || problems !== '-' ? { note: problems === '-' ? 'not every client was served' : problems } : {}),
    value: m.load.served,
    threshold: null,
    unit: 'clients served',
  };
  const connected = m.baseline === null ? 0 : Math.min(m.clients, m.peakThreads - m.baseline.threads);
  const mbPerClient = m.baseline === null || connected <= 0 ? Number.NaN : (m.peakRssKb - m.baseline.rssKb) / 1024 / connected;
  // The same at the last sample, when the start-up storm is over, for comparison.
  const lastConnected = m.baseline === null || m.last === null ? 0 : m.last.threads - m.baseline.threads;
  const lastMb = m.baseline === null || m.last === null || lastConnected <= 0
    ? Number.NaN
    : (m.last.rssKb - m.baseline.rssKb) / 1024 / lastConnected;
  // Retired as a target (bounded by a V8 isolate, about 5.8 MB each): shown for scale.
  const rssVerdict = 'info';
  const rss: TargetResult = m.baseline === null
    ? notAvailable(BENCHMARK, RSS_TARGET, 'no /proc on this system (Linux only)')
    : {
      benchmark: BENCHMARK,
      target: RSS_TARGET,
      figure: `${mbPerClient.toFixed(2)} MB per client at peak RSS (${formatCount(m.peakRssKb / 1024)} MB with ${formatCount(connected)} clients connected, ${formatCount(m.baseline.rssKb / 1024)} MB before)`,
      runs: [
        `1 run; peak threads ${formatCount(m.peakThreads)} (${formatCount(m.baseline.threads)} before)`,
        `at the run's end: ${Number.isFinite(lastMb) ? lastMb.toFixed(2) : 'n/a'} MB per client (${formatCount((m.last?.rssKb ?? 0) / 1024)} MB, ${formatCount(lastConnected)} clients)`,
      ],
      verdict: rssVerdict,
      value: Number.isFinite(mbPerClient) ? Math.round(mbPerClient * 100) / 100 : null,
      threshold: null,
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

/** event-loop's first replies, measured the same way in the same run: the floor of this measure here. */
function spareResult(target: string, runs: readonly FirstReplyRun[], eventLoop: readonly FirstReplyRun[]): TargetResult {
  const p50 = median(p50sMs(runs));
  const floor = median(p50sMs(eventLoop));
  const verdict = allOf(under(p50, FIRST_REPLY_P50_MS), problemsIn(runs) === '-' ? 'PASS' : 'FAIL');
  return {
    benchmark: BENCHMARK,
    target,
    figure: `${p50.toFixed(2)} ms with --spare ${SPARE_WORKERS}; event-loop, measured the same way in this run: ${floor.toFixed(2)} ms`,
    runs: [
      `ms (each run's median of ${FIRST_REPLY_CLIENTS} clients): ${listRuns(p50sMs(runs), (n) => n.toFixed(2))}`,
      `event-loop ms: ${listRuns(p50sMs(eventLoop), (n) => n.toFixed(2))}`,
      `problems: ${problemsIn(runs)}`,
    ],
    verdict,
    ...(verdict === 'FAIL' ? { note: `needs under ${FIRST_REPLY_P50_MS} ms` } : {}),
    value: Number.isFinite(p50) ? Math.round(p50 * 100) / 100 : null,
    threshold: FIRST_REPLY_P50_MS,
    unit: 'ms connect-to-first-reply p50',
  };
}
