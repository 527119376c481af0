// The bench's HTML page and the scenarios' opened in a real browser (Debian's chromium, headless,
// driven by playwright-core): each renders with no console error, every chart has its points (the
// bench's span the page), and a screenshot of each is kept in reports/ to look at.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { renderBenchHtml } from '../../../load/bench/html-report.ts';
import { parseBenchCommand } from '../../../load/bench/options.ts';
import type { BenchPoint, BenchReport } from '../../../load/bench/run.ts';
import { PYTHON_VARIANTS, type Model } from '../../../load/harness/peers.ts';
import { renderScenarioHtml } from '../../../load/scenario/html-report.ts';
import { scenarioReportFixture } from '../scenario/fixture.ts';
import { ROOT } from '../../helpers/servers.ts';

/** Debian's chromium, which tools/preflight.ts installs for `npm test`. */
const CHROMIUM = '/usr/bin/chromium';
const CLIENTS = [1, 10, 100, 1000];

/** A sweep shaped as the blog tells it: blocking serves one, threads cost memory, the event loop serves all. */
function sweep(): BenchReport {
  const variants: BenchReport['variants'] = [
    { name: 'blocking', model: 'blocking', family: 'node' },
    { name: 'threads', model: 'threads', family: 'node' },
    { name: 'event-loop', model: 'event loop', family: 'node' },
    ...PYTHON_VARIANTS.map((p) => ({ name: p.name, model: p.model, family: 'python' as const })),
  ];
  const point = (variant: string, model: Model, clients: number): BenchPoint => {
    const served = model === 'blocking' ? 1 : clients;
    return {
      variant, model, clients, durationSec: 1,
      requestsPerSec: 10_000 + 20 * served,
      latencyUs: { p50: 50 * clients, p90: 80 * clients, p99: 100 * clients, p999: 200 * clients, max: 300 * clients, mean: 60 * clients, count: 10_000 },
      clientsServed: served,
      repliesPerClient: { min: served === clients ? 1 : 0, median: 1, max: 10_000 },
      replies: { ok: 10_000, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0 },
      unfinished: clients,
      testerCpuPercent: 50,
      server: { samples: 10, peakRssKb: 80_000 + (model === 'threads' ? 8_000 * clients : 100 * clients), peakThreads: model === 'threads' ? 7 + clients : 7, peakProcesses: 1, cpuPercent: 90 },
      serverExited: false,
      problems: [],
    };
  };
  const command = parseBenchCommand(['--quick']);
  if (command.kind !== 'run') throw new Error('expected a run');
  return {
    environment: { node: 'v26.10.0', python: 'Python 3.11.2', cpuModel: 'Test CPU', cpus: 2, platform: 'Linux', commit: 'abc123', command: 'npm run bench', date: '2026-01-01T00:00:00.000Z' },
    options: command.options,
    sampling: 'on',
    variants,
    skipped: [],
    points: variants.flatMap((v) => CLIENTS.map((clients) => point(v.name, v.model, clients))),
    framing: [],
    elapsedSec: 60,
  };
}

/** The page written to a temporary file and opened in chromium; `problems` collects its console errors and warnings. */
async function open(name: string, html: string): Promise<{ tab: Page; problems: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'hexd-report-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const page = join(dir, name);
  await writeFile(page, html);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  onTestFinished(() => browser.close());
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await tab.goto(pathToFileURL(page).href);
  return { tab, problems };
}

async function screenshot(tab: Page, name: string): Promise<void> {
  await mkdir(join(ROOT, 'reports'), { recursive: true });
  await tab.screenshot({ path: join(ROOT, 'reports', name), fullPage: true });
}

it('renders the bench page in chromium with no error, every chart drawn with its points across the page', async () => {
  const { tab, problems } = await open('bench.html', renderBenchHtml(sweep()));

  const charts = await tab.locator('.charts svg').evaluateAll((svgs) => svgs.map((svg) => ({
    title: svg.querySelector('title')?.textContent ?? '',
    width: svg.getBoundingClientRect().width,
    // A data point is a circle with a tooltip; the legend's circles have none.
    points: [...svg.querySelectorAll('circle')].filter((circle) => circle.querySelector('title') !== null).length,
    lines: svg.querySelectorAll('path').length,
  })));
  const bodyWidth = await tab.locator('body').evaluate((body) => body.getBoundingClientRect().width);

  expect(problems).toEqual([]);
  expect(charts.map((chart) => chart.title)).toEqual([
    'Clients served, of N connected (blocking serves one)',
    'Throughput: correct replies per second',
    'p99 latency of the replies that came',
    'Server peak memory (RSS) against clients',
  ]);
  const expectedPoints = sweep().points.length;
  for (const chart of charts) {
    expect(chart.points, `${chart.title}: a point for each server at each concurrency`).toBe(expectedPoints);
    expect(chart.lines, `${chart.title}: a line for each server`).toBe(6);
    expect(chart.width, `${chart.title}: uses the page, not a corner of it`).toBeGreaterThan(bodyWidth * 0.45);
  }
  expect(charts[0]!.width, 'the first chart spans the page').toBeGreaterThan(bodyWidth * 0.9);

  await screenshot(tab, 'bench-report-test.png');
});

it('renders the scenarios\' page in chromium with no error, every chart drawn with its points', async () => {
  const { tab, problems } = await open('scenario.html', renderScenarioHtml(scenarioReportFixture()));

  const charts = await tab.locator('svg').evaluateAll((svgs) => svgs.map((svg) => ({
    title: svg.querySelector('title')?.textContent ?? '',
    width: svg.getBoundingClientRect().width,
    points: [...svg.querySelectorAll('circle')].filter((circle) => circle.querySelector('title') !== null).length,
  })));

  expect(problems).toEqual([]);
  expect(charts.map((chart) => chart.title.split(':')[0])).toEqual(['What waiting together buys', 'io', 'cpu', 'cpu']);
  for (const chart of charts) {
    expect(chart.points, `${chart.title}: has its points`).toBeGreaterThan(0);
    expect(chart.width, `${chart.title}: is drawn`).toBeGreaterThan(0);
  }
  await screenshot(tab, 'scenario-report-test.png');
});
