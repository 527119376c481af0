// The command line of `npm run lab`: where the lab's page listens and how long a run may last. One
// table (OPTIONS) gives the parsing, --help and the docs' table (docs/lab.md).

import { UsageError, formatAddress, isLoopback } from '../common/cli.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../common/option-table.ts';

/** The lab's own port, out of the way of hexd's 65432 and its stats port. */
const DEFAULT_PORT = 65_480;

export const OPTIONS = [
  { type: 'integer', name: 'port', help: 'the page\'s TCP port; 0 picks a free one', default: DEFAULT_PORT, min: 0, max: 65535 },
  { type: 'string', name: 'host', value: 'HOST', help: 'the address the page listens on', default: '127.0.0.1', accepts: 'a loopback address, or any with --allow-remote' },
  { type: 'flag', name: 'allow-remote', help: 'allow a --host that is not a loopback address: anyone who reaches it can start servers and load here', shown: 'off' },
  { type: 'number', name: 'max-run-seconds', value: 'S', help: 'every run stops by itself after this long', default: 10 * 60, min: 1, max: 3600 },
  {
    type: 'integer', name: 'server-niceness', value: 'N', default: 10, min: 0, max: 19,
    help: 'servers run this much nicer than the lab (nice -n N), so that a model taking the cores (100 processes starting) cannot stall the page; 0 = as the lab',
  },
] as const satisfies OptionTable;

interface LabOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  maxRunMs: number;
  serverNiceness: number;
}

export type LabCommand = { kind: 'help'; text: string } | { kind: 'run'; options: LabOptions };

function labHelpText(): string {
  return [
    'usage: npm run lab -- [options]',
    '',
    'Serves a page (its URL is printed) on which to run hexd\'s models side by side and watch them',
    'live: one cell per client, req/s, latency, and each server\'s threads, memory and loop delay.',
    'Every server and load it starts stops when the run stops, the page closes, or the lab exits.',
    '',
    'options:',
    renderOptionHelp(OPTIONS),
    '',
  ].join('\n');
}

export function parseLabCommand(argv: readonly string[]): LabCommand {
  const { values, help } = parseOptions(OPTIONS, argv);
  if (help) return { kind: 'help', text: labHelpText() };
  if (!values['allow-remote'] && !isLoopback(values.host)) {
    throw new UsageError(`${formatAddress(values.host, values.port)} is not a loopback address; pass --allow-remote to serve the lab to other machines`);
  }
  return { kind: 'run', options: { host: values.host, port: values.port, allowRemote: values['allow-remote'], maxRunMs: values['max-run-seconds'] * 1000, serverNiceness: values['server-niceness'] } };
}
