// A small, fixed scenario report shaped as the scenarios tell it: the talk's ratio growing with the
// clients on event-loop and flat on blocking; under I/O wait, blocking serving one client while the
// rest tie on throughput at different memory; with big numbers, event-loop's light p99 rising and
// pool's not. For the HTML page's tests, in Node and in a real browser.

import type { LatencySummaryUs } from '../../../load/harness/histogram.ts';
import type { ServerView } from '../../../load/harness/server-view.ts';
import type { Model } from '../../../load/harness/peers.ts';
import { ratioPlan, type RatioFigure } from '../../../load/scenario/io-ratio.ts';
import { parseScenarioCommand } from '../../../load/scenario/options.ts';
import { scenarioPlan } from '../../../load/scenario/plan.ts';
import type { ScenarioReport } from '../../../load/scenario/report.ts';
import type { ScenarioEntry, ScenarioRun } from '../../../load/scenario/run.ts';
import { judgeScenario } from '../../../load/scenario/verdict.ts';

const latency = (p50: number, p99: number, count = 1000): LatencySummaryUs => ({ p50, p90: p99, p99, p999: p99, max: p99, mean: p50, count });

/** A server's own view with one serving loop (its main thread) whose delay p99 was `delayP99Ms`. */
function ownView(variant: string, delayP99Ms: number): ServerView {
  return {
    statsUrl: 'http://127.0.0.1:1/stats', variant, polls: 10, loopDelayP99Ms: delayP99Ms, loopDelayMaxMs: delayP99Ms,
    utilisation: { mean: 0.5, min: 0.5, max: 0.5 }, serverReplies: 100, osThreadsMax: 7,
    threads: [{ kind: 'main', id: 'main', utilisation: 0.5, delayP99Ms, delayMaxMs: delayP99Ms, stalePolls: 0 }],
  };
}

function run(variant: string, model: Model, clients: number, fields: Partial<ScenarioRun>): ScenarioRun {
  return {
    variant, model, clients, mix: '', warmupSec: 1, durationSec: 2, requestsPerSec: 1000,
    latencyUs: latency(200, 2000), lightUs: latency(200, 2000), heavy: [], clientsServed: clients,
    replies: { ok: 2000, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 }, unfinished: clients,
    testerCpuPercent: 10, server: { samples: 10, peakRssKb: 51_200, peakThreads: 7, peakProcesses: 1, cpuPercent: 50 },
    serverExited: false, problems: [], ...fields,
  };
}

const figure = (clients: number, sequentialMs: number, concurrentMs: number): RatioFigure => ({
  clients, sequentialMs, sequentialEstimated: false, concurrentMs, ratio: sequentialMs / concurrentMs,
  concurrentRunsMs: [concurrentMs], sequentialRunsMs: [sequentialMs], wrongReplies: 0,
});

const SERVERS: readonly (readonly [string, Model])[] = [['blocking', 'blocking'], ['event-loop', 'event loop'], ['pool', 'pool']];

export function scenarioReportFixture(): ScenarioReport {
  const ioPlan = scenarioPlan('io', true, { clients: 10 });
  const io = {
    plan: ioPlan,
    entries: SERVERS.map(([variant, model]): ScenarioEntry => {
      const served = model === 'blocking' ? 1 : 10;
      const r = run(variant, model, 10, { requestsPerSec: served * 50, clientsServed: served, server: { samples: 10, peakRssKb: model === 'pool' ? 90_000 : 60_000, peakThreads: 7, peakProcesses: 1, cpuPercent: 20 } });
      return { variant, model, baseline: null, run: r };
    }),
    elapsedSec: 6,
  };
  const cpuPlan = scenarioPlan('cpu', true, { clients: 10 });
  const cpu = {
    plan: cpuPlan,
    entries: SERVERS.map(([variant, model]): ScenarioEntry => {
      const alone = run(variant, model, 10, { requestsPerSec: 50_000, lightUs: latency(100, 1_500), telemetry: ownView(variant, 2) });
      const withBig = run(variant, model, 10, {
        mix: '1%:1000000', requestsPerSec: 900, telemetry: ownView(variant, model === 'event loop' ? 160 : 3),
        lightUs: latency(200, model === 'event loop' ? 130_000 : 4_000),
        heavy: [{ name: '1,000,000 digits', digits: 1_000_000, sharePercent: 1, latencyUs: latency(90_000, 240_000, 20), notOk: 0 }],
      });
      return { variant, model, baseline: alone, run: withBig };
    }),
    elapsedSec: 12,
  };
  const command = parseScenarioCommand(['io,cpu', '--quick']);
  if (command.kind !== 'run') throw new Error('expected a run');
  const scenarios = [io, cpu];
  return {
    environment: { node: 'v26.10.0', python: 'Python 3.11.2', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc123', command: 'npm run scenario -- io,cpu --quick', date: '2026-01-01T00:00:00.000Z' },
    loadAverage: { start: 0.2, end: 0.4, cpus: 2 },
    options: command.options,
    sampling: 'on',
    skipped: [],
    ratio: {
      plan: ratioPlan(true),
      seed: [{ variant: 'event-loop', figure: figure(20, 1060, 60) }, { variant: 'blocking', figure: figure(20, 1060, 1050) }],
      sweep: [figure(1, 53, 52), figure(10, 530, 54), figure(100, 5300, 60), figure(1000, 53_000, 130)],
      elapsedSec: 10,
    },
    scenarios,
    verdicts: scenarios.map(judgeScenario),
    elapsedSec: 30,
  };
}
