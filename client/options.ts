// The client's options as one table (common/option-table.ts). Negative numbers are arguments, not
// options: `-255` is a number to send.

import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol/index.ts';
import { parseOptions, renderOptionHelp, type OptionTable } from '../common/option-table.ts';

export interface ClientOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Numbers given as arguments; empty means read stdin (or prompt on a TTY). */
  numbers: string[];
}

export type ClientCommand = { kind: 'help'; text: string } | { kind: 'run'; options: ClientOptions };

export const CLIENT_OPTIONS = [
  { type: 'string', name: 'host', value: 'H', help: 'server address', default: DEFAULT_HOST, accepts: 'an address or host name' },
  { type: 'integer', name: 'port', value: 'P', help: 'server port', default: DEFAULT_PORT, min: 1, max: 65535 },
  { type: 'integer', name: 'connect-timeout-ms', value: 'T', help: 'give up connecting after this long', default: 10_000, min: 1, max: 3_600_000 },
] as const satisfies OptionTable;

export const CLIENT_HELP = [
  'usage: npm run client -- [--host H] [--port P] [--connect-timeout-ms T] [numbers...]',
  '',
  'Sends decimal numbers to a hexd server and prints each reply on its own line.',
  '  with numbers       sends them (negative ones too: -255), ignores stdin',
  '  stdin not a TTY    sends each stdin line (seq 1 5 | npm run -s client)',
  '  stdin a TTY        an interactive prompt with history',
  'Exit status: 0 when every reply was a number, 1 when any was `error: `,',
  '2 when the server cannot be reached or resets the connection.',
  '',
  'options:',
  renderOptionHelp(CLIENT_OPTIONS),
  '',
].join('\n');

export function parseClientCommand(argv: readonly string[]): ClientCommand {
  const { values, positionals, help } = parseOptions(CLIENT_OPTIONS, argv, { positionals: true, negativeNumbers: true });
  if (help) return { kind: 'help', text: CLIENT_HELP };
  return { kind: 'run', options: { host: values.host, port: values.port, connectTimeoutMs: values['connect-timeout-ms'], numbers: positionals } };
}
