// Small helpers every hexd command uses to turn parseArgs strings into checked values.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export { UsageError };

export interface NumberRange {
  min: number;
  max?: number;
  /** Whether fractions are allowed (seconds, rates); integers only otherwise. */
  fraction?: boolean;
}

/** Reads `--name value` as a number within range, or throws a UsageError that says what fits. */
export function parseNumberOption(name: string, raw: string, range: NumberRange): number {
  const value = Number(raw.trim() === '' ? Number.NaN : raw);
  const kind = range.fraction ? 'a number' : 'an integer';
  const upper = range.max === undefined ? 'or more' : `to ${range.max}`;
  if (
    !Number.isFinite(value) ||
    (!range.fraction && !Number.isSafeInteger(value)) ||
    value < range.min ||
    (range.max !== undefined && value > range.max)
  ) {
    throw new UsageError(`--${name} must be ${kind} from ${range.min} ${upper}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * parseArgs' own messages are long and suggest `--`; say it the short way. Its messages (Node 26):
 * "Unknown option '-x'", "Option '-d, --duration <value>' argument missing", "Option '-d' argument
 * is ambiguous ... use '--duration=-XYZ'", "Option '-v, --verbose' does not take an argument",
 * "Unexpected argument 'extra'. This command does not take positional arguments".
 */
function describeParseArgsError(err: unknown): UsageError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /^Unknown option '([^']*)'/.exec(message)?.[1];
    return new UsageError(`unknown option ${option ?? message}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = optionNamedIn(message);
    // `--verbose=yes`: a switch given a value, which parseArgs reports under the same code.
    if (message.includes('does not take an argument')) return new UsageError(`${option} takes no value`);
    return new UsageError(`${option} needs a value`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /^Unexpected argument '(.*)'\. This command/s.exec(message)?.[1];
    return new UsageError(argument === undefined ? message : `unexpected argument ${JSON.stringify(argument)}`);
  }
  return new UsageError(message);
}

/** The option a parseArgs message names, as `-d (--duration)`, `--duration` or `-d`. */
function optionNamedIn(message: string): string {
  const short = /'(-[^-'])[,' ]/.exec(message)?.[1];
  const long = /(?:'|, )(--[^'=, ]+)/.exec(message)?.[1];
  if (short !== undefined && long !== undefined) return `${short} (${long})`;
  return long ?? short ?? 'an option';
}

/** Whether an address stays on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\./i.test(bare);
}

/** `HOST:PORT` with brackets around an IPv6 host. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** parseArgs, with its errors turned into one-line UsageErrors: what every hexd command parses with. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    const args = joinNegativeValues(config.args ?? process.argv.slice(2), config.options ?? {});
    return parseArgs({ ...config, args }) as ReturnType<typeof parseArgs<T>>;
  } catch (err) {
    throw describeParseArgsError(err);
  }
}

/**
 * `--max-clients -1` as `--max-clients=-1` (and `-c -1` as `-c-1`): parseArgs takes a value that
 * starts with a dash for an option and says the option "needs a value", where the truth is that the
 * value is out of range, which the option's own check then says.
 */
function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (spec.short !== undefined) takesValue.add(`-${spec.short}`);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    if (takesValue.has(arg) && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
