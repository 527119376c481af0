// The load tester's command line: parses argv against the load options table
// (load/harness/load-options.ts) and writes --help from it. Kept apart from running so tests call it directly.

import { UsageError, formatAddress, isLoopback, parseNumberOption } from '../../common/cli.ts';
import { parseOptions, renderOptionHelp } from '../../common/option-table.ts';
import { LOAD_OPTIONS, toLoadOptions, type LoadOptions, type Target } from '../harness/load-options.ts';
import { checkMixDigits } from '../harness/mix.ts';

export type LoadCommand =
  | { kind: 'help'; text: string }
  | { kind: 'run'; options: LoadOptions };

export function loadHelpText(): string {
  return [
    'usage: npm run load -- --target HOST:PORT [options]',
    '',
    'Sends decimal numbers over many connections and checks every reply against the protocol module.',
    'Closed loop by default (the next request leaves when a reply arrives); --rate makes it open loop.',
    'Exits 1 when any reply was wrong or any connection failed (refused, dropped mid-request).',
    '',
    'options:',
    renderOptionHelp(LOAD_OPTIONS),
    '',
  ].join('\n');
}

/** `HOST:PORT`, `[::1]:PORT`. */
export function parseTarget(raw: string): Target {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--target must be HOST:PORT (such as 127.0.0.1:65432), got ${JSON.stringify(raw)}`);
  const host = match[1] ?? match[2]!;
  const port = parseNumberOption('target port', match[3]!, { min: 1, max: 65535 });
  return { host, port };
}

export function parseLoadCommand(argv: readonly string[]): LoadCommand {
  const { values, help } = parseOptions(LOAD_OPTIONS, argv);
  if (help) return { kind: 'help', text: loadHelpText() };

  if (values.target === undefined) throw new UsageError('--target HOST:PORT is required');
  const target = parseTarget(values.target);
  if (!values['allow-remote'] && !isLoopback(target.host)) {
    throw new UsageError(`${formatAddress(target.host, target.port)} is not a loopback address; pass --allow-remote to load another machine`);
  }
  const options = toLoadOptions(target, values);
  if (options.warmupSec > 0 && options.requests !== null) throw new UsageError('--warmup needs a run ended by time (-d), not by count (-n)');
  if (options.workers > options.connections) {
    throw new UsageError(`--workers must not exceed --connections (${options.workers} workers for ${options.connections} connections)`);
  }
  checkMixDigits(options.mix ?? [], options.maxDigits);
  return { kind: 'run', options };
}
