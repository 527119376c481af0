// The client's command line. Negative numbers are arguments, not options: `-255` is a number to send.

import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol/index.ts';
import { UsageError, parseNumberOption, parseCommandLine } from '../common/cli.ts';

export interface ClientOptions {
  host: string;
  port: number;
  /** Numbers given as arguments; empty means read stdin (or prompt on a TTY). */
  numbers: string[];
}

export type ClientCommand = { kind: 'help'; text: string } | { kind: 'run'; options: ClientOptions };

export const CLIENT_HELP = [
  'usage: npm run client -- [--host H] [--port P] [numbers...]',
  '',
  'Sends decimal numbers to a hexd server and prints each reply on its own line.',
  '  with numbers       sends them (negative ones too: -255), ignores stdin',
  '  stdin not a TTY    sends each stdin line (seq 1 5 | npm run -s client)',
  '  stdin a TTY        an interactive prompt with history',
  'Exit status: 0 when every reply was a number, 1 when any was `error: `,',
  '2 when the server cannot be reached or resets the connection.',
  '',
  'options:',
  `  --host H   server address (default: ${DEFAULT_HOST})`,
  `  --port P   server port (default: ${DEFAULT_PORT})`,
  '  --help     show this help',
  '',
].join('\n');

const NEGATIVE_NUMBER = /^-\p{Nd}/u;
const TAKES_VALUE = new Set(['--host', '--port']);

export function parseClientCommand(argv: readonly string[]): ClientCommand {
  // parseArgs would read `-255` as a cluster of short options, so such arguments are set aside by
  // their position, and put back in order among the other numbers afterwards.
  const numbersAt = new Map<number, string>();
  const rest: string[] = [];
  const restToArgv: number[] = [];
  argv.forEach((arg, at) => {
    const previous = argv[at - 1];
    const isOptionValue = previous !== undefined && TAKES_VALUE.has(previous);
    if (!isOptionValue && NEGATIVE_NUMBER.test(arg)) numbersAt.set(at, arg);
    else {
      rest.push(arg);
      restToArgv.push(at);
    }
  });
  const parsed = parseCommandLine({
    args: rest,
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: { host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const { values, tokens } = parsed;
  if (values.help) return { kind: 'help', text: CLIENT_HELP };
  for (const token of tokens) {
    if (token.kind === 'positional') numbersAt.set(restToArgv[token.index]!, token.value);
  }
  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  return {
    kind: 'run',
    options: {
      host,
      port: values.port === undefined ? DEFAULT_PORT : parseNumberOption('port', values.port, { min: 1, max: 65535 }),
      numbers: [...numbersAt.entries()].sort(([a], [b]) => a - b).map(([, number]) => number),
    },
  };
}
