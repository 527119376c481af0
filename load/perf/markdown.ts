// The performance targets' results page (--markdown FILE): each target with its figure, every run and
// PASS/FAIL, as Markdown, from the JSON report alone.

import { joinSections, markdownList, resultsHeading } from '../harness/results-page.ts';
import { renderMarkdownTable } from '../harness/table-data.ts';
import { describePlan, describeTally, failingTargets, targetTable, type PerfReport } from './report.ts';

export function renderMarkdown(report: PerfReport): string {
  const failing = failingTargets(report);
  return joinSections([
    resultsHeading('hexd performance targets', report.environment),
    markdownList([`pinning: ${report.pinning.note}`, `plan: ${describePlan(report.plan)}`]),
    renderMarkdownTable(targetTable(report.targets)),
    `${describeTally(report)}.`,
    ...(failing.length === 0 ? [] : ['Failing:', markdownList(failing)]),
  ]);
}
