// The sweep's results page (--markdown FILE): the text report's tables and story as Markdown, from
// the JSON report alone.

import { joinSections, markdownList, resultsHeading } from '../harness/results-page.ts';
import { renderMarkdownTable } from '../harness/table-data.ts';
import { HTTP_COMPARISON_TITLE, httpComparisonTable, type HttpPoint } from './http.ts';
import { comparisonTable, describeSweep, framingTable, storyLines } from './report.ts';
import type { BenchReport } from './run.ts';

/** The report as the sweep writes it: with the HTTP sweep's points when --http ran one. */
export type BenchJson = BenchReport & { http?: HttpPoint[] };

export function renderMarkdown(report: BenchJson): string {
  const framing = report.framing;
  const story = storyLines(report);
  return joinSections([
    resultsHeading('hexd bench: the blog\'s models under load', report.environment),
    `${describeSweep(report)}; a fresh server per point. Sampling of server memory, threads and CPU: ${report.sampling}.`,
    markdownList(report.skipped.map((s) => `skipped ${s.name}: ${s.reason}`)),
    '## Every server at every concurrency',
    renderMarkdownTable(comparisonTable(report)),
    ...(framing.length === 0 ? [] : [
      `## Framing check: one connection, ${framing[0]!.pipeline} requests in flight`,
      renderMarkdownTable(framingTable(framing)),
    ]),
    ...(story.length === 0 ? [] : ['## The story, measured', markdownList(story)]),
    ...(report.http === undefined ? [] : [
      '## Over HTTP',
      `${HTTP_COMPARISON_TITLE}:`,
      renderMarkdownTable(httpComparisonTable(report.http, report.points)),
    ]),
    `${report.points.length} points in ${report.elapsedSec} s.`,
  ]);
}
