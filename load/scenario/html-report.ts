// The scenarios as one self-contained HTML page (--html FILE): per workload its chart, then the table
// and the words the terminal prints, the measured "which to use" table, and the raw JSON.

import { escapeHtml, htmlPage, metaLine, rawJsonHtml, tableDataHtml } from '../harness/html-page.ts';
import { chartCaption, loopDelayChart, ratioChart, scenarioChart } from './charts.ts';
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

function list(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `<ul>\n${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}\n</ul>`;
}

/** Lines as paragraphs, tables as tables; the terminal's blank lines dropped. */
function blocksHtml(blocks: readonly Block[]): string {
  return blocks.filter((b) => b !== '').map((b) => (typeof b === 'string' ? `<p>${escapeHtml(b)}</p>` : tableDataHtml(b))).join('\n');
}

/** A chart in the page's chart box, or, where there is none to draw, why. */
function chartHtml(chart: string | null): string {
  return chart === null
    ? '<p>No chart: without memory figures (no <code>/proc</code>) there is nothing to set throughput against.</p>'
    : `<div class="charts">\n${chart}</div>`;
}

/** A chart only some runs can draw (the servers' own view needs their telemetry): nothing without it. */
function optionalChartHtml(chart: string | null): string {
  return chart === null ? '' : chartHtml(chart);
}

export function renderScenarioHtml(report: ScenarioReport): string {
  const env = report.environment;
  const caption = chartCaption(env);
  const sections: string[] = [
    `<h1>hexd scenarios${report.options.quick ? ' (--quick)' : ''}: which model for which load</h1>`,
    metaLine([
      ['Node', env.node],
      ['CPU', `${env.cpuModel} (${env.cpus} CPUs)`],
      ['Platform', env.platform],
      ['Commit', env.commit],
      ['Command', env.command],
      ['Date', env.date],
    ]),
    list(describeRuns(report)),
  ];
  if (report.ratio !== null) {
    sections.push('<h2>io: the experiment of the talk "asyncio and friends"</h2>', chartHtml(ratioChart(report.ratio, caption)), blocksHtml(ratioBlocks(report.ratio)));
  }
  for (const result of report.scenarios) {
    const note = processesMemoryNote(result);
    const costs = heavyCostLines(result);
    sections.push(
      `<h2>${escapeHtml(`${result.plan.name}: ${result.plan.title}`)}</h2>`,
      `<p>${escapeHtml(`${describeScenarioPlan(result.plan)}.`)}</p>`,
      chartHtml(scenarioChart(result, caption)),
      optionalChartHtml(loopDelayChart(result, caption)),
      tableDataHtml(scenarioTable(result)),
      note === null ? '' : `<p>${escapeHtml(note)}</p>`,
      costs.length === 0 ? '' : `<p>What the big numbers did to everyone else:</p>\n${list(costs)}`,
    );
  }
  if (report.verdicts.length > 0) {
    sections.push(`<h2>${escapeHtml(WHICH_TO_USE_TITLE)}</h2>`, tableDataHtml(whichToUseTable(report.verdicts)), list(report.verdicts.flatMap(verdictLines)));
  }
  sections.push(`<p>Done in ${report.elapsedSec} s.</p>`, rawJsonHtml(report));
  return htmlPage(`hexd scenarios ${env.date.slice(0, 10)}`, sections.filter((s) => s !== '').join('\n'));
}
