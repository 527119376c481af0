// The load tester's options: one table (name, default, meaning, check) from which load/tester/cli.ts
// parses the command line and writes --help, the docs render their table, and loadOptions() builds the
// typed options that the other programs pass to runLoad.

import { DEFAULT_MAX_DIGITS, MAX_MAX_DIGITS } from '../../protocol/index.ts';
import { defaultValues, type OptionTable, type OptionValues } from '../../common/option-table.ts';
import { MAX_MIX_DIGITS, parseMix, type MixEntry } from './mix.ts';
import { defaultDigitRange, parseDigitRange, type DigitRange } from './digit-range.ts';

/** A run given only -n still stops after this long, so that no run can go on for ever. */
export const MAX_RUN_SECONDS = 600;

/** How long a run given neither -d nor -n lasts. */
const DEFAULT_DURATION_SEC = 10;

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
  /** --digits: the digit counts of the light numbers (those outside --mix). */
  digits: DigitRange;
  /** --mix: shares of the requests that are big numbers; absent (or empty) for the light numbers only. */
  mix?: MixEntry[] | undefined;
  json: string | null;
  allowRemote: boolean;
  /** The server's pid, to report its CPU use beside the tester's. */
  serverPid: number | null;
  /** Where the server answers GET /stats, for its own view beside the client's; 0 = do not ask. */
  statsPort: number;
}

/** Every load tester option, in the order --help and the docs list them. */
export const LOAD_OPTIONS = [
  { type: 'string', name: 'target', value: 'HOST:PORT', help: 'the hexd server to load (required)', accepts: 'HOST:PORT, [IPv6]:PORT' },
  { type: 'integer', name: 'connections', short: 'c', help: 'concurrent connections (clients)', default: 10, min: 1, max: 100_000 },
  { type: 'number', name: 'duration', short: 'd', value: 'SECONDS', help: 'how long to run; fractions allowed', shown: `${DEFAULT_DURATION_SEC}, unless -n is given`, min: 0.01, max: 24 * 3600 },
  { type: 'number', name: 'warmup', value: 'SECONDS', help: 'load this long before measuring, on the same connections; not with -n', default: 0, min: 0, max: 3600 },
  { type: 'integer', name: 'requests', short: 'n', help: 'total requests across all connections, then stop', shown: 'none', min: 1, max: 1_000_000_000 },
  { type: 'integer', name: 'pipeline', value: 'K', help: 'requests in flight per connection', default: 1, min: 1, max: 10_000 },
  { type: 'number', name: 'rate', value: 'R', help: 'open loop: R requests/s in all, on a fixed schedule; latency counts from the scheduled time', shown: 'closed loop', min: 0.001, max: 100_000_000 },
  { type: 'integer', name: 'workers', value: 'W', help: 'threads that split the connections', default: 1, min: 1, max: 64 },
  { type: 'number', name: 'connect-rate', value: 'R', help: 'open at most R new connections per second', shown: 'unlimited', min: 0.001, max: 100_000_000 },
  { type: 'integer', name: 'timeout-ms', value: 'T', help: 'per request and per connect; a late connection is closed and reopened', default: 5_000, min: 1, max: 3_600_000 },
  { type: 'integer', name: 'max-digits', value: 'D', help: 'the server\'s --max-digits, so expected replies match', default: DEFAULT_MAX_DIGITS, min: 1, max: MAX_MAX_DIGITS },
  { type: 'integer', name: 'server-pid', value: 'N', help: 'the server\'s pid, to report its CPU use (Linux /proc)', shown: 'none', min: 1, max: 2 ** 31 - 1 },
  {
    type: 'string',
    name: 'digits',
    value: 'N|A-B',
    help: 'numbers of N digits, or of A to B digits (each count drawn uniformly); a range ending at 20 keeps to 64 bits; --mix entries aside',
    shown: '1-20 (at most --max-digits)',
    accepts: 'N or A-B, digits from 1 to --max-digits',
  },
  {
    type: 'string',
    name: 'mix',
    value: 'LIST',
    help: 'PERCENT%:DIGITS,...: that share of requests are numbers of that many digits (CPU work), checked too and timed apart; needs --max-digits >= DIGITS',
    shown: 'none',
    accepts: `PERCENT%:DIGITS,... (shares up to 100% in all, digits 1 to ${MAX_MIX_DIGITS})`,
  },
  { type: 'integer', name: 'stats-port', value: 'N', help: 'the server\'s --stats-port: its GET /stats is polled and its own view (loop delay, utilisation per thread) printed beside the client\'s; 0 = do not ask', shown: 'the target\'s port + 1, as hexd', min: 0, max: 65535 },
  { type: 'string', name: 'json', value: 'FILE', help: 'also write the results as JSON', shown: 'off', accepts: 'a file name' },
  { type: 'flag', name: 'allow-remote', help: 'allow a target that is not a loopback address', shown: 'off' },
] as const satisfies OptionTable;

export type LoadOptionValues = OptionValues<typeof LOAD_OPTIONS>;

/** The typed options from the table's values (the target parsed apart), with the defaults that depend on another option. */
export function toLoadOptions(target: Target, values: LoadOptionValues): LoadOptions {
  return {
    target,
    connections: values.connections,
    durationSec: values.duration ?? (values.requests === undefined ? DEFAULT_DURATION_SEC : null),
    warmupSec: values.warmup,
    requests: values.requests ?? null,
    pipeline: values.pipeline,
    rate: values.rate ?? null,
    workers: values.workers,
    connectRate: values['connect-rate'] ?? null,
    timeoutMs: values['timeout-ms'],
    maxDigits: values['max-digits'],
    digits: values.digits === undefined ? defaultDigitRange(values['max-digits']) : parseDigitRange(values.digits, values['max-digits']),
    mix: values.mix === undefined ? undefined : parseMix(values.mix),
    json: values.json ?? null,
    allowRemote: values['allow-remote'],
    serverPid: values['server-pid'] ?? null,
    // hexd's own default (servers/shared/options.ts): the port after the server's.
    statsPort: values['stats-port'] ?? (target.port < 65535 ? target.port + 1 : 0),
  };
}

/** Options for tests and tools: the table's defaults for a target, with any field overridden. */
export function loadOptions(target: Target, overrides: Partial<LoadOptions> = {}): LoadOptions {
  return { ...toLoadOptions(target, defaultValues(LOAD_OPTIONS)), ...overrides };
}

/** The longest a run may take before it stops itself, whatever else happens, warm-up included. */
export function runLimitMs(options: LoadOptions): number {
  return (options.warmupSec + (options.durationSec ?? MAX_RUN_SECONDS)) * 1000;
}
