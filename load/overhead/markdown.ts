// The overhead results page (--markdown FILE): each unit of concurrency beside the asyncio tutorial's figures, how
// each was measured, and what compares to what, as Markdown, from the JSON report alone.

import { describeLoadAverage } from '../harness/load-average.ts';
import { joinSections, markdownList, resultsHeading } from '../harness/results-page.ts';
import { renderMarkdownTable } from '../harness/table-data.ts';
import { METHOD, comparisonLines, howMeasuredLines, mainAndOtherFigures, unitTable, type OverheadReport } from './report.ts';

export function renderMarkdown(report: OverheadReport): string {
  const { main, others } = mainAndOtherFigures(report);
  const comparisons = comparisonLines(report.figures);
  return joinSections([
    resultsHeading(`hexd overhead${report.quick ? ' (--quick)' : ''}: what one unit of concurrency costs`, report.environment),
    `${METHOD} The ${describeLoadAverage(report.loadAverage)}.`,
    renderMarkdownTable(unitTable(main)),
    ...(others.length === 0 ? [] : ['## The same, started other ways, for comparison', renderMarkdownTable(unitTable(others))]),
    '## How each was measured',
    markdownList(howMeasuredLines(report)),
    ...(comparisons.length === 0 ? [] : ['## What compares to what', markdownList(comparisons)]),
    `Done in ${report.elapsedSec} s.`,
  ]);
}
