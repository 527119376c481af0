// The scenarios' results page (--markdown FILE): the talk's I/O ratio, each workload's table, what the
// big numbers cost, and the measured "which to use" table, as Markdown, from the JSON report alone.

import { joinSections, markdownList, resultsHeading } from '../harness/results-page.ts';
import { renderMarkdownTable } from '../harness/table-data.ts';
import {
  WHICH_TO_USE_TITLE,
  describeRuns,
  describeScenarioPlan,
  heavyCostLines,
  processesMemoryNote,
  ratioBlocks,
  scenarioTable,
  verdictLines,
  whichToUseTable,
  type Block,
  type ScenarioReport,
} from './report.ts';

/** Lines as paragraphs, tables as Markdown tables. */
function markdownBlocks(blocks: readonly Block[]): string[] {
  return blocks.map((b) => (typeof b === 'string' ? b : renderMarkdownTable(b)));
}

export function renderMarkdown(report: ScenarioReport): string {
  const sections: string[] = [
    resultsHeading(`hexd scenarios${report.options.quick ? ' (--quick)' : ''}: which model for which load`, report.environment),
    markdownList(describeRuns(report)),
  ];
  if (report.ratio !== null) sections.push('## io: the experiment of the talk "asyncio and friends"', ...markdownBlocks(ratioBlocks(report.ratio)));
  for (const result of report.scenarios) {
    const costs = heavyCostLines(result);
    sections.push(
      `## ${result.plan.name}: ${result.plan.title}`,
      `${describeScenarioPlan(result.plan)}.`,
      renderMarkdownTable(scenarioTable(result)),
      processesMemoryNote(result) ?? '',
      ...(costs.length === 0 ? [] : ['What the big numbers did to everyone else:', markdownList(costs)]),
    );
  }
  if (report.verdicts.length > 0) {
    sections.push(`## ${WHICH_TO_USE_TITLE}`, renderMarkdownTable(whichToUseTable(report.verdicts)), markdownList(report.verdicts.flatMap(verdictLines)));
  }
  sections.push(`Done in ${report.elapsedSec} s.`);
  return joinSections(sections);
}
