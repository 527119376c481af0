// `npm run docs`: writes every generated part of the docs from the code, so the docs cannot drift.
// The blocks between markers (tools/generated-blocks.ts) come from the option tables and the exit
// status table; each benchmark program's results page docs/results/P.md comes from its committed
// docs/results/P.json. `npm run docs -- --check` writes nothing and exits 1 naming what differs;
// test/docs.test.ts runs the same check.

import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEntryPoint } from '../common/entry.ts';
import { renderExitStatusMarkdown } from '../common/errors.ts';
import { parseOptions, renderOptionHelp, renderOptionMarkdown, type OptionTable } from '../common/option-table.ts';
import { SERVER_OPTIONS } from '../servers/shared/options.ts';
import { CLIENT_OPTIONS } from '../client/options.ts';
import { LOAD_OPTIONS } from '../load/harness/load-options.ts';
import { OPTIONS as BENCH_OPTIONS } from '../load/bench/options.ts';
import { OPTIONS as PERF_OPTIONS } from '../load/perf/options.ts';
import { OPTIONS as SCENARIO_OPTIONS } from '../load/scenario/options.ts';
import { OPTIONS as OVERHEAD_OPTIONS } from '../load/overhead/options.ts';
import { OPTIONS as SOAK_OPTIONS } from '../load/soak/options.ts';
import { OPTIONS as LAB_OPTIONS } from '../lab/options.ts';
import { renderExperimentsMarkdown } from '../lab/experiments-markdown.ts';
import { OPTIONS as FLEET_OPTIONS } from '../fleet/options.ts';
import { renderMarkdown as renderFleetMarkdown } from '../fleet/markdown.ts';
import { exampleHaproxyConfig } from '../fleet/haproxy-config.ts';
import { renderMarkdown as renderBenchMarkdown } from '../load/bench/markdown.ts';
import { renderMarkdown as renderPerfMarkdown } from '../load/perf/markdown.ts';
import { renderMarkdown as renderScenarioMarkdown } from '../load/scenario/markdown.ts';
import { renderMarkdown as renderOverheadMarkdown } from '../load/overhead/markdown.ts';
import { renderBlocks } from './generated-blocks.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

const options = (table: OptionTable) => (): string => renderOptionMarkdown(table);

/** Every block a page may hold, by NAME. */
export const BLOCKS: Readonly<Record<string, () => string>> = {
  'server-options': options(SERVER_OPTIONS),
  'client-options': options(CLIENT_OPTIONS),
  'load-options': options(LOAD_OPTIONS),
  'bench-options': options(BENCH_OPTIONS),
  'perf-options': options(PERF_OPTIONS),
  'scenario-options': options(SCENARIO_OPTIONS),
  'overhead-options': options(OVERHEAD_OPTIONS),
  'soak-options': options(SOAK_OPTIONS),
  'lab-options': options(LAB_OPTIONS),
  'lab-experiments': renderExperimentsMarkdown,
  'fleet-options': options(FLEET_OPTIONS),
  'fleet-haproxy-config': () => `\`\`\`\n${exampleHaproxyConfig()}\`\`\`\n`,
  'exit-statuses': renderExitStatusMarkdown,
};

/** A program whose report JSON, committed as docs/results/PROGRAM.json, renders as docs/results/PROGRAM.md. */
export interface ResultsPage {
  program: string;
  /** The page for a report as the program wrote it. */
  render: (report: unknown) => string;
}

/** A results page from a program's own renderer, which takes the report as the program wrote it. */
function resultsPage<Report>(program: string, render: (report: Report) => string): ResultsPage {
  return { program, render: (report) => render(report as Report) };
}

/** The results pages, one line each. */
export const RESULTS_PAGES: readonly ResultsPage[] = [
  resultsPage('bench', renderBenchMarkdown),
  resultsPage('perf', renderPerfMarkdown),
  resultsPage('scenario', renderScenarioMarkdown),
  resultsPage('overhead', renderOverheadMarkdown),
  resultsPage('fleet', renderFleetMarkdown),
];

/** One file the generator writes, as it is and as it should be. */
export interface PlannedFile {
  /** Relative to the root. */
  file: string;
  current: string | null;
  next: string;
  /** What differs, for a person: the blocks by NAME, or the whole page. */
  differs: string[];
  problems: string[];
}

/** The pages that may hold blocks: README.md and every Markdown page under docs/ but the results pages. */
async function pagesWithBlocks(root: string): Promise<string[]> {
  const pages = existsSync(join(root, 'README.md')) ? ['README.md'] : [];
  if (existsSync(join(root, 'docs'))) {
    const entries = await readdir(join(root, 'docs'), { withFileTypes: true, recursive: true });
    pages.push(...entries
      .filter((e) => e.isFile() && e.name.endsWith('.md'))
      .map((e) => relative(root, join(e.parentPath, e.name)))
      .filter((file) => !file.startsWith(join('docs', 'results')))
      .sort());
  }
  return pages;
}

/** Every generated file under root as it is and as it should be; writes nothing. */
export async function planDocs(
  root: string,
  blocks: Readonly<Record<string, () => string>> = BLOCKS,
  results: readonly ResultsPage[] = RESULTS_PAGES,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const file of await pagesWithBlocks(root)) {
    const current = await readFile(join(root, file), 'utf8');
    const page = renderBlocks(current, blocks);
    planned.push({ file, current, next: page.text, differs: page.changed.map((name) => `block ${name}`), problems: page.problems });
  }
  for (const page of results) {
    const json = join(root, 'docs', 'results', `${page.program}.json`);
    if (!existsSync(json)) continue;
    const file = join('docs', 'results', `${page.program}.md`);
    const current = existsSync(join(root, file)) ? await readFile(join(root, file), 'utf8') : null;
    const rendered = page.render(JSON.parse(await readFile(json, 'utf8')));
    const next = rendered.endsWith('\n') ? rendered : `${rendered}\n`;
    planned.push({ file, current, next, differs: current === next ? [] : [current === null ? 'missing' : 'the page'], problems: [] });
  }
  return planned;
}

/** What --check says: one line for each file that differs or has a problem; empty when all is well. */
export function describePlan(planned: readonly PlannedFile[]): string[] {
  return planned.flatMap((p) => [
    ...p.problems.map((problem) => `${p.file}: ${problem}`),
    ...(p.differs.length === 0 ? [] : [`${p.file}: ${p.differs.join(', ')} ${p.differs.length === 1 ? 'differs' : 'differ'} from the code (run npm run docs)`]),
  ]);
}

/** Names of blocks no page holds: not an error (a page may not be written yet), but worth a line. */
export function unplacedBlocks(planned: readonly PlannedFile[], blocks: Readonly<Record<string, () => string>> = BLOCKS): string[] {
  const placed = planned.map((p) => p.next).join('\n');
  return Object.keys(blocks).filter((name) => !placed.includes(`<!-- BEGIN GENERATED: ${name} -->`));
}

export const DOCS_OPTIONS = [
  { type: 'flag', name: 'check', help: 'write nothing; exit 1 naming each file that differs from the code' },
] as const satisfies OptionTable;

export const DOCS_HELP = [
  'usage: npm run docs [-- --check]',
  '',
  'Writes the generated parts of README.md and docs/: option tables, exit statuses, results pages.',
  '',
  'options:',
  renderOptionHelp(DOCS_OPTIONS),
  '',
].join('\n');

export interface DocsOutput {
  /** What was written, and notes. */
  say: (line: string) => void;
  /** What is wrong or differs. */
  complain: (line: string) => void;
}

/** Writes (or with check, only compares) every generated file under root; returns the exit status. */
export async function runDocs(root: string, check: boolean, output: DocsOutput): Promise<number> {
  const planned = await planDocs(root);
  if (check) {
    const lines = describePlan(planned);
    for (const line of lines) output.complain(line);
    return lines.length === 0 ? 0 : 1;
  }
  for (const p of planned) {
    for (const problem of p.problems) output.complain(`${p.file}: ${problem}`);
    if (p.problems.length > 0 || p.differs.length === 0) continue;
    await writeFile(join(root, p.file), p.next);
    output.say(`wrote ${p.file}`);
  }
  for (const name of unplacedBlocks(planned)) output.say(`note: no page holds the block ${name}`);
  return planned.some((p) => p.problems.length > 0) ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, help } = parseOptions(DOCS_OPTIONS, argv);
  if (help) {
    process.stdout.write(DOCS_HELP);
    return 0;
  }
  return runDocs(ROOT, values.check, {
    say: (line) => process.stdout.write(`${line}\n`),
    complain: (line) => process.stderr.write(`${line}\n`),
  });
}

if (import.meta.main) runEntryPoint('hexd-docs', () => main(process.argv.slice(2)));
