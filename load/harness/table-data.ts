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
 * The table as the terminal shows it: plain, no colours, within TERMINAL_COLUMNS. Without a layout
 * of its own, a table too wide wraps each heading wider than its column's cells at its spaces, then
 * the words of its widest text columns; a table still too wide is shown as several, each with the
 * first column (the variant, the unit) and as many of the others as fit.
 */
export function renderTextTable(given: TableData, layout?: TextLayout): string {
  if (layout !== undefined) return plainTable(given, layout);
  return fitToTerminal(given).map((part) => plainTable(part)).join('\n');
}

function plainTable(data: TableData, layout?: TextLayout): string {
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

/** The longest word of a cell: as narrow as wrapping can make it. */
function longestWord(text: string): number {
  return Math.max(...text.split(/[ \n]/).map((word) => word.length));
}

/** A table's width in the terminal: each column its text, a space either side and a border. */
function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, width) => sum + width + 3, 1);
}

/** Each column's width: its widest cell, heading included. */
function columnWidths(data: TableData): number[] {
  return data.head.map((heading, i) => Math.max(lineWidth(heading), ...data.rows.map((row) => lineWidth(row[i] ?? ''))));
}

/** Every cell of column i, its heading too, wrapped at its spaces to `width` characters. */
function wrapColumn(data: TableData, i: number, width: number): TableData {
  const wrap = (text: string): string => text.split('\n').flatMap((line) => wrapWords(line, width)).join('\n');
  return {
    ...data,
    head: data.head.map((heading, j) => (j === i ? wrap(heading) : heading)),
    rows: data.rows.map((row) => row.map((cell, j) => (j === i ? wrap(cell) : cell))),
  };
}

const fits = (data: TableData): boolean => tableWidth(columnWidths(data)) <= TERMINAL_COLUMNS;

function fitToTerminal(given: TableData): TableData[] {
  if (fits(given)) return [given];
  const cellWidths = given.head.map((_, i) => Math.max(0, ...given.rows.map((row) => lineWidth(row[i] ?? ''))));
  const data = {
    ...given,
    head: given.head.map((heading, i) => wrapWords(heading, Math.max(cellWidths[i]!, longestWord(heading))).join('\n')),
  };
  const narrowed = wrapTextColumns(data);
  if (fits(narrowed)) return [narrowed];
  return splitColumns(data).map(wrapTextColumns);
}

/** The table with its text columns (left-aligned, past the first) wrapped down to their longest word, the widest first, until it fits. */
function wrapTextColumns(given: TableData): TableData {
  let data = given;
  const textColumns = data.head.map((_, i) => i).filter((i) => i > 0 && data.align?.[i] !== 'right');
  for (;;) {
    const widths = columnWidths(data);
    const excess = tableWidth(widths) - TERMINAL_COLUMNS;
    if (excess <= 0) return data;
    const floor = (i: number): number => Math.max(longestWord(data.head[i]!), ...data.rows.map((row) => longestWord(row[i] ?? '')));
    const widest = textColumns.filter((i) => widths[i]! > floor(i)).sort((a, b) => widths[b]! - widths[a]!)[0];
    if (widest === undefined) return data;
    data = wrapColumn(data, widest, Math.max(floor(widest), widths[widest]! - excess));
  }
}

/** How many leading columns tell the rows apart (the variant, or the variant and its clients): each part repeats them. */
function keyColumnCount(data: TableData): number {
  for (let count = 1; count < data.head.length - 1; count++) {
    const keys = data.rows.map((row) => JSON.stringify(row.slice(0, count)));
    if (new Set(keys).size === keys.length) return count;
  }
  return 1;
}

/** A table too wide however its cells wrap, as several: each repeats the key columns and takes as many of the rest as fit. */
function splitColumns(data: TableData): TableData[] {
  const widths = columnWidths(data);
  const key = [...Array(keyColumnCount(data)).keys()];
  const keyWidths = key.map((i) => widths[i]!);
  const parts: number[][] = [];
  for (let i = key.length; i < widths.length; i++) {
    const last = parts[parts.length - 1];
    if (last !== undefined && tableWidth([...keyWidths, ...last.map((j) => widths[j]!), widths[i]!]) <= TERMINAL_COLUMNS) last.push(i);
    else parts.push([i]);
  }
  return parts.map((columns) => {
    const pick = [...key, ...columns];
    return {
      head: pick.map((i) => data.head[i]!),
      ...(data.align === undefined ? {} : { align: pick.map((i) => data.align![i] ?? 'left') }),
      rows: data.rows.map((row) => pick.map((i) => row[i] ?? '')),
    };
  });
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
