// The scenarios' HTML page (--html FILE): a chart per workload with its points, the tables, markup
// that closes every element it opens, and nothing it would have to load.

import { describe, expect, it } from 'vitest';
import { renderScenarioHtml } from '../../../load/scenario/html-report.ts';
import { scenarioReportFixture } from './fixture.ts';

/** Each inline SVG of the page. */
function charts(html: string): string[] {
  return [...html.matchAll(/<svg xmlns[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

/** A data point is a circle with a tooltip; the legend's circles have none. */
const pointCount = (svg: string): number => svg.match(/<circle [^>]*><title>/g)?.length ?? 0;
const titleOf = (svg: string): string => /<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? '';

/** The elements still open after `html`, or the first that closes out of turn; [] when it nests right. */
function unbalanced(html: string): string[] {
  const open: string[] = [];
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  for (const [tag, slash, name] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g) as Iterable<[string, string, string]>) {
    const n = name.toLowerCase();
    if (VOID.has(n) || tag.endsWith('/>')) continue;
    if (slash === '') open.push(n);
    else if (open.pop() !== n) return [`</${n}> out of turn`];
  }
  return open;
}

describe('renderScenarioHtml', () => {
  const report = scenarioReportFixture();
  const html = renderScenarioHtml(report);

  it('draws the talk\'s ratio and a chart per scenario, each with points, and each server in its bench colour', () => {
    const svgs = charts(html);
    expect(svgs.map(titleOf)).toEqual([
      'What waiting together buys: N requests that each wait 50 ms, one after another against all at once',
      'io: throughput against memory, 10 clients (the wait caps all; memory decides)',
      'cpu: what 1% of big numbers do to the light requests&#39; p99, 10 clients',
      'cpu: the serving loops&#39; delay p99, as each server measured it, without and with the big numbers',
    ]);
    for (const svg of svgs) expect(pointCount(svg), titleOf(svg)).toBeGreaterThan(0);
    // The ratio: event-loop at 1, 10, 20, 100 and 1000 clients, the ideal at each, blocking's one, the talk's one.
    expect(pointCount(svgs[0]!)).toBe(5 + 5 + 1 + 1);
    // io: one point per server, blocking named with the one client it served; cpu: alone and with big numbers.
    expect(pointCount(svgs[1]!)).toBe(3);
    expect(svgs[1]).toContain('>blocking: 1 of 10</text>');
    expect(pointCount(svgs[2]!)).toBe(6);
    // The loops' own delay, alone and with big numbers, per server; event-loop's rises, the others' stay low.
    expect(pointCount(svgs[3]!)).toBe(6);
  });

  it('is one self-contained page whose elements all close, with the tables and the raw JSON', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(unbalanced(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|src=/i);
    for (const part of ['the experiment of the talk', '17.7x', 'io: I/O wait', 'cpu: CPU work', '1 of 10',
      'What the big numbers did to everyone else', 'Which to use, measured', 'npm run scenario -- io,cpu --quick', 'abc123', 'Raw JSON']) {
      expect(html).toContain(part);
    }
    // A cell of several lines keeps its breaks.
    expect(html).toMatch(/event-loop: 500 req\/s<br>/);
  });

  it('renders the same from the JSON read back', () => {
    expect(renderScenarioHtml(JSON.parse(JSON.stringify(report)) as typeof report)).toBe(html);
  });

  it('says why, rather than drawing an empty chart, where there are no memory figures', () => {
    const io = report.scenarios[0]!;
    const bare = { ...report, ratio: null, scenarios: [{ ...io, entries: io.entries.map((e) => ({ ...e, run: { ...e.run, server: null } })) }] };
    const page = renderScenarioHtml(bare);
    expect(charts(page)).toEqual([]);
    expect(page).toContain('No chart: without memory figures');
  });
});
