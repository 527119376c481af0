// Renders `--scenario` results as text: the talk's I/O ratio, one table per scenario, what the heavy
// requests did to the light ones, and the measured "which to use" table. Returns strings only.

import type { Environment } from '../harness/environment.ts';
import type { ServerView } from '../harness/server-view.ts';
import { worstServingLoop } from './serving-loops.ts';
import { pointProblems } from '../harness/point-problems.ts';
import { describeLoadAverage, type LoadAverage } from '../harness/load-average.ts';
import type { LatencySummaryUs } from '../harness/histogram.ts';
import { formatCount, mb } from '../harness/report.ts';
import { renderTextTable, type TableData } from '../harness/table-data.ts';
import { TALK_ASYNC_SEC, TALK_CLAIMED_RATIO, TALK_SYNC_SEC, type RatioFigure, type RatioReport } from './io-ratio.ts';
import type { ScenarioOptions } from './options.ts';
import type { ScenarioPlan } from './plan.ts';
import type { ScenarioEntry, ScenarioResult, ScenarioRun } from './run.ts';
import { TIE_FRACTION, type Pick, type ScenarioVerdict } from './verdict.ts';
import { wrapWords } from '../../common/wrap.ts';

export interface ScenarioReport {
  environment: Environment;
  loadAverage: LoadAverage;
  options: ScenarioOptions;
  /** `on`, or why /proc sampling is off. */
  sampling: string;
  /** Servers left out of every scenario, with the reason. */
  skipped: { name: string; reason: string }[];
  ratio: RatioReport | null;
  scenarios: ScenarioResult[];
  verdicts: ScenarioVerdict[];
  elapsedSec: number;
}

/** Microseconds as milliseconds, with the decimals a reader needs: 0.25, 21.4, 1,032. */
export function formatMs(us: number): string {
  const ms = us / 1000;
  if (ms < 1) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return formatCount(ms);
}

const ratioText = (r: number): string => `${r < 100 ? r.toFixed(1) : formatCount(r)}x`;

/** A part of a report: a line of text, or a table. */
export type Block = string | TableData;

/** The blocks as the terminal shows them, one line or table after another. */
function renderTextBlocks(blocks: readonly Block[]): string {
  return blocks.map((b) => (typeof b === 'string' ? b : renderTextTable(b))).join('\n');
}

/** The experiment of Travis Hathaway's talk "asyncio and friends": what was run, the talk's figure against ours, and the sweep over clients. */
export function ratioBlocks(report: RatioReport): Block[] {
  const { plan } = report;
  const out: Block[] = [
    `The experiment of Travis Hathaway's talk "asyncio and friends": ${plan.requests} requests that each wait ${plan.delayMs} ms on I/O (--delay-ms ${plan.delayMs}): one client ` +
      `sending them one after another, then ${plan.requests} clients sending one each at once (connections opened beforehand; median of ${plan.runs} runs).`,
    {
      head: ['Server', 'One after another (ms)', `${plan.requests} at once (ms)`, 'Ratio'],
      align: ['left', 'right', 'right', 'right'],
      rows: report.seed.map(({ variant, figure }) =>
        [variant, formatCount(figure.sequentialMs), formatCount(figure.concurrentMs), ratioText(figure.ratio)]),
    },
  ];
  const loop = report.seed.find((s) => s.variant === 'event-loop')?.figure;
  const blocking = report.seed.find((s) => s.variant === 'blocking')?.figure;
  const talkRatio = TALK_SYNC_SEC / TALK_ASYNC_SEC;
  if (loop !== undefined) {
    out.push(`The talk says "${TALK_CLAIMED_RATIO}x faster" (${TALK_SYNC_SEC.toFixed(3)} s against ${TALK_ASYNC_SEC.toFixed(3)} s for 20 HTTP downloads, ` +
      `which is ${talkRatio.toFixed(1)}x); measured here with the event loop: ${loop.ratio.toFixed(1)}x, against an ideal of ${plan.requests}x.`);
  }
  if (blocking !== undefined) {
    out.push(`blocking: ${blocking.ratio.toFixed(1)}x. It serves one client at a time, so ${plan.requests} clients wait in turn and their waits never overlap.`);
  }
  if (report.sweep.length > 0) {
    out.push('', `The ratio against the number of clients (event-loop; each request waits ${plan.delayMs} ms):`, {
      head: ['Clients', 'One after another (ms)', 'All at once (ms)', 'Ratio', 'Ideal'],
      align: ['right', 'right', 'right', 'right', 'right'],
      rows: report.sweep.map((f) => [formatCount(f.clients), `${formatCount(f.sequentialMs)}${f.sequentialEstimated ? ' (est.)' : ''}`,
        formatCount(f.concurrentMs), ratioText(f.ratio), `${formatCount(f.clients)}x`]),
    });
    if (report.sweep.some((f) => f.sequentialEstimated)) {
      const perRequest = loop === undefined ? null : loop.sequentialMs / plan.requests;
      out.push(`(est.): not waited out, but the clients times the measured time of one request one after another` +
        `${perRequest === null ? '' : ` (${perRequest.toFixed(1)} ms)`}: one after another, every request costs the same.`);
    }
    out.push(...sweepLines(report.sweep, plan.delayMs));
  }
  const wrong = [...report.seed.map((s) => s.figure), ...report.sweep].reduce((sum, f) => sum + f.wrongReplies, 0);
  if (wrong > 0) out.push(`WRONG REPLIES: ${wrong}`);
  return out;
}

export function renderRatio(report: RatioReport): string {
  return renderTextBlocks(ratioBlocks(report));
}

function sweepLines(sweep: readonly RatioFigure[], delayMs: number): string[] {
  const last = sweep[sweep.length - 1];
  if (last === undefined || sweep.length < 2) return [];
  const efficiency = last.ratio / last.clients;
  return [
    `With ${formatCount(last.clients)} clients at once the last reply came after ${formatCount(last.concurrentMs)} ms (${delayMs} ms of waiting, ` +
      `the rest the loop's own work for ${formatCount(last.clients)} requests): ${ratioText(last.ratio)}, ${(efficiency * 100).toFixed(0)}% of the ideal. ` +
      'The ratio grows with the clients for as long as waiting, not the loop\'s work, is what a request costs.',
  ];
}

function latencyCell(l: LatencySummaryUs, which: 'p50' | 'p99'): string {
  return l.count === 0 ? '-' : formatMs(l[which]);
}

function serverCells(run: ScenarioRun): string[] {
  const s = run.server;
  return s === null ? ['n/a', 'n/a', 'n/a'] : [mb(s.peakRssKb), formatCount(s.peakThreads), s.cpuPercent.toFixed(0)];
}

function problems(entry: ScenarioEntry): string {
  const run = pointProblems(entry.run);
  const alone = entry.baseline === null ? '-' : pointProblems(entry.baseline);
  if (alone === '-') return run;
  return run === '-' ? `alone: ${alone}` : `${run}; alone: ${alone}`;
}

export function scenarioTable(result: ScenarioResult): TableData {
  const withMix = result.plan.mix.length > 0;
  if (!withMix) {
    return {
      head: ['Variant', 'Clients', 'Warm-up (s)', 'Req/s', 'p50 (ms)', 'p99 (ms)', 'Served', 'Peak RSS (MB)', 'Threads', 'Server CPU %', 'Problems'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      rows: result.entries.map((entry) => {
        const r = entry.run;
        return [r.variant, formatCount(r.clients), String(r.warmupSec), formatCount(r.requestsPerSec),
          latencyCell(r.latencyUs, 'p50'), latencyCell(r.latencyUs, 'p99'), `${formatCount(r.clientsServed)} of ${formatCount(r.clients)}`,
          ...serverCells(r), problems(entry)];
      }),
    };
  }
  return {
    head: ['Variant', 'Clients', 'Req/s: light only -> mixed', 'Light p99 (ms): alone -> mixed', 'Worse', 'Heavy p50 / p99 (ms)', 'Heavy right', 'Served', 'Peak RSS (MB)', 'Threads', 'Server CPU %', 'Problems'],
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: result.entries.map((entry) => {
      const r = entry.run;
      const b = entry.baseline;
      const heavyRight = r.heavy.reduce((sum, h) => sum + h.latencyUs.count, 0);
      const heavyNotOk = r.heavy.reduce((sum, h) => sum + h.notOk, 0);
      const heavyLatency = r.heavy[0]?.latencyUs;
      return [
        r.variant,
        formatCount(r.clients),
        `${b === null ? '-' : formatCount(b.requestsPerSec)} -> ${formatCount(r.requestsPerSec)}`,
        `${b === null ? '-' : latencyCell(b.lightUs, 'p99')} -> ${latencyCell(r.lightUs, 'p99')}`,
        b === null || b.lightUs.count === 0 || r.lightUs.count === 0 ? '-' : `${ratioText(r.lightUs.p99 / b.lightUs.p99)}`,
        heavyLatency === undefined ? '-' : `${latencyCell(heavyLatency, 'p50')} / ${latencyCell(heavyLatency, 'p99')}`,
        `${formatCount(heavyRight)}${heavyNotOk > 0 ? ` (${formatCount(heavyNotOk)} not)` : ''}`,
        `${formatCount(r.clientsServed)} of ${formatCount(r.clients)}`,
        ...serverCells(r),
        problems(entry),
      ];
    }),
  };
}

function renderScenarioTable(result: ScenarioResult): string {
  return renderTextTable(scenarioTable(result));
}

/** How each model's light requests fared when the heavy ones came, in words. */
export function heavyCostLines(result: ScenarioResult): string[] {
  if (result.plan.mix.length === 0) return [];
  const lines: string[] = [];
  for (const entry of result.entries) {
    const b = entry.baseline;
    const r = entry.run;
    if (b === null || b.lightUs.count === 0 || r.lightUs.count === 0) continue;
    const served = r.clientsServed < r.clients ? ` (only ${r.clientsServed} of ${r.clients} clients served)` : '';
    lines.push(`${entry.variant}: light p99 ${formatMs(b.lightUs.p99)} ms alone, ${formatMs(r.lightUs.p99)} ms with the big numbers ` +
      `(${ratioText(r.lightUs.p99 / b.lightUs.p99)}); req/s ${formatCount(b.requestsPerSec)} -> ${formatCount(r.requestsPerSec)}${served}. ${WHY[entry.model]}` +
      ownViewText(b.telemetry ?? null, r.telemetry ?? null));
  }
  return lines;
}

/**
 * What the server itself measured (its /stats, docs/telemetry.md), alone and with the big numbers: the
 * loop delay of the threads that serve clients, and, where numbers go to other threads (pool), how busy
 * those were. This is the cause the light p99 only shows from outside.
 */
function ownViewText(alone: ServerView | null, mixed: ServerView | null): string {
  if (mixed === null) return '';
  const worst = (v: ServerView | null, key: 'delayP99Ms' | 'delayMaxMs'): string => worstServingLoop(v, key)?.toFixed(1) ?? '-';
  const pool = mixed.threads.filter((t) => t.kind === 'pool');
  const poolText = pool.length === 0 ? '' : `; its ${pool.length} pool threads ${pool.map((t) => t.utilisation.toFixed(2)).join(', ')} busy, their own delay up to ${Math.max(0, ...pool.map((t) => t.delayMaxMs)).toFixed(1)} ms`;
  return ` Its own view: serving loops' delay p99 ${worst(alone, 'delayP99Ms')} -> ${worst(mixed, 'delayP99Ms')} ms, max ${worst(alone, 'delayMaxMs')} -> ${worst(mixed, 'delayMaxMs')} ms${poolText}.`;
}

const WHY: Record<ScenarioEntry['model'], string> = {
  blocking: 'One client at a time: the rest wait whatever the work.',
  threads: 'A thread per client: the OS time-slices the cores, so a light request shares a core with a big one rather than waiting for it to end.',
  'event loop': 'One thread for everyone: a light request that arrives behind a big number waits until it is converted.',
  processes: 'A process per client: as threads, the OS shares the cores among them.',
  cluster: 'An event loop per core: a big number stalls the clients of its own loop only.',
  pool: 'The loop hands big numbers to worker threads and stays free; the workers still compete for the same cores.',
};

function pickCell(p: Pick | null, unit: 'req/s' | 'p99'): string {
  if (p === null) return 'none qualified';
  const lines = [`${p.variant}: ${valueText(p.value, unit)}`];
  if (p.runnerUp !== null && p.factor !== null) lines.push(`${p.factor.toFixed(2)}x ${p.runnerUp.variant}`);
  if (p.peakRssKb !== null) lines.push(`${mb(p.peakRssKb)} MB`);
  return lines.join('\n');
}

function valueText(value: number, unit: 'req/s' | 'p99'): string {
  return unit === 'req/s' ? `${formatCount(value)} req/s` : `${formatMs(value)} ms`;
}


/** One scenario's verdict in a sentence or three. */
export function verdictLines(v: ScenarioVerdict): string[] {
  const lines: string[] = [];
  const describe = (p: Pick, unit: 'req/s' | 'p99'): string => {
    const rss = p.peakRssKb === null ? '' : `; peak RSS ${mb(p.peakRssKb)} MB`;
    const runner = p.runnerUp === null || p.factor === null
      ? 'no runner-up'
      : `${p.factor.toFixed(2)}x ${p.runnerUp.variant} (${valueText(p.runnerUp.value, unit)}${p.runnerUp.peakRssKb === null ? '' : `, ${mb(p.runnerUp.peakRssKb)} MB`})`;
    return `${p.variant} (${valueText(p.value, unit)}, ${runner}${rss})`;
  };
  const head = `${v.scenario}, ${formatCount(v.clients)} clients:`;
  if (v.byThroughput === null || v.byLightP99 === null) {
    lines.push(`${head} no server served every client right.`);
  } else {
    lines.push(`${head} most req/s: ${describe(v.byThroughput, 'req/s')}. Lowest light p99: ${describe(v.byLightP99, 'p99')}.`);
  }
  if (v.leanest !== null && v.leanest.tiedWith.length > 0) {
    lines.push(`${v.scenario}: within ${TIE_FRACTION * 100}% of the most req/s: ${[v.leanest.variant, ...v.leanest.tiedWith].join(', ')}; ` +
      `of those ${v.leanest.variant} needs the least memory (${mb(v.leanest.peakRssKb)} MB).`);
  }
  if (v.outOfRunning.length > 0) {
    lines.push(`${v.scenario}: out of the running: ${v.outOfRunning.map((o) => `${o.variant} (${o.reason})`).join(', ')}.`);
  }
  return lines;
}

export function whichToUseTable(verdicts: readonly ScenarioVerdict[]): TableData {
  return {
    head: ['Scenario', 'Clients', 'Most req/s', 'Lowest light p99', `Least memory within ${TIE_FRACTION * 100}% of most req/s`, 'The tutorials say'],
    align: ['left', 'right', 'left', 'left', 'left', 'left'],
    rows: verdicts.map((v) => {
      const lean = v.leanest === null ? '-' : `${v.leanest.variant}: ${mb(v.leanest.peakRssKb)} MB\nat ${formatCount(v.leanest.requestsPerSec)} req/s`;
      return [v.scenario, formatCount(v.clients), pickCell(v.byThroughput, 'req/s'), pickCell(v.byLightP99, 'p99'), lean, v.seedAdvice];
    }),
  };
}

/** The table for a terminal: its long headings and the tutorials' advice wrapped to keep it narrow. */
export function renderWhichToUse(verdicts: readonly ScenarioVerdict[]): string {
  const data = whichToUseTable(verdicts);
  const narrow: TableData = {
    ...data,
    head: data.head.map((heading) => wrapWords(heading, 20).join('\n')),
    rows: data.rows.map((row) => [...row.slice(0, -1), wrapWords(row.at(-1) ?? '', 32).join('\n')]),
  };
  return [renderTextTable(narrow), ...verdicts.flatMap(verdictLines).map((line) => `- ${line}`)].join('\n');
}

/** Which servers compete for "which to use". */
export const WHICH_TO_USE_TITLE = 'Which to use, measured (only servers that served every client with every reply right compete)';

/** How a scenario was run, in one line. */
export function describeScenarioPlan(plan: ScenarioPlan): string {
  return `${formatCount(plan.clients)} clients, ${plan.durationSec} s measured after a ${plan.warmupSec} s warm-up (longer for a thread or process per client, ` +
    `so that each client's is up); server flags: ${plan.serverFlags.join(' ')}` +
    (plan.mix.length > 0 ? '; each server runs twice, without the big numbers and with them' : '');
}

/** Why a process per client shows so much memory; said where processes ran with /proc figures. */
export function processesMemoryNote(result: ScenarioResult): string | null {
  return result.entries.some((e) => e.model === 'processes' && e.run.server !== null)
    ? 'Peak RSS adds up every process of a server: a process per client counts Node\'s shared code once per child ' +
      '(npm run overhead shows a child\'s own share, its PSS, is far smaller).'
    : null;
}

/** The header's lines after the first: how runs were made, the machine's load, who was left out. */
export function describeRuns(report: ScenarioReport): string[] {
  return [
    `closed loop, fresh server per run; sampling of server memory, threads and CPU: ${report.sampling}`,
    describeLoadAverage(report.loadAverage),
    ...report.skipped.map((s) => `left out: ${s.name}: ${s.reason}`),
  ];
}

export function renderScenarioText(report: ScenarioReport): string {
  const env = report.environment;
  const o = report.options;
  const out: string[] = [
    `hexd scenarios${o.quick ? ' (--quick)' : ''}: Node ${env.node}${env.python === null ? '' : `, ${env.python}`}; ${env.cpuModel} (${env.cpus} CPUs); commit ${env.commit}`,
    ...describeRuns(report),
  ];
  if (report.ratio !== null) out.push('', '== io: the experiment of the talk "asyncio and friends" ==', renderRatio(report.ratio));
  for (const result of report.scenarios) {
    const plan = result.plan;
    out.push('', `== ${plan.name}: ${plan.title} ==`, describeScenarioPlan(plan), renderScenarioTable(result));
    const note = processesMemoryNote(result);
    if (note !== null) out.push(note);
    const costs = heavyCostLines(result);
    if (costs.length > 0) out.push('What the big numbers did to everyone else:', ...costs.map((line) => `- ${line}`));
  }
  if (report.verdicts.length > 0) out.push('', `${WHICH_TO_USE_TITLE}:`, renderWhichToUse(report.verdicts));
  out.push('', `Done in ${report.elapsedSec} s.`);
  return `${out.join('\n')}\n`;
}
