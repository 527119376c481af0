// A Markdown table, as the docs' generated blocks write them.

/** A table with a header row; each cell's `|` is escaped so it stays in its column. Ends with a newline. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line), ''].join('\n');
}
