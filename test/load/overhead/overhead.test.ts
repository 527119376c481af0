// npm run overhead: the command line, the rendering beside the asyncio tutorial's figures, and each kind of unit
// measured for real on a few units.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../common/cli.ts';
import type { Environment } from '../../../load/harness/environment.ts';
import { parseOverheadCommand } from '../../../load/overhead/options.ts';
import { renderMarkdown } from '../../../load/overhead/markdown.ts';
import { comparisonLines, formatDuration, formatKb, renderOverheadText, type OverheadReport } from '../../../load/overhead/report.ts';
import { figure, measureChildren, measureConnections, measurePython, measureWorkers, overheadPlan } from '../../../load/overhead/units.ts';
import { findPython } from '../../../load/harness/peers.ts';
import { ROOT } from '../../helpers/servers.ts';

const hasPython = findPython() !== null;

describe('parseOverheadCommand', () => {
  it('reads --quick and --json', () => {
    expect(parseOverheadCommand([])).toEqual({ kind: 'run', options: { quick: false, json: 'reports/overhead.json' } });
    expect(parseOverheadCommand(['--quick', '--json', 'x.json'])).toEqual({ kind: 'run', options: { quick: true, json: 'x.json' } });
    expect(parseOverheadCommand(['-h']).kind).toBe('help');
    expect(() => parseOverheadCommand(['--json', ' '])).toThrow(UsageError);
    expect(() => parseOverheadCommand(['--nope'])).toThrow(UsageError);
  });
});

describe('rendering', () => {
  it('formats durations and sizes with their units', () => {
    expect(formatDuration(4.2)).toBe('4.2 µs');
    expect(formatDuration(73)).toBe('73 µs');
    expect(formatDuration(9_300)).toBe('9.3 ms');
    expect(formatDuration(110_000)).toBe('110 ms');
    expect(formatDuration(1_500_000)).toBe('1.50 s');
    expect(formatKb(1.17)).toBe('1.2 KB');
    expect(formatKb(16.4)).toBe('16 KB');
    expect(formatKb(11_469)).toBe('11.2 MB');
  });

  it('puts each unit beside the tutorial\'s figure and says what compares to what', () => {
    const environment: Environment = { node: 'v26.10.0', python: 'Python 3.11.7', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc', command: 'npm run bench:overhead', date: '' };
    const figures = [
      figure('event-loop-connection', [150, 200, 250], 3.1, null, 'n'),
      figure('asyncio-task', [5, 5], 1.2, null, 'n'),
      figure('worker-hexd', [9_000, 11_000], 11_469, null, 'n'),
      figure('python-thread', [60, 80], 16, null, 'n'),
      figure('process-hexd', [100_000, 120_000], 62_000, 18_600, 'n'),
      figure('worker-ts', [130_000], 21_700, null, 'n'),
    ];
    const report: OverheadReport = { environment, loadAverage: { start: 0.5, end: 0.7, cpus: 2 }, quick: true, plan: overheadPlan(true), figures, skipped: [], elapsedSec: 3 };
    const text = renderOverheadText(report);
    expect(text).toContain('event-loop connection');
    expect(text).toContain('load average 0.5 at start, 0.7 at end, on 2 CPUs.');
    expect(text).toContain('200 µs (200 µs)');
    expect(text).toContain('asyncio coroutine: 5.0 µs / 2 KB');
    expect(text).toContain('thread: 100 µs / 8 MB (OS stack size)');
    expect(text).toContain('60.5 MB RSS, 18.2 MB PSS');
    expect(text).toContain('The same, started other ways, for comparison:');
    const lines = comparisonLines(figures);
    expect(lines[0]).toMatch(/Worker .* 11\.2 MB and 10 ms here, a Python thread 16 KB and 70 µs: 717x the memory and 143x the time/);
    expect(lines.join('\n')).toContain('strips TypeScript itself costs 21.2 MB and 130 ms');
  });
});

describe('the results page', () => {
  it('renders the JSON report as Markdown: the units beside the tutorial, how each was measured, what compares', () => {
    const environment: Environment = { node: 'v26.10.0', python: 'Python 3.11.7', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc', command: 'npm run overhead -- --quick', date: '2026-01-01T00:00:00.000Z' };
    const figures = [
      figure('event-loop-connection', [150, 200, 250], 3.1, null, 'n'),
      figure('worker-hexd', [9_000, 11_000], 11_469, null, 'n'),
      figure('python-thread', [60, 80], 16, null, 'n'),
      figure('worker-ts', [130_000], 21_700, null, 'n'),
    ];
    const report: OverheadReport = {
      environment, loadAverage: { start: 0.5, end: 0.7, cpus: 2 }, quick: true, plan: overheadPlan(true), figures,
      skipped: [{ kind: 'asyncio-task', reason: 'no python3 on PATH' }], elapsedSec: 3,
    };
    const page = renderMarkdown(report);
    expect(page.startsWith('# hexd overhead (--quick): what one unit of concurrency costs\n\n- command: `npm run overhead -- --quick`\n')).toBe(true);
    expect(page).toContain('The load average 0.5 at start, 0.7 at end, on 2 CPUs.');
    expect(page).toContain('| Unit | Count | Bring-up, median (mean) | Memory per unit | vs tutorial (time / memory) | Tutorial\'s figure |\n| --- | ---: | ---: | ---: | ---: | --- |\n');
    expect(page).toContain('| event-loop connection | 3 | 200 µs (200 µs) | 3.1 KB RSS | 40x / 1.6x | asyncio coroutine: 5.0 µs / 2 KB |');
    expect(page).toContain('## The same, started other ways, for comparison\n\n| Unit |');
    expect(page).toContain('- asyncio task: not measured: no python3 on PATH.');
    expect(page).toMatch(/## What compares to what\n\n- A Node Worker is not a thread/);
    expect(renderMarkdown(JSON.parse(JSON.stringify(report)) as OverheadReport)).toBe(page);
  });
});

describe('measured for real, on a few units', () => {
  it('event-loop connections on hexd\'s real server', async () => {
    const f = await measureConnections(30);
    expect(f.kind).toBe('event-loop-connection');
    expect(f.count).toBe(30);
    expect(f.medianBringUpUs).toBeGreaterThan(0);
    expect(f.rssKbPerUnit).toBeLessThan(1024); // not a thread's megabytes
  });

  it('Workers booted as hexd boots them, in a probe process', async () => {
    const f = await measureWorkers('worker-hexd', 3);
    expect(f.count).toBe(3);
    expect(f.medianBringUpUs).toBeGreaterThan(100);
    expect(f.rssKbPerUnit).toBeGreaterThan(500); // an isolate each
  });

  it('child processes booted as hexd boots them, with RSS and PSS', async () => {
    const f = await measureChildren('process-hexd', 2);
    expect(f.count).toBe(2);
    expect(f.rssKbPerUnit).toBeGreaterThan(10_000);
    expect(f.pssKbPerUnit).not.toBeNull();
    expect(f.pssKbPerUnit!).toBeLessThan(f.rssKbPerUnit);
  });

  it.skipIf(!hasPython)('Python threads and asyncio tasks', () => {
    const threads = measurePython('threads', 20)!;
    expect(threads).toMatchObject({ kind: 'python-thread', count: 20 });
    const tasks = measurePython('tasks', 500)!;
    expect(tasks).toMatchObject({ kind: 'asyncio-task', count: 500 });
    expect(tasks.rssKbPerUnit).toBeLessThan(64);
  });

  it.skipIf(!hasPython)('the Python helper refuses a bad command line with status 2', () => {
    const result = spawnSync('python3', ['load/overhead/probe.py', 'fibers', '10'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage:');
  });
});
