// Runs one scenario: for each server, a fresh process started with the scenario's flags, the same
// closed-loop load (and, where the scenario has big numbers, the same load without them first), and
// /proc samples of the server meanwhile. Returns records; rendering and verdicts are elsewhere.

import type { LatencySummaryUs } from '../harness/histogram.ts';
import type { ServerView } from '../harness/server-view.ts';
import { formatMix } from '../harness/mix.ts';
import { loadOptions } from '../harness/load-options.ts';
import { ROOT, type Model, type Peer } from '../harness/peers.ts';
import { ProcSampler, type SamplerSummary } from '../harness/proc-sampler.ts';
import { procAvailable, processTree, readStat } from '../../common/proc.ts';
import { formatCount } from '../harness/report.ts';
import { runLoad } from '../harness/run.ts';
import { warmupFor, type ScenarioPlan } from './plan.ts';
import { startServerProcess } from '../harness/server-process.ts';
import type { LoadSummary, MixClassSummary } from '../harness/summary.ts';
import type { Problem } from '../harness/tally.ts';

export interface ScenarioRun {
  variant: string;
  model: Model;
  clients: number;
  /** The --mix of this run; '' when only light numbers were sent. */
  mix: string;
  warmupSec: number;
  durationSec: number;
  requestsPerSec: number;
  /** Every correct reply. */
  latencyUs: LatencySummaryUs;
  /** The light requests' correct replies: all of them without a mix. */
  lightUs: LatencySummaryUs;
  /** Each big-number kind of the mix (empty without one). */
  heavy: MixClassSummary[];
  clientsServed: number;
  replies: LoadSummary['replies'];
  unfinished: number;
  testerCpuPercent: number;
  server: SamplerSummary | null;
  serverExited: boolean;
  problems: Problem[];
  /** The server's own view from its /stats (loop delay, utilisation per thread); absent or null when it has none. */
  telemetry?: ServerView | null;
}

/** One server through a scenario: the run without the mix (when the scenario has one), and the run. */
export interface ScenarioEntry {
  variant: string;
  model: Model;
  baseline: ScenarioRun | null;
  run: ScenarioRun;
}

export interface ScenarioResult {
  plan: ScenarioPlan;
  entries: ScenarioEntry[];
  elapsedSec: number;
}

export interface ScenarioHooks {
  log(line: string): void;
}

/**
 * Stops a server and makes sure none of its children outlive it: a processes server killed at the
 * stop deadline would leave its client processes orphaned (seen here spinning at 100% CPU).
 * Returns how many leftovers had to be killed.
 */
async function stopWithChildren(server: { pid: number; stop(): Promise<void> }): Promise<number> {
  const children = procAvailable() ? (await processTree(server.pid)).slice(1).map((s) => s.pid) : [];
  await server.stop();
  let killed = 0;
  for (const pid of children) {
    const stat = await readStat(pid);
    // Still there and orphaned (adopted by init): ours, since it was the server's child a moment ago.
    if (stat !== null && stat.ppid === 1) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // gone meanwhile
      }
    }
  }
  return killed;
}

export async function runScenario(plan: ScenarioPlan, peers: readonly Peer[], hooks: ScenarioHooks): Promise<ScenarioResult> {
  const t0 = performance.now();
  const entries: ScenarioEntry[] = [];
  for (const peer of peers) {
    const baseline = plan.baseline ? await runOnce(peer, plan, false, hooks) : null;
    if (baseline !== null) hooks.log(`${plan.name}: ${describe(baseline)}`);
    const run = await runOnce(peer, plan, true, hooks);
    hooks.log(`${plan.name}: ${describe(run)}`);
    entries.push({ variant: peer.name, model: peer.model, baseline, run });
  }
  return { plan, entries, elapsedSec: Math.round((performance.now() - t0) / 100) / 10 };
}

function describe(run: ScenarioRun): string {
  const what = run.mix === '' ? 'light only' : `mix ${run.mix}`;
  const rss = run.server === null ? '' : `, peak RSS ${(run.server.peakRssKb / 1024).toFixed(1)} MB`;
  return `${run.variant} x ${run.clients} (${what}): ${formatCount(run.requestsPerSec)} req/s, light p99 ` +
    `${(run.lightUs.p99 / 1000).toFixed(1)} ms, ${run.clientsServed} of ${run.clients} served${rss}`;
}

async function runOnce(peer: Peer, plan: ScenarioPlan, withMix: boolean, hooks: ScenarioHooks): Promise<ScenarioRun> {
  const server = await startServerProcess(peer.command, [...peer.args, ...plan.serverFlags], { cwd: ROOT });
  try {
    const sampler = procAvailable() ? new ProcSampler(server.pid, 100) : null;
    await sampler?.start();
    const mix = withMix ? plan.mix : [];
    const warmupSec = warmupFor(plan, peer.model);
    const summary = await runLoad(loadOptions({ host: server.host, port: server.port }, {
      connections: plan.clients,
      durationSec: plan.durationSec,
      warmupSec,
      timeoutMs: plan.timeoutMs,
      maxDigits: plan.maxDigits,
      mix,
      statsPort: server.statsPort, // 0 (not asked) for a server without one, such as the blog's
    }));
    const sampled = (await sampler?.stop()) ?? null;
    return {
      variant: peer.name,
      model: peer.model,
      clients: plan.clients,
      mix: formatMix(mix),
      warmupSec,
      durationSec: summary.durationSec,
      requestsPerSec: summary.requestsPerSec,
      latencyUs: summary.latencyUs,
      lightUs: summary.mix?.[0]?.latencyUs ?? summary.latencyUs,
      heavy: summary.mix?.slice(1) ?? [],
      clientsServed: summary.clients.served,
      replies: summary.replies,
      unfinished: summary.requests.unfinished,
      testerCpuPercent: summary.cpu.testerPercent,
      server: sampled,
      serverExited: server.exited,
      problems: summary.problems,
      telemetry: summary.server,
    };
  } finally {
    const killed = await stopWithChildren(server);
    if (killed > 0) hooks.log(`${plan.name}: ${peer.name} left ${killed} child processes behind after stopping; killed them`);
  }
}
