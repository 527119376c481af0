// The command line of `npm run overhead`: how many units (--quick) and where the reports go. One
// table (OPTIONS) gives the parsing, --help and the docs' table.

import { parseOptions, renderOptionHelp, type OptionTable } from '../../common/option-table.ts';

export const OPTIONS = [
  { type: 'flag', name: 'quick', help: 'fewer units of each kind' },
  { type: 'string', name: 'json', value: 'FILE', default: 'reports/overhead.json', accepts: 'a file name', help: 'every unit\'s figures, as JSON' },
  { type: 'string', name: 'markdown', value: 'FILE', accepts: 'a file name', help: 'a results page in Markdown, from the JSON (none unless asked)' },
] as const satisfies OptionTable;

export interface OverheadOptions {
  quick: boolean;
  json: string;
  /** The results page, when asked for. */
  markdown: string | undefined;
}

export type OverheadCommand = { kind: 'help'; text: string } | { kind: 'run'; options: OverheadOptions };

function overheadHelpText(): string {
  return [
    'usage: npm run overhead -- [options]',
    '',
    'Measures what one unit of concurrency costs to bring up and to keep, by starting many one after',
    'another and reading memory from /proc: an event-loop connection (hexd\'s event-loop server), a Worker',
    'and a child process (as hexd boots them, and stripping TypeScript themselves, and bare), and, where',
    'python3 is present, a Python thread and an asyncio task. Prints them beside the asyncio tutorial\'s figures',
    '(thread 100 µs / 8 MB, process 100 ms / 20 MB, coroutine 5 µs / 2 KB). About 30 s (--quick: 15 s).',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

export function parseOverheadCommand(argv: readonly string[]): OverheadCommand {
  const { values, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: overheadHelpText() };
  return { kind: 'run', options: { quick: values.quick, json: values.json, markdown: values.markdown } };
}
