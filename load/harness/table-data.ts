// A report's table as data (headings, cells, alignment), so that the terminal's plain table and the
// results page's Markdown table are the same rows. Returns strings.

import Table from 'cli-table3';
import { PLAIN } from './report.ts';

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

/** The table as the terminal shows it: plain, no colours. */
export function renderTextTable(data: TableData, layout?: TextLayout): string {
  const table = new Table({
    head: [...data.head],
    ...(data.align === undefined ? {} : { colAligns: [...data.align] }),
    ...(layout === undefined ? {} : { colWidths: layout.colWidths, wordWrap: true, wrapOnWordBoundary: true }),
    style: PLAIN,
  });
  table.push(...data.rows.map((row) => [...row]));
  return table.toString();
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
