import { describe, expect, it } from 'vitest';
import { parseBenchCommand, parseBenchVariants, parseConcurrencyList, type BenchOptions } from '../../../load/bench/options.ts';
import { comparisonTable, renderBenchText, storyLines } from '../../../load/bench/report.ts';
import { renderBenchHtml } from '../../../load/bench/html-report.ts';
import { loopDelayChart, p99Chart, throughputChart } from '../../../load/bench/charts.ts';
import { colourOf } from '../../../load/harness/variant-colours.ts';
import { ALL_PEER_NAMES } from '../../../load/harness/peers.ts';
import { renderMarkdown, type BenchJson } from '../../../load/bench/markdown.ts';
import type { BenchPoint, BenchReport } from '../../../load/bench/run.ts';
import type { Model } from '../../../load/harness/peers.ts';
import { UsageError } from '../../../common/cli.ts';

function runOptions(...argv: string[]): BenchOptions {
  const command = parseBenchCommand(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

describe('parseBenchCommand', () => {
  it('defaults to the blog\'s variants at 1, 10, 100, 1000 clients; --quick narrows it', () => {
    expect(runOptions()).toMatchObject({
      variants: ['blocking', 'threads', 'event-loop', 'python-sync', 'python-threads', 'python-asyncio'],
      concurrency: [1, 10, 100, 1000],
      durationSec: 5,
      warmupSec: 1,
      pipeline: 1,
      framingCheck: true,
      json: 'reports/bench.json',
      html: 'reports/bench.html',
      svg: 'reports/bench-throughput.svg',
    });
    expect(runOptions('--quick')).toMatchObject({ concurrency: [1, 10, 100], durationSec: 1.5, warmupSec: 0.5, quick: true });
    expect(runOptions('--quick', '-d', '3', '--concurrency', '2')).toMatchObject({ concurrency: [2], durationSec: 3 });
  });

  it('reads lists and groups', () => {
    expect(parseBenchVariants('node')).toEqual(['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool']);
    expect(parseBenchVariants('blog')).toEqual(['blocking', 'threads', 'event-loop', 'python-sync', 'python-threads', 'python-asyncio']);
    expect(parseBenchVariants('event-loop, python,event-loop')).toEqual(['event-loop', 'python-sync', 'python-threads', 'python-asyncio']);
    expect(parseConcurrencyList('100,1,10,1')).toEqual([1, 10, 100]);
    expect(() => parseBenchVariants('nginx')).toThrow(UsageError);
    expect(runOptions().variantsGiven).toBe(false);
    expect(runOptions('--variants', 'blog').variantsGiven).toBe(true);
    expect(() => parseConcurrencyList('0')).toThrow(UsageError);
    expect(() => parseConcurrencyList(',')).toThrow(UsageError);
    expect(() => parseBenchCommand(['--svg', ''])).toThrow(UsageError);
    expect(() => parseBenchCommand(['--nope'])).toThrow(UsageError);
  });
});

function point(variant: string, model: Model, clients: number, served: number, rssKb: number, threads: number): BenchPoint {
  return {
    variant, model, clients, durationSec: 1,
    requestsPerSec: 1000 * served,
    latencyUs: { p50: 50, p90: 80, p99: 100, p999: 200, max: 300, mean: 60, count: served * 1000 },
    clientsServed: served,
    repliesPerClient: { min: served === clients ? 1 : 0, median: 1, max: 1000 },
    replies: { ok: 1000, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 },
    unfinished: clients,
    testerCpuPercent: 50,
    server: { samples: 10, peakRssKb: rssKb, peakThreads: threads, peakProcesses: 1, cpuPercent: 90 },
    serverExited: false,
    problems: [],
  };
}

const report: BenchReport = {
  environment: { node: 'v26.10.0', python: 'Python 3.11.7', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc123', command: 'npm run bench -- --quick', date: '2026-01-01T00:00:00.000Z' },
  options: runOptions('--quick', '--concurrency', '1,100'),
  sampling: 'on',
  variants: [
    { name: 'blocking', model: 'blocking', family: 'node' },
    { name: 'threads', model: 'threads', family: 'node' },
    { name: 'event-loop', model: 'event loop', family: 'node' },
  ],
  skipped: [{ name: 'python-sync', reason: 'no python3 on PATH' }],
  points: [
    point('blocking', 'blocking', 1, 1, 80_000, 7), point('blocking', 'blocking', 100, 1, 80_000, 7),
    point('threads', 'threads', 1, 1, 100_000, 8), point('threads', 'threads', 100, 100, 892_000, 107),
    point('event-loop', 'event loop', 1, 1, 80_000, 7), point('event-loop', 'event loop', 100, 100, 82_000, 7),
  ],
  framing: [{
    variant: 'python-asyncio', pipeline: 16,
    replies: { ok: 9, wrong: 8983, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 },
    problems: [{ kind: 'wrong', request: '4312', expected: '0x10d8', got: 'Request payload must be an integer' }],
    serverExited: false,
  }],
  elapsedSec: 12,
};

describe('the bench story', () => {
  it('reads as the blog: blocking serves 1 of N, threads all at a cost per client, the event loop all in flat threads', () => {
    const story = storyLines(report);
    expect(story[0]).toMatch(/^One client at a time: blocking served 1 of 100 clients; the other clients stayed connected and waited/);
    expect(story[1]).toMatch(/^A thread per client: threads served 100 of 100 clients .*about 8,000 KB and 1\.0 threads per extra client/);
    expect(story[2]).toMatch(/^One thread serves all: event-loop served 100 of 100 clients with 7 OS threads from 1 to 100 clients/);
    expect(story[3]).toMatch(/^With 16 requests in flight on one connection, python-asyncio answered 8,983 wrong against 9 right: it takes/);
    expect(story).toHaveLength(4);
  });

  it('says each fact once: the servers of a model share its line, the framing check\'s misreaders share one', () => {
    const framing = report.framing[0]!;
    const withPeers: BenchReport = {
      ...report,
      variants: [...report.variants, { name: 'python-sync', model: 'blocking', family: 'python' }, { name: 'python-threads', model: 'threads', family: 'python' }],
      points: [...report.points,
        point('python-sync', 'blocking', 1, 1, 20_000, 1), point('python-sync', 'blocking', 100, 1, 20_000, 1),
        point('python-threads', 'threads', 1, 1, 20_000, 2), point('python-threads', 'threads', 100, 100, 22_000, 101)],
      framing: [{ ...framing, variant: 'python-sync' }, framing],
    };
    const story = storyLines(withPeers);
    expect(story).toHaveLength(4);
    expect(story[0]).toMatch(/^One client at a time: blocking served 1 of 100 clients; python-sync served 1 of 100 clients; the other clients/);
    expect(story[1]).toMatch(/^A thread per client: threads served .*; python-threads served 100 of 100 clients/);
    expect(story[3]).toMatch(/python-sync answered 8,983 wrong against 9 right, python-asyncio answered 8,983 wrong against 9 right: they take/);
    const text = story.join('\n');
    for (const once of ['One client at a time', 'A thread per client', 'stayed connected', 'requests in flight', 'recv() chunk']) {
      expect(text.split(once), once).toHaveLength(2);
    }
  });

  it('renders one comparison table with every point, and the framing check, within 120 columns', () => {
    const text = renderBenchText(report);
    // A heading wider than its cells wraps at its spaces, so the table fits a terminal.
    expect(comparisonTable(report).head).toEqual(['Variant', 'Clients', 'Req/s', 'p50 (µs)', 'p99 (µs)', 'Served', 'Peak RSS (MB)', 'Threads', 'Server CPU %', 'Tester CPU %', 'Loop delay p99 (ms)', 'Problems']);
    for (const line of text.split('\n').filter((l) => /^[│┌├└]/.test(l))) expect(line.length).toBeLessThanOrEqual(120);
    for (const part of ['Variant', 'Clients', 'Req/s', 'p50', 'p99', '(µs)', 'Served', 'Peak', 'RSS', '(MB)', 'Threads',
      '1 of 100', '871.1', 'Framing check', 'Request payload must be an integer', 'skipped python-sync', 'commit abc123']) {
      expect(text).toContain(part);
    }
  });

  it('writes a self-contained HTML report with four inline SVG charts, clients served first, a glossary and the environment', () => {
    const html = renderBenchHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg xmlns/g)).toHaveLength(4);
    expect(html.match(/<title>([^<]+)<\/title>\n<rect/g)?.map((t) => t.split(/[<>]/)[2])).toEqual([
      'Clients served, of N connected (blocking serves one)',
      'Throughput: correct replies per second',
      'p99 latency of the replies that came',
      'Server peak memory (RSS) against clients',
    ]);
    for (const term of ['served', 'p50, p99', 'RSS', 'framing']) expect(html).toContain(`<dt>${term}</dt>`);
    expect(html).not.toMatch(/<script|<link|src=/i);
    for (const part of ['v26.10.0', 'Test CPU', 'abc123', 'npm run bench -- --quick', 'Raw JSON']) expect(html).toContain(part);
  });

  it('the standalone throughput chart names each variant', () => {
    const svg = throughputChart(report);
    for (const name of ['blocking', 'threads', 'event-loop']) expect(svg).toContain(`>${name}</text>`);
  });

  it('gives every server it can run a colour of its own, the same in every chart', () => {
    const colours = ALL_PEER_NAMES.map(colourOf);
    expect(new Set(colours).size).toBe(ALL_PEER_NAMES.length);
    expect(colours).not.toContain(colourOf('no such server'));
    expect(throughputChart(report)).toContain(`stroke="${colourOf('blocking')}"`);
    expect(p99Chart(report)).toContain(`stroke="${colourOf('blocking')}"`);
  });

  it('charts the servers\' own loop delay where they gave one, and only theirs', () => {
    expect(loopDelayChart(report)).toBeNull();
    const view = { statsUrl: '', variant: 'event-loop', polls: 4, loopDelayP99Ms: 3.5, loopDelayMaxMs: 9, utilisation: { mean: 0.5, min: 0.5, max: 0.5 }, serverReplies: 10, osThreadsMax: 7, threads: [] };
    const watched = { ...report, points: report.points.map((p) => (p.variant === 'event-loop' ? { ...p, telemetry: view } : p)) };
    const chart = loopDelayChart(watched)!;
    expect(chart).toContain(`stroke="${colourOf('event-loop')}"`);
    expect(chart).not.toContain(`stroke="${colourOf('blocking')}"`);
  });
});

describe('the results page', () => {
  it('renders the JSON report as Markdown: heading, run, tables and story', () => {
    const page = renderMarkdown(report);
    expect(page.startsWith('# hexd bench: the blog\'s models under load\n\n- command: `npm run bench -- --quick`\n- commit: `abc123`\n' +
      '- date: 2026-01-01 00:00 UTC\n- machine: Test CPU, 2 CPUs, Linux; Node v26.10.0, Python 3.11.7\n')).toBe(true);
    expect(page).toContain('1.5 s per point after 0.5 s of warm-up, pipeline 1, closed loop');
    expect(page).toContain('- skipped python-sync: no python3 on PATH');
    expect(page).toContain('| Variant | Clients | Req/s | p50 (µs) | p99 (µs) | Served | Peak RSS (MB) | Threads | Server CPU % | Tester CPU % | Loop delay p99 (ms) | Problems |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n');
    expect(page).toContain('| blocking | 100 | 1,000 | 50 | 100 | 1 of 100 | 78.1 | 7 | 90 | 50 | - | - |');
    expect(page).toContain('## Framing check: one connection, 16 requests in flight');
    expect(page).toContain('| python-asyncio | 16 | 9 | 8,983 | 0 | sent "4312", got "Request payload must be an integer" |');
    expect(page).toMatch(/## The story, measured\n\n- One client at a time: blocking served 1 of 100 clients/);
    expect(page).not.toContain('## Over HTTP');
    expect(page.endsWith('6 points in 12 s.\n')).toBe(true);
  });

  it('depends on the JSON alone: the committed JSON re-renders to the same page, HTTP sweep included', () => {
    const http = [{ variant: 'event-loop', clients: 100, durationSec: 1, requestsPerSec: 50_000, latencyMs: { p50: 1, p99: 3, max: 9 }, ok: 50_000, non2xx: 0, errors: 0, timeouts: 0 }];
    const withHttp = { ...report, http };
    const page = renderMarkdown(withHttp);
    expect(page).toContain('| event-loop | 100 | 100,000 | 50,000 | 2.0x | 0.05 / 0.10 | 1 / 3 | 0 / 0 / 0 |');
    expect(renderMarkdown(JSON.parse(JSON.stringify(withHttp)) as BenchJson)).toBe(page);
  });
});
