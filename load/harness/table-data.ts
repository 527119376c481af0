// A report's table as data (headings, cells, alignment), so that the terminal's plain table and the
// results page's Markdown table are the same rows. Returns strings.

import Table from 'cli-table3';
import { PLAIN } from './report.ts';
import { wrapWords } from '../../common/wrap.ts';

type Align = 'left' | 'right';

export interface TableData {
  head: readonly string[];
  /** One per column; left where not given. A cell may hold several lines, split by \n. */
  align?: readonly Align[];
  rows: readonly (readonly string[])[];
}

/** Column widths and wrapping for a table whose cells are long sentences. */
export interface TextLayout {
  colWidths: number[];
}

/** Terminal tables fit this many columns. */
const TERMINAL_COLUMNS = 120;

/**
 * The table as the terminal shows it: plain, no colours. Without a layout of its own, a table wider
 * than TERMINAL_COLUMNS wraps each heading wider than its column's cells at its spaces.
 */
export function renderTextTable(given: TableData, layout?: TextLayout): string {
  const data = layout === undefined ? fitToTerminal(given) : given;
  const table = new Table({
    head: [...data.head],
    ...(data.align === undefined ? {} : { colAligns: [...data.align] }),
    ...(layout === undefined ? {} : { colWidths: layout.colWidths, wordWrap: true, wrapOnWordBoundary: true }),
    style: PLAIN,
  });
  table.push(...data.rows.map((row) => [...row]));
  return table.toString();
}

/** The widest line of a cell. */
function lineWidth(text: string): number {
  return Math.max(...text.split('\n').map((line) => line.length));
}

/** A table's width in the terminal: each column its text, a space either side and a border. */
function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, width) => sum + width + 3, 1);
}

function fitToTerminal(data: TableData): TableData {
  const cellWidths = data.head.map((_, i) => Math.max(0, ...data.rows.map((row) => lineWidth(row[i] ?? ''))));
  if (tableWidth(data.head.map((heading, i) => Math.max(lineWidth(heading), cellWidths[i]!))) <= TERMINAL_COLUMNS) return data;
  const head = data.head.map((heading, i) => {
    const longestWord = Math.max(...heading.split(' ').map((word) => word.length));
    return wrapWords(heading, Math.max(cellWidths[i]!, longestWord)).join('\n');
  });
  return { ...data, head };
}

/** One cell's text in a Markdown table: pipes escaped, lines kept apart with <br>. */
function markdownCell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').split('\n').join('<br>');
}

/** The table in Markdown (GitHub's pipe tables), right-aligned columns marked so; ends with a newline. */
export function renderMarkdownTable(data: TableData): string {
  const rule = data.head.map((_, i) => (data.align?.[i] === 'right' ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return `${[line(data.head), `| ${rule.join(' | ')} |`, ...data.rows.map(line)].join('\n')}\n`;
}
