// The server's options: one table (name, default, meaning, check) from which the command line is
// parsed, --help is written, the docs' table is rendered, and tests and tools build ServerOptions.

import { availableParallelism, totalmem } from 'node:os';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_DIGITS,
  MAX_MAX_DIGITS,
  DEFAULT_MAX_LINE_BYTES_RULE,
  DEFAULT_PORT,
  defaultMaxLineBytes,
  type ProtocolLimits,
} from '../../protocol/index.ts';
import { UsageError } from '../../common/cli.ts';
import { PROXY_HEADER_MAX_BYTES } from './proxy-protocol.ts';
import {
  defaultValues,
  parseOptions,
  renderOptionHelp,
  type OptionTable,
  type OptionValues,
} from '../../common/option-table.ts';

export const VARIANTS = ['blocking', 'threads', 'event-loop', 'processes', 'cluster', 'pool'] as const;
export type Variant = (typeof VARIANTS)[number];

/** A child process costs about this much RSS here (10 MB of it its own). */
const PROCESS_RSS_MB = 48;
const PROCESSES_MIN = 8;
const PROCESSES_MAX = 512;
const PROCESSES_RULE = `a quarter of memory at ${PROCESS_RSS_MB} MB each, ${PROCESSES_MIN} to ${PROCESSES_MAX}`;

/** processes' --max-clients: as many children as fit in a quarter of memory. */
function processesFittingMemory(): number {
  return Math.max(PROCESSES_MIN, Math.min(PROCESSES_MAX, Math.floor(totalmem() / 4 / (PROCESS_RSS_MB * 1024 * 1024))));
}

const BUFFERED_RULE = 'a quarter of memory';
const STATS_PORT_RULE = '--port + 1 (a free one with --port 0)';

/** --stats-port's default: the next port, or a free one when the server's own port is picked. */
function defaultStatsPort(port: number): number {
  return port === 0 || port === 65535 ? 0 : port + 1;
}

/** --max-buffered-bytes: what a quarter of the machine's memory holds. */
function quarterOfMemory(): number {
  return Math.floor(totalmem() / 4);
}

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

/**
 * A per-variant default as a person reads it: `blocking 1024, threads 256, others 10000`, the value
 * most variants share said last as "others". A variant in `apart` is said in its own words.
 */
export function perVariantText(values: Readonly<Record<Variant, number>>, apart: Partial<Record<Variant, string>> = {}): string {
  const groups = new Map<number, Variant[]>();
  for (const variant of VARIANTS) {
    if (apart[variant] === undefined) groups.set(values[variant], [...(groups.get(values[variant]) ?? []), variant]);
  }
  const [othersValue] = [...groups.entries()].reduce((most, group) => (group[1].length > most[1].length ? group : most));
  const parts = VARIANTS.flatMap((variant) => {
    const own = apart[variant];
    if (own !== undefined) return [`${variant} ${own}`];
    const group = groups.get(values[variant])!;
    return group[0] === variant && values[variant] !== othersValue ? [`${listInWords(group)} ${values[variant]}`] : [];
  });
  return [...parts, `others ${othersValue}`].join(', ');
}

/** `a, b and c`. */
function listInWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
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
  /** What all connections of one process (one thread, on threads) may hold in partial lines and replies. */
  maxBufferedBytes: number;
  /** Each reply waits this long on a timer (simulated I/O); 0 = none. */
  delayMs: number;
  /** threads: Workers started ahead and kept waiting for clients. */
  spareWorkers: number;
  /** threads: how long a Worker whose client left stays idle, past the --spare ones, before it exits. */
  lingerMs: number;
  /** threads: a Worker whose client leaves serves the next client (or waits as a spare) instead of exiting. */
  reuseWorkers: boolean;
  /** pool: worker threads that convert heavy lines. */
  poolSize: number;
  /** pool: lines at least this long are converted on the pool. */
  offloadMinBytes: number;
  /** Every connection starts with a PROXY protocol v1/v2 header from a balancer, or is refused. */
  proxyProtocol: boolean;
  shutdownTimeoutMs: number;
  verbose: boolean;
  /** Per-thread figures, kept and answered on statsPort (docs/telemetry.md). */
  telemetry: boolean;
  /** Where /stats and /metrics answer; 0 picks a free port. */
  statsPort: number;
}

export type ServerCommand =
  | { kind: 'help'; text: string }
  | { kind: 'serve'; variant: Variant; options: ServerOptions };

/** Every server option, in the order --help and the docs list them. */
export const SERVER_OPTIONS = [
  { type: 'string', name: 'host', value: 'H', help: 'address to listen on', default: DEFAULT_HOST, accepts: 'an address of this machine, or a host name' },
  { type: 'integer', name: 'port', help: 'TCP port; 0 picks a free one', default: DEFAULT_PORT, min: 0, max: 65535 },
  { type: 'integer', name: 'max-digits', help: 'most digits in one number (Python\'s own limit)', default: DEFAULT_MAX_DIGITS, min: 1, max: MAX_MAX_DIGITS },
  { type: 'integer', name: 'max-line-bytes', help: 'longest line; a longer one gets one error and is skipped', shown: DEFAULT_MAX_LINE_BYTES_RULE, min: 16, max: 1024 * 1024 * 1024 },
  {
    type: 'integer',
    name: 'max-clients',
    help: 'connections served or waiting at once; past it a newcomer is told the server is full; lowered, with a warning, to what ulimit -n holds; 0 = no limit but that',
    shown: perVariantText(DEFAULT_MAX_CLIENTS, { processes: `${DEFAULT_MAX_CLIENTS.processes} (${PROCESSES_RULE})` }),
    shownInDocs: perVariantText(DEFAULT_MAX_CLIENTS, { processes: PROCESSES_RULE }),
    min: 0,
    max: 10_000_000,
  },
  { type: 'integer', name: 'listeners', help: 'listening sockets on the port (SO_REUSEPORT), so a burst of connects is not dropped (cluster: per process)', shown: perVariantText(DEFAULT_LISTENERS), min: 1, max: 1024 },
  { type: 'integer', name: 'idle-timeout-ms', help: 'close a client that makes no progress either way for this long; 0 = off', default: 60_000, min: 0, max: 2 ** 31 - 1 },
  { type: 'integer', name: 'line-timeout-ms', help: 'a line must end within this long of its first byte; 0 = off', default: 30_000, min: 0, max: 2 ** 31 - 1 },
  { type: 'integer', name: 'max-pending-bytes', help: 'stop reading a client whose unread replies pass this size', default: 1024 * 1024, min: 1, max: 1024 * 1024 * 1024 },
  { type: 'integer', name: 'max-buffered-bytes', help: 'bytes all connections of a process may hold together in partial lines and unsent replies; past it the largest holders are not read until it has room', shown: BUFFERED_RULE, min: 1024 * 1024, max: 2 ** 50 },
  { type: 'integer', name: 'delay-ms', help: 'each reply waits this long on a timer, as if on a database, without holding the thread (requests of one connection are handled in turn)', default: 0, min: 0, max: 60_000 },
  { type: 'integer', name: 'spare', help: 'threads: Workers kept started and waiting, so a new client skips the Worker start', default: 0, min: 0, max: 1024 },
  { type: 'integer', name: 'linger-ms', help: 'threads: a Worker whose client left waits idle for the next client; past the --spare, idle ones exit once unused this long', default: 1000, min: 0, max: 3_600_000 },
  { type: 'flag', name: 'no-reuse', help: 'threads: a Worker exits when its client leaves, instead of serving a waiting client or staying as one of the --spare', shown: 'off (Workers are reused)' },
  { type: 'integer', name: 'pool-size', help: 'pool: worker threads that convert long numbers', shown: 'the number of CPU cores', min: 1, max: 256 },
  { type: 'integer', name: 'offload-min-bytes', help: 'pool: lines at least this long are converted on the pool, off the event loop', default: 10_000, min: 1, max: 1024 * 1024 * 1024 },
  { type: 'flag', name: 'proxy-protocol', help: `every connection must start with a PROXY protocol v1 or v2 header (HAProxy's send-proxy, send-proxy-v2; at most ${PROXY_HEADER_MAX_BYTES} bytes, within --line-timeout-ms); the client address it carries is the one --verbose logs; a connection without one is refused`, shown: 'off (a PROXY header is a bad line)' },
  { type: 'integer', name: 'shutdown-timeout-ms', help: 'on SIGINT/SIGTERM, force-close what is left after this long', default: 5_000, min: 0, max: 2 ** 31 - 1 },
  { type: 'flag', name: 'verbose', help: 'log one stderr line per connection opened and closed', shown: 'off' },
  { type: 'integer', name: 'stats-port', help: 'port on the same --host where GET /stats (JSON) and /metrics (Prometheus) answer with per-thread figures (docs/telemetry.md); 0 picks a free one', shown: STATS_PORT_RULE, min: 0, max: 65535 },
  { type: 'flag', name: 'no-telemetry', help: 'keep no per-thread figures and open no --stats-port', shown: 'off (telemetry on)' },
] as const satisfies OptionTable;

export type ServerOptionValues = OptionValues<typeof SERVER_OPTIONS>;

export function helpText(): string {
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
    renderOptionHelp(SERVER_OPTIONS),
    '',
  ].join('\n');
}

export function parseServerCommand(argv: readonly string[]): ServerCommand {
  const { values, positionals, help } = parseOptions(SERVER_OPTIONS, argv, { positionals: true });
  if (help) return { kind: 'help', text: helpText() };

  const [variant, ...extra] = positionals;
  if (variant === undefined) throw new UsageError(`name a variant: ${VARIANTS.join(', ')}`);
  if (!isVariant(variant)) throw new UsageError(`unknown variant ${JSON.stringify(variant)}: choose ${VARIANTS.join(', ')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  return { kind: 'serve', variant, options: toServerOptions(values, variant) };
}

/** The typed options from the table's values, with the defaults that depend on the variant, the digits or the machine. */
function toServerOptions(values: ServerOptionValues, variant: Variant): ServerOptions {
  const maxDigits = values['max-digits'];
  return {
    host: values.host,
    port: values.port,
    limits: { maxDigits, maxLineBytes: values['max-line-bytes'] ?? defaultMaxLineBytes(maxDigits) },
    maxClients: values['max-clients'] ?? DEFAULT_MAX_CLIENTS[variant],
    listeners: values.listeners ?? DEFAULT_LISTENERS[variant],
    idleTimeoutMs: values['idle-timeout-ms'],
    lineTimeoutMs: values['line-timeout-ms'],
    maxPendingBytes: values['max-pending-bytes'],
    maxBufferedBytes: values['max-buffered-bytes'] ?? quarterOfMemory(),
    delayMs: values['delay-ms'],
    spareWorkers: values.spare,
    lingerMs: values['linger-ms'],
    reuseWorkers: !values['no-reuse'],
    poolSize: values['pool-size'] ?? availableParallelism(),
    offloadMinBytes: values['offload-min-bytes'],
    proxyProtocol: values['proxy-protocol'],
    shutdownTimeoutMs: values['shutdown-timeout-ms'],
    verbose: values.verbose,
    telemetry: !values['no-telemetry'],
    statsPort: values['stats-port'] ?? defaultStatsPort(values.port),
  };
}

export function isVariant(name: string): name is Variant {
  return (VARIANTS as readonly string[]).includes(name);
}

/** Options for tests and tools: a variant's defaults, with any field overridden. */
export function serverOptions(overrides: Partial<ServerOptions> = {}, variant: Variant = 'event-loop'): ServerOptions {
  return { ...toServerOptions(defaultValues(SERVER_OPTIONS), variant), ...overrides };
}
