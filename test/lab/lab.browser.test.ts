// The lab in a real browser (Debian's chromium, headless, driven by playwright-core), checked for
// what a person would see: blocking's grid with 1 client served and 9 waiting beside event-loop's 10,
// every chart plotted from this run, settings out of range refused on the page, an experiment run
// with one click, no console error, and no server left once the run stops or the page closes.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { Driven } from '../helpers/processes.ts';
import { NODE, ROOT } from '../helpers/servers.ts';
import { processTree } from '../../common/proc.ts';

/** Debian's chromium, which tools/preflight.ts installs for `npm run test:slow`. */
const CHROMIUM = '/usr/bin/chromium';
/** Long enough for a loaded machine to start two servers and show a few frames. */
const SEE_MS = 20_000;
/** A test waits for a few such things in turn. */
const TEST_TIMEOUT_MS = 60_000;

async function startLab(): Promise<{ lab: Driven; url: string }> {
  // Servers as nice as the lab and the browser, which would otherwise starve them on a busy machine.
  const lab = new Driven(NODE, ['lab/main.ts', '--port', '0', '--max-run-seconds', '120', '--server-niceness', '0']);
  await lab.waitFor('\n', 'stdout');
  const url = /lab on (http:\/\/\S+)/.exec(lab.stdout)?.[1];
  if (url === undefined) throw new Error(`no URL in ${JSON.stringify(lab.stdout)}`);
  return { lab, url };
}

async function openPage(url: string): Promise<{ tab: Page; problems: string[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  onTestFinished(() => browser.close());
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await tab.goto(url);
  await tab.locator('#status', { hasText: 'ready' }).waitFor();
  return { tab, problems };
}

/** A variant panel's figure as shown, and its grid's lit cells. */
async function shown(tab: Page, variant: string): Promise<{ served: string; waiting: string; lit: string }> {
  const panel = tab.locator(`.panel[data-variant="${variant}"]`);
  return {
    served: await panel.locator('dd.served').innerText(),
    waiting: await panel.locator('dd.waiting').innerText(),
    lit: (await panel.locator('canvas').getAttribute('data-lit')) ?? '',
  };
}

/** Waits until a variant shows `served` clients served and `waiting` waiting, with as many cells lit. */
async function waitForServed(tab: Page, variant: string, served: number, waiting: number): Promise<void> {
  await expect.poll(() => shown(tab, variant), { timeout: SEE_MS }).toEqual({ served: String(served), waiting: String(waiting), lit: String(served) });
}

async function labTree(lab: Driven): Promise<number[]> {
  return (await processTree(lab.child.pid!)).map((p) => p.pid);
}

it('shows blocking serving 1 of 10 beside event-loop serving 10, charts of the run, and stops everything', async () => {
  const { lab, url } = await startLab();
  const { tab, problems } = await openPage(url);

  // Out of range: refused on the page, before the lab hears of it.
  await tab.fill('input[name=clients]', '6000');
  await tab.click('#start');
  await expect.poll(() => tab.locator('#problems').innerText()).toContain('at most 10000 fit');
  expect(await tab.locator('input[name=clients]').getAttribute('class')).toContain('invalid');
  expect(await labTree(lab)).toEqual([lab.child.pid]);

  // blocking and event-loop are checked by default.
  await tab.fill('input[name=clients]', '10');
  await tab.click('#start');
  await waitForServed(tab, 'blocking', 1, 9);
  await waitForServed(tab, 'event-loop', 10, 0);
  expect(await shown(tab, 'blocking')).toEqual({ served: '1', waiting: '9', lit: '1' });

  // Every chart has points from this run: a line per variant, and a few frames of each.
  const plotted = () => tab.locator('#charts figure').evaluateAll((figures) => figures.map((f) => Number(f.getAttribute('data-points'))));
  await expect.poll(plotted, { timeout: SEE_MS }).toSatisfy((points: number[]) => points.length === 5 && points.every((p) => p >= 8));
  const charts = await tab.locator('#charts figure').evaluateAll((figures) => figures.map((f) => ({
    chart: f.getAttribute('data-chart'),
    lines: f.querySelectorAll('.u-legend .u-series').length - 1,
    width: f.querySelector('canvas')?.getBoundingClientRect().width ?? 0,
  })));
  expect(charts.map((c) => c.chart)).toEqual(['rps', 'p99', 'threads', 'rss', 'delay']);
  for (const chart of charts) {
    expect(chart.lines, `${chart.chart}: a line per variant`).toBe(2);
    expect(chart.width, `${chart.chart}: drawn`).toBeGreaterThan(200);
  }
  await mkdir(join(ROOT, 'reports'), { recursive: true });
  await tab.screenshot({ path: join(ROOT, 'reports', 'lab.png'), fullPage: true });

  await tab.click('#stop');
  await tab.locator('#status', { hasText: 'stopped: stopped from the page' }).waitFor();
  expect(await labTree(lab)).toEqual([lab.child.pid]);
  expect(problems).toEqual([]);
}, TEST_TIMEOUT_MS);

it('runs an experiment with one click, and a page closed mid-run leaves no process behind', async () => {
  const { lab, url } = await startLab();
  const { tab, problems } = await openPage(url);

  await tab.click('button[data-experiment="blocking-two"]');
  await waitForServed(tab, 'blocking', 1, 1);
  expect(await tab.locator('.panel').count()).toBe(1);
  expect(await tab.locator('input[name=clients]').inputValue()).toBe('2');
  expect(await labTree(lab)).toHaveLength(2); // the lab and blocking's server
  expect(problems).toEqual([]);

  await tab.close();
  await lab.waitFor('run stopped (the page closed)');
  expect(await labTree(lab)).toEqual([lab.child.pid]);
}, TEST_TIMEOUT_MS);
