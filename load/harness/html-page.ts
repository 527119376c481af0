// What every program's HTML report shares: one style, tables, the line of run details, and the page
// around them. Self-contained (no scripts, no external files), so a report opens anywhere as one file.

import { escapeXml as escapeHtml } from './svg-chart.ts';
import type { TableData } from './table-data.ts';

export { escapeHtml };

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 90rem; padding: 0 1.5rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: #555; font-size: .85rem; }
.meta code { background: #f3f3f3; padding: 0 .25rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 36rem), 1fr)); gap: 1rem; }
.charts svg { width: 100%; height: auto; border: 1px solid #ddd; }
.charts svg:first-child { grid-column: 1 / -1; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1.5rem; }
th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: right; white-space: nowrap; }
th { background: #f6f6f6; }
td:first-child, th:first-child, td.left { text-align: left; }
tr.bad td { background: #fff3f0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
pre { background: #f6f6f6; padding: .75rem; overflow: auto; font-size: .75rem; max-height: 30rem; }
`;

/** A cell's text; a cell of several lines (split by \n, as TableData allows) keeps its breaks. */
function cellHtml(text: string): string {
  return text.split('\n').map(escapeHtml).join('<br>');
}

/**
 * A table: numbers right-aligned, the first column and the last (the problems, in words) left, unless
 * `align` says otherwise; `bad` marks the rows to tint.
 */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], bad: readonly boolean[] = [], align?: TableData['align']): string {
  const th = head.map((h) => `<th>${cellHtml(h)}</th>`).join('');
  const left = (j: number, width: number): boolean => (align === undefined ? j === width - 1 : j > 0 && (align[j] ?? 'left') === 'left');
  const body = rows.map((row, i) =>
    `<tr${bad[i] ? ' class="bad"' : ''}>${row.map((cell, j) => `<td${left(j, row.length) ? ' class="left"' : ''}>${cellHtml(cell)}</td>`).join('')}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** A report's table (the rows the terminal and the Markdown page show), in a box that scrolls sideways when narrow. */
export function tableDataHtml(data: TableData): string {
  return `<div class="wide">${htmlTable(data.head, data.rows, [], data.align ?? [])}</div>`;
}

/** The small print under the heading: Node, CPU, commit, command, date. */
export function metaLine(pairs: readonly (readonly [string, string])[]): string {
  return `<p class="meta">${pairs.map(([k, v]) => `${escapeHtml(k)}: <code>${escapeHtml(v)}</code>`).join(' &middot; ')}</p>`;
}

/** Terms and their meanings, as a definition list. */
export function glossaryHtml(terms: readonly (readonly [string, string])[]): string {
  return `<dl>\n${terms.map(([term, meaning]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(meaning)}</dd>`).join('\n')}\n</dl>`;
}

/** The report as JSON, folded away at the end of the page. */
export function rawJsonHtml(report: unknown): string {
  return `<details><summary>Raw JSON</summary>\n<pre>${escapeHtml(JSON.stringify(report, null, 2))}</pre>\n</details>`;
}

/** The whole page: `title` in the tab, `body` as given (already HTML). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
