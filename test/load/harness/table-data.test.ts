// Every terminal table the programs print fits 120 columns, rendered from the committed results
// (realistic figures, every peer the blog has, python-threads included), and a table too wide for any
// wrapping is shown as several that keep the columns telling its rows apart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBenchText } from '../../../load/bench/report.ts';
import { renderScenarioText } from '../../../load/scenario/report.ts';
import { renderOverheadText } from '../../../load/overhead/report.ts';
import { renderPerfText } from '../../../load/perf/report.ts';
import { renderTextTable } from '../../../load/harness/table-data.ts';
import { ROOT } from '../../helpers/servers.ts';

const results = (program: string): never => JSON.parse(readFileSync(join(ROOT, 'docs', 'results', `${program}.json`), 'utf8')) as never;

/** The lines of a text that belong to a table. */
const tableLines = (text: string): string[] => text.split('\n').filter((line) => /^[│┌├└]/.test(line));

describe('terminal tables', () => {
  it.each([
    ['bench', () => renderBenchText(results('bench'))],
    ['scenario', () => renderScenarioText(results('scenario'))],
    ['overhead', () => renderOverheadText(results('overhead'))],
    ['perf', () => renderPerfText(results('perf'))],
  ])('%s: every table line fits 120 columns, and nothing is cut short', (_, render) => {
    const lines = tableLines(render());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('the bench table keeps every peer and figure: python-threads and its problems are there', () => {
    const text = renderBenchText(results('bench'));
    for (const part of ['python-threads', 'python-asyncio', '3,739,647', '129 timeouts,', '870 connect']) expect(text).toContain(part);
  });

  it('splits a table too wide to wrap into parts that each repeat the columns telling the rows apart', () => {
    const wide = '9'.repeat(20);
    const text = renderTextTable({
      head: ['Variant', 'Clients', 'a', 'b', 'c', 'd', 'e', 'f'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      rows: [['python-threads', '1', wide, wide, wide, wide, wide, wide], ['python-threads', '10', wide, wide, wide, wide, wide, wide]],
    });
    for (const line of tableLines(text)) expect(line.length).toBeLessThanOrEqual(120);
    const heads = text.split('\n').filter((line) => line.startsWith('│ Variant'));
    expect(heads.length).toBe(2);
    for (const head of heads) expect(head).toMatch(/^│ Variant +│ Clients │/);
  });
});
