// What every program's results page (--markdown FILE) shares: the heading that says which run it is
// (command, commit, date, machine), read from the report alone so that re-rendering the committed
// JSON gives the same page; and the writing of a report's JSON and page together.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Environment } from './environment.ts';

/** `2026-01-01 12:34 UTC` from the report's ISO date; the date as given when it is not one. */
function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/** The page's title and the run it shows: command, commit, date and machine. */
export function resultsHeading(title: string, environment: Environment): string {
  const e = environment;
  return [
    `# ${title}`,
    '',
    `- command: \`${e.command}\``,
    `- commit: \`${e.commit}\``,
    `- date: ${when(e.date)}`,
    `- machine: ${e.cpuModel}, ${e.cpus} CPUs, ${e.platform}; Node ${e.node}${e.python === null ? '' : `, ${e.python}`}`,
    '',
    'Written by the program from its JSON report; run it again to change this page.',
    '',
  ].join('\n');
}

/** A list, one item per line; nothing when there are none. */
export function markdownList(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.map((line) => `- ${line}`).join('\n')}\n`;
}

/** Markdown sections joined by one blank line, the page ending with one newline. */
export function joinSections(sections: readonly string[]): string {
  return `${sections.map((s) => s.trim()).filter((s) => s !== '').join('\n\n')}\n`;
}

/**
 * Writes the report as JSON and, when asked, its results page, rendered from that JSON read back (as
 * the docs' check re-renders it, so the two agree to the byte). Returns the files written.
 */
export async function writeReportFiles<R>(
  report: R,
  files: { json: string; markdown?: string | undefined },
  renderMarkdown: (report: R) => string,
): Promise<string[]> {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await writeOut(files.json, json);
  if (files.markdown === undefined) return [files.json];
  await writeOut(files.markdown, renderMarkdown(JSON.parse(json) as R));
  return [files.json, files.markdown];
}

export async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
