// The load tester's command line: every option, its default and its check, in one table that also
// writes --help. Parsing is kept apart from running so tests call parseLoadCommand directly.

import { DEFAULT_MAX_DIGITS } from '../../protocol/index.ts';
import {
  UsageError,
  formatAddress,
  isLoopback,
  parseNumberOption,
  type NumberRange,
  parseCommandLine,
} from '../../common/cli.ts';
import { checkMixDigits, parseMix, type MixEntry } from './mix.ts';

/** A run given only -n still stops after this long, so that no run can go on for ever. */
export const MAX_RUN_SECONDS = 600;

export interface Target {
  host: string;
  port: number;
}

export interface LoadOptions {
  target: Target;
  connections: number;
  /** Stop after this long; with `requests` too, whichever comes first. Null: only `requests` ends the run. */
  durationSec: number | null;
  /** Load for this long first, unmeasured, on the same connections (JIT, thread start-up). */
  warmupSec: number;
  /** Stop after this many requests in all (across every connection). Null: only time ends the run. */
  requests: number | null;
  /** Requests in flight per connection. */
  pipeline: number;
  /** Open loop: requests per second across every connection, on a fixed schedule. Null: closed loop. */
  rate: number | null;
  workers: number;
  /** New connections per second while the run starts. Null: all at once. */
  connectRate: number | null;
  timeoutMs: number;
  /** The server's --max-digits, so expected replies match it. */
  maxDigits: number;
  /** --mix: shares of the requests that are big numbers; absent (or empty) for the light numbers only. */
  mix?: MixEntry[] | undefined;
  json: string | null;
  allowRemote: boolean;
  /** The server's pid, to report its CPU use beside the tester's. */
  serverPid: number | null;
}

export type LoadCommand =
  | { kind: 'help'; text: string }
  | { kind: 'run'; options: LoadOptions };

interface NumericOption extends NumberRange {
  name: string;
  short?: string;
  value: string;
  help: string;
  /** The default as shown in --help. */
  shown: string;
}

const NUMERIC: readonly NumericOption[] = [
  { name: 'connections', short: 'c', value: 'N', help: 'concurrent connections (clients)', shown: '10', min: 1, max: 100_000 },
  { name: 'duration', short: 'd', value: 'SECONDS', help: 'how long to run; fractions allowed', shown: '10, unless -n is given', min: 0.01, max: 24 * 3600, fraction: true },
  { name: 'warmup', value: 'SECONDS', help: 'load this long before measuring, on the same connections; not with -n', shown: '0', min: 0, max: 3600, fraction: true },
  { name: 'requests', short: 'n', value: 'N', help: 'total requests across all connections, then stop', shown: 'none', min: 1, max: 1_000_000_000 },
  { name: 'pipeline', value: 'K', help: 'requests in flight per connection', shown: '1', min: 1, max: 10_000 },
  { name: 'rate', value: 'R', help: 'open loop: R requests/s in all, on a fixed schedule; latency counts from the scheduled time', shown: 'closed loop', min: 0.001, max: 100_000_000, fraction: true },
  { name: 'workers', value: 'W', help: 'threads that split the connections', shown: '1', min: 1, max: 64 },
  { name: 'connect-rate', value: 'R', help: 'open at most R new connections per second', shown: 'unlimited', min: 0.001, max: 100_000_000, fraction: true },
  { name: 'timeout-ms', value: 'T', help: 'per request and per connect; a late connection is closed and reopened', shown: '5000', min: 1, max: 3_600_000 },
  { name: 'max-digits', value: 'D', help: 'the server\'s --max-digits, so expected replies match', shown: String(DEFAULT_MAX_DIGITS), min: 1, max: 100_000_000 },
  { name: 'server-pid', value: 'N', help: 'the server\'s pid, to report its CPU use (Linux /proc)', shown: 'none', min: 1, max: 2 ** 31 - 1 },
];

const numeric = (name: string): NumericOption => NUMERIC.find((o) => o.name === name)!;

export function loadHelpText(): string {
  const rows: [string, string, string][] = [
    ['--target HOST:PORT', 'the hexd server to load (required)', ''],
    ...NUMERIC.map((o): [string, string, string] => [
      `${o.short === undefined ? '' : `-${o.short}, `}--${o.name} ${o.value}`,
      o.help,
      o.shown,
    ]),
    ['--mix LIST', 'PERCENT%:DIGITS,...: that share of requests are numbers of that many digits (CPU work), checked too and timed apart; needs --max-digits >= DIGITS', 'none'],
    ['--json FILE', 'also write the results as JSON', 'off'],
    ['--allow-remote', 'allow a target that is not a loopback address', 'off'],
    ['-h, --help', 'show this help', ''],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    'usage: npm run load -- --target HOST:PORT [options]',
    '',
    'Sends decimal numbers over many connections and checks every reply against the protocol module.',
    'Closed loop by default (the next request leaves when a reply arrives); --rate makes it open loop.',
    'Exits 1 when any reply was wrong or any connection failed (refused, dropped mid-request).',
    '',
    'options:',
    ...rows.map(([flag, help, shown]) => `  ${flag.padEnd(width)}  ${help}${shown === '' ? '' : ` (default: ${shown})`}`),
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
  const parsed = parseCommandLine({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      target: { type: 'string' },
      json: { type: 'string' },
      mix: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(NUMERIC.map((o) => [
        o.name,
        o.short === undefined ? { type: 'string' as const } : { type: 'string' as const, short: o.short },
      ])),
    },
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return { kind: 'help', text: loadHelpText() };

  const number = (name: string): number | null => {
    const raw = values[name];
    return typeof raw === 'string' ? parseNumberOption(name, raw, numeric(name)) : null;
  };

  if (typeof values.target !== 'string') throw new UsageError('--target HOST:PORT is required');
  const target = parseTarget(values.target);
  const allowRemote = values['allow-remote'] === true;
  if (!allowRemote && !isLoopback(target.host)) {
    throw new UsageError(`${formatAddress(target.host, target.port)} is not a loopback address; pass --allow-remote to load another machine`);
  }

  const connections = number('connections') ?? 10;
  const requests = number('requests');
  const durationSec = number('duration') ?? (requests === null ? 10 : null);
  const warmupSec = number('warmup') ?? 0;
  if (warmupSec > 0 && requests !== null) throw new UsageError('--warmup needs a run ended by time (-d), not by count (-n)');
  const workers = number('workers') ?? 1;
  if (workers > connections) {
    throw new UsageError(`--workers must not exceed --connections (${workers} workers for ${connections} connections)`);
  }
  const maxDigits = number('max-digits') ?? DEFAULT_MAX_DIGITS;
  const mix = typeof values.mix === 'string' ? parseMix(values.mix) : undefined;
  checkMixDigits(mix ?? [], maxDigits);
  const json = values.json;
  if (json !== undefined && (typeof json !== 'string' || json.trim() === '')) throw new UsageError('--json needs a file name');

  return {
    kind: 'run',
    options: {
      target,
      connections,
      durationSec,
      warmupSec,
      requests,
      pipeline: number('pipeline') ?? 1,
      rate: number('rate'),
      workers,
      connectRate: number('connect-rate'),
      timeoutMs: number('timeout-ms') ?? 5_000,
      maxDigits,
      mix,
      json: json ?? null,
      allowRemote,
      serverPid: number('server-pid'),
    },
  };
}

/** Options for tests and tools: the defaults for a target, with any field overridden. */
export function loadOptions(target: Target, overrides: Partial<LoadOptions> = {}): LoadOptions {
  const command = parseLoadCommand(['--target', formatAddress(target.host, target.port), '--allow-remote']);
  if (command.kind !== 'run') throw new Error('unreachable');
  return { ...command.options, allowRemote: false, ...overrides };
}

/** The longest a run may take before it stops itself, whatever else happens, warm-up included. */
export function runLimitMs(options: LoadOptions): number {
  return (options.warmupSec + (options.durationSec ?? MAX_RUN_SECONDS)) * 1000;
}
