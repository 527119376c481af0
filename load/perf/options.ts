// The command line of `npm run perf`: the performance targets run on their own plan, so only how
// long (--quick) and where the reports go can be chosen. One table (OPTIONS) gives the parsing,
// --help and the docs' table.

import { parseOptions, renderOptionHelp, type OptionTable } from '../../common/option-table.ts';

export const OPTIONS = [
  {
    type: 'flag', name: 'quick',
    help: 'a smoke run: fewer and shorter runs, smaller loads; the verdicts are indicative',
  },
  { type: 'string', name: 'json', value: 'FILE', default: 'reports/perf.json', accepts: 'a file name', help: 'every target and every run, as JSON' },
  { type: 'string', name: 'markdown', value: 'FILE', accepts: 'a file name', help: 'a results page in Markdown, from the JSON (none unless asked)' },
] as const satisfies OptionTable;

interface PerfOptions {
  quick: boolean;
  json: string;
  /** The results page, when asked for. */
  markdown: string | undefined;
}

export type PerfCommand = { kind: 'help'; text: string } | { kind: 'run'; options: PerfOptions };

function perfHelpText(): string {
  return [
    'usage: npm run perf -- [options]',
    '',
    'Measures every performance target of hexd (each by its benchmark under load/perf/) with the servers',
    'pinned to one core and the tester to another, and prints each target with its figure, every run and',
    'PASS/FAIL; exit status 1 when one fails. About 25 minutes on 2 cores (a verdict near its bound takes 9 rounds; --quick: a few minutes).',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

export function parsePerfCommand(argv: readonly string[]): PerfCommand {
  const { values, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: perfHelpText() };
  return { kind: 'run', options: { quick: values.quick, json: values.json, markdown: values.markdown } };
}
