// `npm run scenario`: the command line, the plans, the verdicts, the rendering, the asyncio talk's
// measurements against real servers, its entry point, and the old spelling through bench.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../common/cli.ts';
import type { Environment } from '../../../load/harness/environment.ts';
import type { LatencySummaryUs } from '../../../load/harness/histogram.ts';
import { parseScenarioCommand, parseScenarioList, parseScenarioVariants, type ScenarioOptions } from '../../../load/scenario/options.ts';
import { scenarioPlan, warmupFor } from '../../../load/scenario/plan.ts';
import { concurrent, ratioPlan, sequential, type RatioFigure, type RatioReport } from '../../../load/scenario/io-ratio.ts';
import { formatMs, heavyCostLines, renderRatio, renderScenarioText, renderWhichToUse, type ScenarioReport } from '../../../load/scenario/report.ts';
import type { ScenarioEntry, ScenarioResult, ScenarioRun } from '../../../load/scenario/run.ts';
import { disqualification, judgeScenario } from '../../../load/scenario/verdict.ts';
import { renderMarkdown } from '../../../load/scenario/markdown.ts';
import { failures } from '../../../load/scenario/main.ts';
import type { Model } from '../../../load/harness/peers.ts';
import { NODE, ROOT, startServer } from '../../helpers/servers.ts';

function runOptions(...argv: string[]): ScenarioOptions {
  const command = parseScenarioCommand(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

describe('parseScenarioCommand', () => {
  it('reads scenarios; io brings the asyncio talk\'s experiment, all means io, cpu and mixed', () => {
    expect(parseScenarioList('io')).toEqual({ scenarios: ['io'], ratio: true });
    expect(parseScenarioList('cpu,mixed,cpu')).toEqual({ scenarios: ['cpu', 'mixed'], ratio: false });
    expect(parseScenarioList('all')).toEqual({ scenarios: ['io', 'cpu', 'mixed'], ratio: true });
    expect(parseScenarioList('io-ratio')).toEqual({ scenarios: [], ratio: true });
    expect(() => parseScenarioList('disk')).toThrow(UsageError);
    expect(() => parseScenarioList(',')).toThrow(UsageError);
  });

  it('defaults to every hexd server and a JSON file named after the scenarios', () => {
    expect(runOptions('--scenario', 'cpu')).toMatchObject({
      scenarios: ['cpu'], ratio: false, quick: false, json: 'reports/scenario-cpu.json',
      variants: ['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool'],
      clients: undefined, durationSec: undefined, warmupSec: undefined,
    });
    expect(runOptions('--scenario', 'io-ratio').json).toBe('reports/scenario-io-ratio.json');
    expect(runOptions('--scenario', 'cpu,mixed').html).toBe('reports/scenario-cpu-mixed.html');
    expect(runOptions('io', '--html', 'out/io.html').html).toBe('out/io.html');
    expect(runOptions('--scenario', 'io', '--no-ratio', '--quick', '--concurrency', '7', '-d', '1.5', '--variants', 'pool,event-loop'))
      .toMatchObject({ scenarios: ['io'], ratio: false, quick: true, clients: 7, durationSec: 1.5, variants: ['pool', 'event-loop'] });
    expect(parseScenarioCommand(['--scenario', 'io', '--help']).kind).toBe('help');
    expect(runOptions('cpu,io', '--quick')).toEqual(runOptions('--scenario', 'cpu,io', '--quick'));
    expect(() => parseScenarioCommand(['io', 'cpu'])).toThrow(/name the scenarios once/);
    expect(() => parseScenarioCommand(['io', '--scenario', 'cpu'])).toThrow(/name the scenarios once/);
  });

  it('refuses the Python servers, and what leaves nothing to run', () => {
    expect(() => parseScenarioVariants('python-asyncio')).toThrow(/no --delay-ms/);
    expect(() => parseScenarioVariants('nginx')).toThrow(UsageError);
    expect(() => parseScenarioVariants('python')).toThrow(/^scenario cannot run the group python .*: scenario runs blocking, threads/);
    expect(parseScenarioVariants('blog')).toEqual(['blocking', 'threads', 'event-loop']);
    expect(() => parseScenarioCommand(['--scenario', 'io-ratio', '--no-ratio'])).toThrow(UsageError);
    expect(() => parseScenarioCommand(['--quick'])).toThrow(UsageError);
    expect(() => parseScenarioCommand(['--scenario', 'io', '--svg', 'x'])).toThrow(UsageError);
  });
});

describe('scenario plans', () => {
  it('ask the servers for the workload and the tester for the same limits', () => {
    const io = scenarioPlan('io', false);
    expect(io.serverFlags).toEqual(['--delay-ms', '20']);
    expect(io.mix).toEqual([]);
    const cpu = scenarioPlan('cpu', true);
    expect(cpu.durationSec).toBe(3);
    expect(scenarioPlan('io', true).durationSec).toBe(2);
    expect(cpu.serverFlags).toEqual(['--max-digits', '1000000']);
    expect(cpu.maxDigits).toBe(1_000_000);
    expect(cpu.mix).toEqual([{ percent: 1, digits: 1_000_000 }]);
    expect(cpu.baseline).toBe(true);
    const mixed = scenarioPlan('mixed', false, { clients: 3, durationSec: 1 });
    expect(mixed.serverFlags).toEqual(['--delay-ms', '20', '--max-digits', '1000000']);
    expect(mixed).toMatchObject({ clients: 3, durationSec: 1 });
  });

  it('stretch the warm-up where a client must wait for its own thread or process', () => {
    const plan = { warmupSec: 1, clients: 100 };
    expect(warmupFor(plan, 'event loop')).toBe(1);
    expect(warmupFor(plan, 'threads')).toBe(10);
    expect(warmupFor(plan, 'processes')).toBe(20);
    expect(warmupFor({ warmupSec: 1, clients: 10_000 }, 'processes')).toBe(30);
  });
});

const latency = (p50: number, p99: number, count = 1000): LatencySummaryUs => ({ p50, p90: p99, p99, p999: p99, max: p99, mean: p50, count });

function run(variant: string, model: Model, fields: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    variant, model, clients: 10, mix: '', warmupSec: 1, durationSec: 2, requestsPerSec: 1000,
    latencyUs: latency(200, 2000), lightUs: latency(200, 2000), heavy: [], clientsServed: 10,
    replies: { ok: 2000, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 }, unfinished: 10,
    testerCpuPercent: 10, server: { samples: 10, peakRssKb: 51_200, peakThreads: 7, peakProcesses: 1, cpuPercent: 50 },
    serverExited: false, problems: [], ...fields,
  };
}

function entry(r: ScenarioRun, baseline: ScenarioRun | null = null): ScenarioEntry {
  return { variant: r.variant, model: r.model, baseline, run: r };
}

function result(entries: ScenarioEntry[], name: 'io' | 'cpu' = 'io'): ScenarioResult {
  return { plan: scenarioPlan(name, true, { clients: 10 }), entries, elapsedSec: 1 };
}

describe('judgeScenario', () => {
  it('names the winner by req/s and by light p99, each against the runner-up, with its memory', () => {
    const verdict = judgeScenario(result([
      entry(run('event-loop', 'event loop', { requestsPerSec: 3000, lightUs: latency(100, 1000) })),
      entry(run('threads', 'threads', { requestsPerSec: 2000, lightUs: latency(100, 4000), server: { samples: 1, peakRssKb: 204_800, peakThreads: 17, peakProcesses: 1, cpuPercent: 90 } })),
      entry(run('blocking', 'blocking', { requestsPerSec: 9000, lightUs: latency(10, 20), clientsServed: 1 })),
      entry(run('cluster', 'cluster', { requestsPerSec: 9999, replies: { ok: 1, wrong: 1, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 } })),
    ]));
    expect(verdict.byThroughput).toMatchObject({ variant: 'event-loop', value: 3000, factor: 1.5, peakRssKb: 51_200, runnerUp: { variant: 'threads', value: 2000, peakRssKb: 204_800 } });
    expect(verdict.byLightP99).toMatchObject({ variant: 'event-loop', value: 1000, factor: 4 });
    expect(verdict.outOfRunning).toEqual([
      { variant: 'blocking', reason: 'served 1 of 10 clients' },
      { variant: 'cluster', reason: '1 wrong replies' },
    ]);
  });

  it('names the leanest of those within 5% of the most req/s: where waiting caps everyone, memory decides', () => {
    const mb = (n: number) => ({ samples: 1, peakRssKb: n * 1024, peakThreads: 1, peakProcesses: 1, cpuPercent: 1 });
    const verdict = judgeScenario(result([
      entry(run('threads', 'threads', { requestsPerSec: 5000, server: mb(900) })),
      entry(run('event-loop', 'event loop', { requestsPerSec: 4900, server: mb(60) })),
      entry(run('processes', 'processes', { requestsPerSec: 4000, server: mb(40) })),
    ]));
    expect(verdict.byThroughput?.variant).toBe('threads');
    expect(verdict.leanest).toEqual({ variant: 'event-loop', model: 'event loop', requestsPerSec: 4900, peakRssKb: 60 * 1024, tiedWith: ['threads'] });
    expect(renderWhichToUse([verdict])).toContain('of those event-loop needs the least memory (60.0 MB)');
  });

  it('gives no winner when nothing qualifies, and says why each one failed', () => {
    expect(disqualification(run('x', 'pool', { serverExited: true }))).toBe('the server died');
    expect(disqualification(run('x', 'pool', { replies: { ok: 1, wrong: 0, errors: 0, timeouts: 0, dropped: 2, connectFailed: 0 } }))).toMatch(/dropped/);
    const verdict = judgeScenario(result([entry(run('blocking', 'blocking', { clientsServed: 1 }))]));
    expect(verdict.byThroughput).toBeNull();
    expect(renderWhichToUse([verdict])).toContain('none qualified');
    const alone = judgeScenario(result([entry(run('pool', 'pool'))]));
    expect(alone.byThroughput).toMatchObject({ variant: 'pool', runnerUp: null, factor: null });
  });
});

const environment: Environment = {
  node: 'v26.10.0', python: 'Python 3.11.7', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc', command: 'npm run bench -- --scenario cpu', date: '2026-01-01T00:00:00.000Z',
};

describe('rendering', () => {
  it('formats latency in milliseconds with the decimals that matter', () => {
    expect(formatMs(250)).toBe('0.25');
    expect(formatMs(21_450)).toBe('21.4');
    expect(formatMs(1_032_000)).toBe('1,032');
  });

  it('shows each server light only and mixed, what the heavy requests cost, and which to use', () => {
    const cpu = result([
      entry(run('event-loop', 'event loop', { mix: '1%:1000000', requestsPerSec: 1000, lightUs: latency(300, 135_000), heavy: [{ name: '1,000,000 digits', digits: 1_000_000, sharePercent: 1, latencyUs: latency(90_000, 240_000, 22), notOk: 0 }] }),
        run('event-loop', 'event loop', { requestsPerSec: 60_000, lightUs: latency(100, 1_800) })),
      entry(run('pool', 'pool', { mix: '1%:1000000', requestsPerSec: 700, lightUs: latency(40, 3_800), heavy: [{ name: '1,000,000 digits', digits: 1_000_000, sharePercent: 1, latencyUs: latency(1_100_000, 2_300_000, 15), notOk: 1 }] }),
        run('pool', 'pool', { requestsPerSec: 57_000, lightUs: latency(40, 2_400) })),
    ], 'cpu');
    const report: ScenarioReport = {
      environment,
      loadAverage: { start: 1.5, end: 3.2, cpus: 2 },
      options: runOptions('--scenario', 'cpu'),
      sampling: 'on',
      skipped: [{ name: 'python-sync', reason: 'no --delay-ms' }],
      ratio: null,
      scenarios: [cpu],
      verdicts: [judgeScenario(cpu)],
      elapsedSec: 12,
    };
    const text = renderScenarioText(report);
    expect(text).toContain('== cpu: CPU work');
    expect(text).toContain('60,000 -> 1,000');
    expect(text).toContain('1.8 -> 135');
    expect(text).toContain('75.0x');
    expect(text).toContain('22');
    expect(text).toContain('15 (1 not)');
    expect(text).toContain('left out: python-sync: no --delay-ms');
    expect(text).toContain('load average 1.5 at start, 3.2 at end, on 2 CPUs: other work was sharing these cores');
    expect(text).toMatch(/Which to use, measured[\s\S]*event-loop: 1,000 req\/s/);
    expect(text).toContain('- cpu, 10 clients: most req/s: event-loop (1,000 req/s, 1.43x pool (700 req/s, 50.0 MB); peak RSS 50.0 MB). ' +
      'Lowest light p99: pool (3.8 ms, 35.53x event-loop (135 ms, 50.0 MB); peak RSS 50.0 MB).');
    expect(heavyCostLines(cpu)[0]).toMatch(/^event-loop: light p99 1\.8 ms alone, 135 ms with the big numbers \(75.0x\)/);
  });

  it('tells the asyncio talk\'s story from the figures', () => {
    const figure = (clients: number, sequentialMs: number, concurrentMs: number, estimated = false): RatioFigure => ({
      clients, sequentialMs, sequentialEstimated: estimated, concurrentMs, ratio: sequentialMs / concurrentMs, concurrentRunsMs: [concurrentMs], sequentialRunsMs: [sequentialMs], wrongReplies: 0,
    });
    const report: RatioReport = {
      plan: ratioPlan(true),
      seed: [{ variant: 'event-loop', figure: figure(20, 1060, 60) }, { variant: 'blocking', figure: figure(20, 1100, 1040) }],
      sweep: [figure(1, 52, 51), figure(10, 530, 53), figure(100, 5300, 57, true), figure(1000, 53_000, 170, true)],
      elapsedSec: 10,
    };
    const text = renderRatio(report);
    expect(text).toContain('17.7x');
    expect(text).toContain('"17x faster"');
    expect(text).toContain('15.2x');
    expect(text).toMatch(/blocking: 1\.1x/);
    expect(text).toContain('53,000 (est.)');
    expect(text).toContain('312x');
    expect(text).toContain('(53.0 ms)');
  });
});

describe('the results page', () => {
  it('renders the JSON report as Markdown: heading, the ratio, each scenario, which to use', () => {
    const figure = (clients: number, sequentialMs: number, concurrentMs: number): RatioFigure => ({
      clients, sequentialMs, sequentialEstimated: false, concurrentMs, ratio: sequentialMs / concurrentMs, concurrentRunsMs: [concurrentMs], sequentialRunsMs: [sequentialMs], wrongReplies: 0,
    });
    const io = result([entry(run('event-loop', 'event loop', { requestsPerSec: 4000 })), entry(run('processes', 'processes', { requestsPerSec: 3000 }))]);
    const report: ScenarioReport = {
      environment: { ...environment, command: 'npm run scenario -- --scenario io --quick' },
      loadAverage: { start: 0.2, end: 0.4, cpus: 2 },
      options: runOptions('--scenario', 'io', '--quick'),
      sampling: 'on',
      skipped: [],
      ratio: { plan: ratioPlan(true), seed: [{ variant: 'event-loop', figure: figure(20, 1060, 60) }], sweep: [figure(1, 52, 51), figure(10, 530, 53)], elapsedSec: 10 },
      scenarios: [io],
      verdicts: [judgeScenario(io)],
      elapsedSec: 30,
    };
    const page = renderMarkdown(report);
    expect(page.startsWith('# hexd scenarios (--quick): which model for which load\n\n- command: `npm run scenario -- --scenario io --quick`\n')).toBe(true);
    expect(page).toContain('- load average 0.2 at start, 0.4 at end, on 2 CPUs\n');
    expect(page).toContain('## io: the experiment of the talk "asyncio and friends"\n\nThe experiment of Travis Hathaway\'s talk "asyncio and friends": 20 requests');
    expect(page).toContain('| Server | One after another (ms) | 20 at once (ms) | Ratio |\n| --- | ---: | ---: | ---: |\n| event-loop | 1,060 | 60 | 17.7x |\n');
    expect(page).toContain('| Clients | One after another (ms) | All at once (ms) | Ratio | Ideal |');
    expect(page).toContain('## io: I/O wait: every reply waits 20 ms on a timer');
    expect(page).toContain('| event-loop | 10 | 1 | 4,000 | 0.20 | 2.0 | 10 of 10 | 50.0 | 7 | 50 | - |');
    expect(page).toContain('Peak RSS adds up every process of a server');
    expect(page).toContain('## Which to use, measured (only servers that served every client with every reply right compete)');
    expect(page).toContain('| io | 10 | event-loop: 4,000 req/s<br>1.33x processes<br>50.0 MB |');
    expect(page).toMatch(/\n- io, 10 clients: most req\/s: event-loop/);
    expect(page.endsWith('Done in 30 s.\n')).toBe(true);
    expect(renderMarkdown(JSON.parse(JSON.stringify(report)) as ScenarioReport)).toBe(page);
  });
});

describe('the asyncio talk\'s measurements against real servers', () => {
  it('overlap the waits on an event loop, one after another on blocking', async () => {
    const delayMs = 40;
    const loop = await startServer('event-loop', { delayMs });
    const blocking = await startServer('blocking', { delayMs });
    const at = (port: number) => ({ host: '127.0.0.1', port });
    const one = await sequential(at(loop.port), 5, delayMs);
    expect(one.wrong).toBe(0);
    expect(one.ms).toBeGreaterThanOrEqual(5 * delayMs - 5);
    const many = await concurrent(at(loop.port), 5, delayMs);
    expect(many.wrong).toBe(0);
    expect(many.ms).toBeGreaterThanOrEqual(delayMs - 5);
    expect(many.ms).toBeLessThan(3 * delayMs);
    const turns = await concurrent(at(blocking.port), 5, delayMs);
    expect(turns.wrong).toBe(0);
    expect(turns.ms).toBeGreaterThanOrEqual(5 * delayMs - 5);
  });
});

describe('failures', () => {
  it('fails the run for a hexd server that answered wrong, in either run', () => {
    const bad = run('pool', 'pool', { replies: { ok: 1, wrong: 0, errors: 1, timeouts: 0, dropped: 0, connectFailed: 0 } });
    const report = { scenarios: [result([entry(run('pool', 'pool'), bad), entry(run('event-loop', 'event loop'))], 'cpu')], ratio: null } as unknown as ScenarioReport;
    expect(failures(report)).toEqual(['pool (cpu)']);
  });
});

describe('npm run scenario', () => {
  it('is its own program: help, and usage errors with status 2', () => {
    const help = spawnSync(NODE, ['load/scenario/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run scenario -- io|cpu|mixed|io-ratio|all');
    expect(help.stdout.replace(/\n {10,}/g, ' ')).toMatch(/--variants LIST +servers, comma-separated: blocking, .* \(default: all\)/);
    const bad = spawnSync(NODE, ['load/scenario/main.ts', '--quick'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('hexd-scenario: name a scenario: io, cpu, mixed, io-ratio or all (see --help)\n');
  });
});

describe('npm run bench -- --scenario', () => {
  it('dispatches to the scenarios: help, and usage errors with status 2', () => {
    const help = spawnSync(NODE, ['load/bench/main.ts', '--scenario', 'io', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run scenario -- io|cpu|mixed|io-ratio|all');
    expect(help.stderr).toBe('hexd-bench: --scenario is now npm run scenario; this spelling goes in the next release\n');
    const bad = spawnSync(NODE, ['load/bench/main.ts', '--scenario', 'disk'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown scenario "disk"/);
    const sweepHelp = spawnSync(NODE, ['load/bench/main.ts', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(sweepHelp.stdout).toContain('--scenario LIST');
  });
});
