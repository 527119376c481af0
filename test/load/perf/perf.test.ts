// The arithmetic and rendering behind `npm run perf`: pass/fail, the
// targets built from figures, pinning plans, and the command line. No servers are started here.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../common/cli.ts';
import { parseBenchCommand } from '../../../load/bench/options.ts';
import { parsePerfCommand } from '../../../load/perf/options.ts';
import { manyTarget, idleMemoryTarget, type IdleFigure } from '../../../load/perf/connections.ts';
import { ratioTarget, type PointFigures } from '../../../load/perf/compare.ts';
import { renderMarkdown } from '../../../load/perf/markdown.ts';
import { notAvailable, renderPerfText, renderTargetTable, resultLabel, type PerfReport } from '../../../load/perf/report.ts';
import type { RunFigure } from '../../../load/perf/runs.ts';
import { optionListed } from '../../../load/perf/servers.ts';
import { allOf, atLeast, atMost, formatRatio, under } from '../../../load/perf/verdict.ts';
import { testerNotTheLimit } from '../../../load/perf/throughput.ts';
import { freshAsyncio } from '../../../load/perf/python.ts';
import { parseCpuList, pinnedCommand, planPinning } from '../../../load/harness/taskset.ts';

const latency = { p50: 100, p90: 200, p99: 300, p999: 400, max: 500, mean: 150, count: 1000 };

function run(requestsPerSec: number, overrides: Partial<RunFigure> = {}): RunFigure {
  return {
    requestsPerSec,
    testerCpuPercent: 70,
    serverCpuPercent: 95,
    connections: 100,
    served: 100,
    repliesPerClient: { min: 1, median: 10, max: 20 },
    latencyUs: latency,
    connectUs: latency,
    problems: '-',
    ...overrides,
  };
}

function point(figures: Record<string, RunFigure[]>): PointFigures {
  return { connections: 100, pipeline: 16, figures, fresh: {} };
}

describe('pass/fail', () => {
  it('passes at the bound and fails past it, and never passes what was not measured', () => {
    expect(atLeast(0.95, 0.95)).toBe('PASS');
    expect(atLeast(0.9499, 0.95)).toBe('FAIL');
    expect(atLeast(Number.NaN, 0.95)).toBe('FAIL');
    expect(atMost(6, 6)).toBe('PASS');
    expect(atMost(6.01, 6)).toBe('FAIL');
    expect(atMost(Number.NaN, 6)).toBe('FAIL');
    expect(under(1.99, 2)).toBe('PASS');
    expect(under(2, 2)).toBe('FAIL');
    expect(allOf('PASS', 'PASS')).toBe('PASS');
    expect(allOf('PASS', 'FAIL')).toBe('FAIL');
  });

  it('formats ratios with two decimals', () => {
    expect(formatRatio(0.954)).toBe('0.95×');
    expect(formatRatio(Number.NaN)).toBe('n/a');
  });
});

describe('ratioTarget', () => {
  const spec = { benchmark: 'b', target: 't', subject: 'event-loop', baseline: 'reference', threshold: 0.95 };

  it('judges the median of the rounds\' ratios, so a slow round slows both servers and cancels out', () => {
    // The machine slows down in rounds 2 and 5; within every round event-loop is at 0.95-0.97x.
    const result = ratioTarget(spec, point({
      'event-loop': [run(95), run(60), run(96), run(94), run(50)],
      reference: [run(100), run(62), run(100), run(99), run(52)],
    }));
    expect(result.verdict).toBe('PASS');
    expect(result.value).toBeCloseTo(0.96, 3);
    expect(result.figure).toContain('0.96× (median of the rounds\' ratios; ratio of medians 0.95×)'); // 94 / 99 = 0.949
    expect(result.runs.join('\n')).toContain('event-loop req/s: 95 60 96 94 50');
    expect(result.runs.join('\n')).toContain('reference req/s: 100 62 100 99 52');
    expect(result.runs.join('\n')).toContain('ratio in each round: 0.95× 0.97× 0.96× 0.95× 0.96×');
    expect(result.runs.join('\n')).toMatch(/CPU event-loop: server 95%, tester 70%/);
  });

  it('fails when the rounds\' median ratio is below the bound', () => {
    const result = ratioTarget(spec, point({
      'event-loop': [run(93), run(94), run(100)],
      reference: [run(100), run(100), run(94)],
    }));
    expect(result.value).toBeCloseTo(0.94, 3);
    expect(result.verdict).toBe('FAIL');
  });

  it('fails below the bound, and whenever the subject answered wrong', () => {
    expect(ratioTarget(spec, point({ 'event-loop': [run(90)], reference: [run(100)] })).verdict).toBe('FAIL');
    const wrong = ratioTarget(spec, point({ 'event-loop': [run(200, { problems: '3 wrong' })], reference: [run(100)] }));
    expect(wrong.verdict).toBe('FAIL');
    expect(wrong.note).toContain('3 wrong');
  });
});

describe('testerNotTheLimit', () => {
  it('passes when the reference server is at 90% of a core or more', () => {
    const busy = testerNotTheLimit(point({ reference: [run(1, { serverCpuPercent: 91 }), run(1, { serverCpuPercent: 97 }), run(1, { serverCpuPercent: 40 })] }));
    expect(busy.verdict).toBe('PASS');
    expect(busy.value).toBe(91);
    const idle = testerNotTheLimit(point({ reference: [run(1, { serverCpuPercent: 60 })] }));
    expect(idle.verdict).toBe('FAIL');
    expect(testerNotTheLimit(point({ reference: [run(1, { serverCpuPercent: null })] })).verdict).toBe('FAIL');
  });
});

describe('freshAsyncio', () => {
  it('sets the event loop against asyncio\'s fresh first run, as information beside the judged ratio', () => {
    const figures = { ...point({ 'event-loop': [run(130_000)], 'python-asyncio-lines': [run(100_000)] }), fresh: { 'python-asyncio-lines': run(40_000) } };
    const info = freshAsyncio({ connections: 100, pipeline: 1 }, figures);
    expect(info.verdict).toBe('info');
    expect(info.value).toBe(3.25);
    expect(info.figure).toBe('3.25×: event-loop 130,000 req/s (median), python-asyncio-lines 40,000 req/s fresh, 100,000 once warm');
  });
});

describe('connection targets', () => {
  it('needs every one of 10,000 connections served, with no failures', () => {
    const many = (overrides: Partial<RunFigure>, allAcceptedMs: number | null = 900) => ({ ...run(1, overrides), allAcceptedMs });
    const passed = manyTarget([many({ served: 10_000 }), many({ served: 10_000 }), many({ served: 9_000 }, null)]);
    expect(passed.verdict).toBe('PASS');
    expect(passed.runs.join('\n')).toContain('all accepted after ms: 900 900 never');
    expect(passed.figure).toContain('accepted all 10,000 within 20 s in 2 of 3 runs (median 900 ms)');
    expect(manyTarget([many({ served: 9_999 })]).verdict).toBe('FAIL');
    expect(manyTarget([many({ served: 10_000, problems: '12 connect failed' })]).verdict).toBe('FAIL');
  });

  it('judges RSS per idle connection, and only when all 5,000 were held', () => {
    const idle = (server: string, kbPerConnection: number, connections = 5000): IdleFigure =>
      ({ server, baselineRssKb: 100_000, rssKb: 100_000 + kbPerConnection * connections, connections, kbPerConnection, connectMs: 500 });
    expect(idleMemoryTarget('t', [idle('event-loop', 4.3), idle('reference', 4)]).verdict).toBe('PASS');
    expect(idleMemoryTarget('t', [idle('event-loop', 4.5), idle('reference', 4)]).verdict).toBe('FAIL');
    expect(idleMemoryTarget('t', [idle('event-loop', 4.3), idle('python-uvloop-lines', 4.4)]).figure).toMatch(/uvloop: 4\.4 KB/);
    const few = idleMemoryTarget('t', [idle('event-loop', 1, 4000)]);
    expect(few.verdict).toBe('FAIL');
    expect(few.note).toContain('4,000');
  });
});

describe('pinning', () => {
  it('reads the kernel CPU list format', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-4,7\n')).toEqual([0, 2, 3, 4, 7]);
    expect(() => parseCpuList('zero')).toThrow(RangeError);
  });

  it('puts the server on the first CPU and the tester on the second, or says why not', () => {
    expect(planPinning(true, [2, 5, 6])).toMatchObject({ enabled: true, serverCpu: 2, testerCpu: 5 });
    expect(planPinning(false, [0, 1])).toMatchObject({ enabled: false, note: expect.stringContaining('taskset') });
    expect(planPinning(true, [0])).toMatchObject({ enabled: false, note: expect.stringContaining('only 1 CPU') });
    expect(planPinning(true, null).enabled).toBe(false);
  });

  it('wraps a server command in taskset only when pinning', () => {
    const on = planPinning(true, [0, 1]);
    expect(pinnedCommand(on, 'node', ['a.ts'])).toEqual({ command: 'taskset', args: ['-c', '0', 'node', 'a.ts'] });
    expect(pinnedCommand(planPinning(false, null), 'node', ['a.ts'])).toEqual({ command: 'node', args: ['a.ts'] });
  });
});

describe('optionListed', () => {
  it('finds an option in --help text, not a longer one that starts alike', () => {
    const help = '  --max-clients N  connections\n  --spare-time N  not it';
    expect(optionListed(help, '--max-clients')).toBe(true);
    expect(optionListed(help, '--spare')).toBe(false);
    expect(optionListed(`${help}\n  --spare N  warm workers`, '--spare')).toBe(true);
  });
});

describe('rendering', () => {
  const targets = [
    ratioTarget({ benchmark: 'b', target: 'event-loop at 0.95× of the reference', subject: 'event-loop', baseline: 'reference', threshold: 0.95 },
      point({ 'event-loop': [run(90)], reference: [run(100)] })),
    notAvailable('b', 'threads with --spare N', 'threads has no --spare option'),
  ];

  it('shows target, figure, runs and result in one table', () => {
    const text = renderTargetTable(targets);
    for (const heading of ['Target', 'Figure', 'Runs', 'Result']) expect(text).toContain(heading);
    expect(text).toContain('FAIL');
    expect(text).toContain('not available:');
    expect(resultLabel(targets[1]!)).toBe('not available: threads has no --spare option');
  });

  const report: PerfReport = {
    environment: { node: 'v26.10.0', python: null, cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc', command: 'npm run bench -- --perf', date: '2026-01-01T00:00:00.000Z' },
    pinning: planPinning(true, [0, 1]),
    plan: { quick: false, runs: 5, durationSec: 2, warmupSec: 0.5 },
    targets,
    data: {},
    elapsedSec: 300,
  };

  it('closes with the tally and the failing targets', () => {
    const text = renderPerfText(report);
    expect(text).toContain('npm run bench -- --perf');
    expect(text).toContain('server on CPU 0, tester on CPU 1');
    expect(text).toContain('0 PASS, 1 FAIL, 1 not available, 2 targets');
    expect(text).toMatch(/failing:\n {2}- event-loop at 0.95× of the reference/);
    expect(text).toContain('a ratio is judged on the median of the rounds\' ratios, the ratio of the medians shown beside it');
  });

  it('writes the results page from the JSON alone: each target with figure, runs and PASS/FAIL', () => {
    const page = renderMarkdown(report);
    expect(page.startsWith('# hexd performance targets\n\n- command: `npm run bench -- --perf`\n- commit: `abc`\n- date: 2026-01-01 00:00 UTC\n' +
      '- machine: Test CPU, 2 CPUs, Linux; Node v26.10.0\n')).toBe(true);
    expect(page).toContain('- pinning: server on CPU 0, tester on CPU 1');
    expect(page).toContain('- plan: 5 alternating runs per point, 2 s each after 0.5 s of warm-up');
    expect(page).toContain('| Target | Figure | Runs | Result |\n| --- | --- | --- | --- |\n');
    expect(page).toMatch(/\| event-loop at 0\.95× of the reference \| 0\.90× .*\| event-loop req\/s: 90<br>reference req\/s: 100<br>.*\| FAIL<br>needs 0\.95× \|/);
    expect(page).toContain('| threads with --spare N | - |  | not available: threads has no --spare option |');
    expect(page).toContain('0 PASS, 1 FAIL, 1 not available, 2 targets, in 300 s.\n\nFailing:\n\n- event-loop at 0.95× of the reference\n');
    expect(renderMarkdown(JSON.parse(JSON.stringify(report)) as PerfReport)).toBe(page);
  });
});

describe('npm run perf on the command line', () => {
  it('takes --quick and --json, and writes reports/perf.json by default', () => {
    const command = parsePerfCommand(['--quick']);
    expect(command).toMatchObject({ kind: 'run', options: { quick: true, json: 'reports/perf.json' } });
    expect(parsePerfCommand(['--json', 'x.json'])).toMatchObject({ options: { quick: false, json: 'x.json' } });
    expect(parseBenchCommand([])).toMatchObject({ options: { json: 'reports/bench.json' } });
    expect(parsePerfCommand(['--help'])).toMatchObject({ kind: 'help', text: expect.stringContaining('usage: npm run perf') });
  });

  it('refuses the sweep\'s options: it runs its own plan', () => {
    expect(() => parsePerfCommand(['--variants', 'node'])).toThrow(UsageError);
    expect(() => parsePerfCommand(['-d', '3'])).toThrow(/unknown option -d/);
  });
});
