// What every results page shares: its tables (the terminal's rows, in Markdown), its heading, and the
// JSON and page written together so that re-rendering the JSON gives the page.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../load/harness/environment.ts';
import { joinSections, markdownList, resultsHeading, writeReportFiles } from '../../../load/harness/results-page.ts';
import { renderMarkdownTable, renderTextTable, type TableData } from '../../../load/harness/table-data.ts';

const TABLE: TableData = {
  head: ['Variant', 'Req/s', 'Note'],
  align: ['left', 'right', 'left'],
  rows: [['event-loop', '1,000', 'a | b\nsecond line']],
};

describe('tables', () => {
  it('render the same rows as plain text and as Markdown', () => {
    const text = renderTextTable(TABLE);
    expect(text).toMatch(/event-loop\s+│\s+1,000\s+│ a \| b/);
    expect(text).toContain('second line');
    expect(renderMarkdownTable(TABLE)).toBe('| Variant | Req/s | Note |\n| --- | ---: | --- |\n| event-loop | 1,000 | a \\| b<br>second line |\n');
  });
});

describe('the heading and sections', () => {
  const environment: Environment = {
    node: 'v26.10.0', python: null, cpuModel: 'Test CPU', cpus: 2, platform: 'Linux 6.1 x64', commit: 'abc123-dirty',
    command: 'npm run perf -- --quick', date: '2026-03-04T05:06:07.890Z',
  };

  it('say which run the page shows, from the report alone', () => {
    expect(resultsHeading('Title', environment)).toBe([
      '# Title', '', '- command: `npm run perf -- --quick`', '- commit: `abc123-dirty`', '- date: 2026-03-04 05:06 UTC',
      '- machine: Test CPU, 2 CPUs, Linux 6.1 x64; Node v26.10.0', '',
      'Written by the program from its JSON report; run it again to change this page.', '',
    ].join('\n'));
  });

  it('join with one blank line and end with one newline, dropping empty ones', () => {
    expect(joinSections(['# T\n', '', markdownList([]), markdownList(['a', 'b']), 'end'])).toBe('# T\n\n- a\n- b\n\nend\n');
  });
});

describe('writeReportFiles', () => {
  it('writes the JSON, and the page rendered from that JSON read back, only when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexd-results-'));
    const report = { figure: Number.NaN, note: undefined, name: 'x' };
    const render = (r: typeof report): string => `${r.name}: ${String(r.figure)} ${'note' in r ? 'with note' : 'no note'}\n`;
    expect(await writeReportFiles(report, { json: join(dir, 'a.json') }, render)).toEqual([join(dir, 'a.json')]);
    const written = await writeReportFiles(report, { json: join(dir, 'r', 'b.json'), markdown: join(dir, 'r', 'b.md') }, render);
    expect(written).toEqual([join(dir, 'r', 'b.json'), join(dir, 'r', 'b.md')]);
    const json = readFileSync(join(dir, 'r', 'b.json'), 'utf8');
    expect(json).toBe('{\n  "figure": null,\n  "name": "x"\n}\n');
    expect(readFileSync(join(dir, 'r', 'b.md'), 'utf8')).toBe(render(JSON.parse(json) as typeof report));
    expect(readFileSync(join(dir, 'r', 'b.md'), 'utf8')).toBe('x: null no note\n');
  });
});
