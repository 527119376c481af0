// The server command line: every option, its default and its check, in one table that also writes --help.

import { availableParallelism, totalmem } from 'node:os';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_DIGITS,
  DEFAULT_PORT,
  defaultMaxLineBytes,
  type ProtocolLimits,
} from '../../protocol/index.ts';
import { UsageError, parseNumberOption, parseCommandLine } from '../../common/cli.ts';

export const VARIANTS = ['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool'] as const;
export type Variant = (typeof VARIANTS)[number];

/**
 * Connections served or waiting at once, by variant. A Worker costs megabytes, so threads stops far
 * sooner than the event loop; blocking's count includes its waiting queue.
 */
export const DEFAULT_MAX_CLIENTS: Readonly<Record<Variant, number>> = {
  blocking: 1024,
  threads: 256,
  'event-loop': 10_000,
  processes: processesFittingMemory(),
  cluster: 10_000,
  pool: 10_000,
};

/**
 * Listening sockets on the port (SO_REUSEPORT; servers/shared/listeners.ts says why). Where the loop that
 * accepts also serves thousands of clients, it takes many, so new clients are not starved; where the
 * accepting thread serves nobody else (blocking, threads, processes) one is enough.
 */
export const DEFAULT_LISTENERS: Readonly<Record<Variant, number>> = {
  blocking: 1,
  threads: 1,
  'event-loop': 64,
  processes: 1,
  cluster: 64,
  pool: 64,
};

/** A child process costs about 48 MB of RSS here (10 MB of it its own): let them use a quarter of memory. */
function processesFittingMemory(): number {
  return Math.max(8, Math.min(512, Math.floor(totalmem() / 4 / (48 * 1024 * 1024))));
}

export interface ServerOptions {
  host: string;
  port: number;
  limits: ProtocolLimits;
  /** 0 means no limit. */
  maxClients: number;
  /** Listening sockets on the port (per process for cluster). */
  listeners: number;
  idleTimeoutMs: number;
  lineTimeoutMs: number;
  maxPendingBytes: number;
  /** Each reply waits this long on a timer (simulated I/O); 0 = none. */
  delayMs: number;
  /** threads: Workers started ahead and kept waiting for clients. */
  spareWorkers: number;
  /** pool: worker threads that convert heavy lines. */
  poolSize: number;
  /** pool: lines at least this long are converted on the pool. */
  offloadMinBytes: number;
  shutdownTimeoutMs: number;
  verbose: boolean;
}

export type ServerCommand =
  | { kind: 'help'; text: string }
  | { kind: 'serve'; variant: Variant; options: ServerOptions };

interface NumericOption {
  name: string;
  help: string;
  /** The default as shown in --help. */
  shown: string;
  min: number;
  max?: number;
}

const NUMERIC: readonly NumericOption[] = [
  { name: 'port', help: 'TCP port; 0 picks a free one', shown: String(DEFAULT_PORT), min: 0, max: 65535 },
  { name: 'max-digits', help: 'most digits in one number (Python\'s own limit)', shown: String(DEFAULT_MAX_DIGITS), min: 1, max: 100_000_000 },
  { name: 'max-line-bytes', help: 'longest line; a longer one gets one error and is skipped', shown: 'max(65536, 4 x max-digits + 4096)', min: 16, max: 1024 * 1024 * 1024 },
  { name: 'max-clients', help: 'connections served or waiting at once; past it a newcomer is told the server is full; 0 = no limit', shown: `blocking 1024, threads 256, processes ${processesFittingMemory()} (a quarter of memory at 48 MB each), others 10000`, min: 0, max: 10_000_000 },
  { name: 'listeners', help: 'listening sockets on the port (SO_REUSEPORT), so a burst of connects is not dropped (cluster: per process)', shown: 'event-loop, pool and cluster 64, others 1', min: 1, max: 1024 },
  { name: 'idle-timeout-ms', help: 'close a client that makes no progress either way for this long; 0 = off', shown: '60000', min: 0, max: 2 ** 31 - 1 },
  { name: 'line-timeout-ms', help: 'a line must end within this long of its first byte; 0 = off', shown: '30000', min: 0, max: 2 ** 31 - 1 },
  { name: 'max-pending-bytes', help: 'stop reading a client whose unread replies pass this size', shown: String(1024 * 1024), min: 1, max: 1024 * 1024 * 1024 },
  { name: 'delay-ms', help: 'each reply waits this long on a timer, as if on a database, without holding the thread (requests of one connection are handled in turn)', shown: '0', min: 0, max: 60_000 },
  { name: 'spare', help: 'threads: Workers kept started and waiting, so a new client skips the Worker start', shown: '0', min: 0, max: 1024 },
  { name: 'pool-size', help: 'pool: worker threads that convert long numbers', shown: 'the number of CPU cores', min: 1, max: 256 },
  { name: 'offload-min-bytes', help: 'pool: lines at least this long are converted on the pool, off the event loop', shown: '10000', min: 1, max: 1024 * 1024 * 1024 },
  { name: 'shutdown-timeout-ms', help: 'on SIGINT/SIGTERM, force-close what is left after this long', shown: '5000', min: 0, max: 2 ** 31 - 1 },
];

export function helpText(): string {
  const rows: [string, string, string][] = [
    ['--host H', 'address to listen on', DEFAULT_HOST],
    ...NUMERIC.map((o): [string, string, string] => [`--${o.name} N`, o.help, o.shown]),
    ['--verbose', 'log one stderr line per connection opened and closed', 'off'],
    ['--help', 'show this help', ''],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, help, shown]) =>
    `  ${flag.padEnd(width)}  ${help}${shown === '' ? '' : ` (default: ${shown})`}`);
  return [
    `usage: npm run server -- <${VARIANTS.join('|')}> [options]`,
    '',
    'Decimal in, hex out, one line each, over TCP (and HTTP GET /NUMBER on the same port).',
    'The variants differ only in concurrency model:',
    '  blocking    one client at a time; the others wait, unread, in arrival order',
    '  threads     one worker thread per client, owning that client\'s socket',
    '  event-loop  one thread serves every client',
    '  processes   one child process per client, owning that client\'s socket',
    '  cluster     one event-loop process per CPU core, sharing the port',
    '  pool        the event loop, with long numbers converted on a pool of worker threads',
    '',
    'options:',
    ...lines,
    '',
  ].join('\n');
}

export function parseServerCommand(argv: readonly string[]): ServerCommand {
  const parsed = parseCommandLine({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(NUMERIC.map((o) => [o.name, { type: 'string' as const }])),
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', text: helpText() };

  const [variant, ...extra] = positionals;
  if (variant === undefined) throw new UsageError(`name a variant: ${VARIANTS.join(', ')}`);
  if (!isVariant(variant)) throw new UsageError(`unknown variant ${JSON.stringify(variant)}: choose ${VARIANTS.join(', ')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

  const number = (name: string, fallback: number): number => {
    const raw = (values as Record<string, unknown>)[name];
    const spec = NUMERIC.find((o) => o.name === name)!;
    return typeof raw === 'string' ? parseNumberOption(name, raw, spec) : fallback;
  };
  const maxDigits = number('max-digits', DEFAULT_MAX_DIGITS);
  const host = typeof values.host === 'string' ? values.host : DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError('--host must not be empty');

  return {
    kind: 'serve',
    variant,
    options: {
      host,
      port: number('port', DEFAULT_PORT),
      limits: { maxDigits, maxLineBytes: number('max-line-bytes', defaultMaxLineBytes(maxDigits)) },
      maxClients: number('max-clients', DEFAULT_MAX_CLIENTS[variant]),
      listeners: number('listeners', DEFAULT_LISTENERS[variant]),
      idleTimeoutMs: number('idle-timeout-ms', 60_000),
      lineTimeoutMs: number('line-timeout-ms', 30_000),
      maxPendingBytes: number('max-pending-bytes', 1024 * 1024),
      delayMs: number('delay-ms', 0),
      spareWorkers: number('spare', 0),
      poolSize: number('pool-size', availableParallelism()),
      offloadMinBytes: number('offload-min-bytes', 10_000),
      shutdownTimeoutMs: number('shutdown-timeout-ms', 5_000),
      verbose: values.verbose === true,
    },
  };
}

export function isVariant(name: string): name is Variant {
  return (VARIANTS as readonly string[]).includes(name);
}

/** Options for tests and tools: a variant's defaults, with any field overridden. */
export function serverOptions(overrides: Partial<ServerOptions> = {}, variant: Variant = 'event-loop'): ServerOptions {
  const command = parseServerCommand([variant]);
  if (command.kind !== 'serve') throw new Error('unreachable');
  return { ...command.options, ...overrides };
}
