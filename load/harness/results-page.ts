// What every program's results page (--markdown FILE) shares: the heading that says which run it is
// (command, commit, date, machine), read from the report alone so that re-rendering the committed
// JSON gives the same page; and the writing of a report's JSON and page together.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Environment } from './environment.ts';
import type { ErrorCode } from '../../common/errors.ts';

/** A results file could not be written at the end of a run, though checked before it (output-files.ts). */
class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly code = 'HEXD_OUTPUT_FAILED' satisfies ErrorCode;
}

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

/** Writes one results file, creating its directory; a failure is one line (OutputError), not a stack. */
export async function writeOut(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new OutputError(`cannot write ${file} (${why}): the results are printed above; free the disk or fix the path, and run again`);
  }
}
