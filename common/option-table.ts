// A command's options as one table: each option's name, meaning, default and check, written once.
// Parsing, --help and the docs' option tables are all produced from it, so they cannot disagree.

import { UsageError, parseCommandLine, parseNumberOption } from './cli.ts';
import { markdownTable } from './markdown.ts';
import { wrapWords } from './wrap.ts';

interface BaseOption {
  /** The long name, without the dashes. */
  readonly name: string;
  readonly short?: string;
  /** What the option does, in one sentence for --help and the docs. */
  readonly help: string;
  /**
   * The default as a person reads it, where it is not one literal value (it depends on the variant,
   * the machine or another option); otherwise the literal default is shown.
   */
  readonly shown?: string;
  /**
   * The default as the docs show it, where --help shows this machine's own value (memory, cores):
   * the docs are the same on every machine.
   */
  readonly shownInDocs?: string;
}

/** A whole number within [min, max]. */
interface IntegerOption extends BaseOption {
  readonly type: 'integer';
  readonly value?: string;
  readonly min: number;
  readonly max?: number;
  readonly default?: number;
}

/** A number within [min, max], fractions allowed (seconds, rates). */
interface NumberOption extends BaseOption {
  readonly type: 'number';
  readonly value?: string;
  readonly min: number;
  readonly max?: number;
  readonly default?: number;
}

/** Free text that the command checks further (a list, an address, a file name). */
interface StringOption extends BaseOption {
  readonly type: 'string';
  readonly value: string;
  readonly default?: string;
  /** What it accepts, for the docs' table (numbers say so themselves). */
  readonly accepts?: string;
}

/** Present or absent. */
interface FlagOption extends BaseOption {
  readonly type: 'flag';
}

type OptionSpec = IntegerOption | NumberOption | StringOption | FlagOption;
export type OptionTable = readonly OptionSpec[];

type ValueOf<S extends OptionSpec> = S extends FlagOption ? boolean : S extends StringOption ? string : number;

/** What a table parses to: flags are booleans; an option with a default is always set; others may be absent. */
export type OptionValues<T extends OptionTable> = {
  [S in T[number] as S['name']]: S extends FlagOption
    ? boolean
    : S extends { readonly default: string | number }
      ? ValueOf<S>
      : ValueOf<S> | undefined;
};

export interface ParsedCommandLine<T extends OptionTable> {
  values: OptionValues<T>;
  positionals: string[];
  /** The long names given on the command line (a default is not "given"). */
  given: ReadonlySet<string>;
}

const HELP_OPTION: FlagOption = { type: 'flag', name: 'help', short: 'h', help: 'show this help' };
/** Answered before the command runs, by common/entry.ts. */
const VERSION_OPTION: FlagOption = { type: 'flag', name: 'version', help: 'print hexd\'s version' };
/** The options every command has, which no table lists. */
const COMMON_OPTIONS: readonly FlagOption[] = [HELP_OPTION, VERSION_OPTION];

/** Every option of a table plus --help and --version, which every command has. */
function withHelp(table: OptionTable): OptionTable {
  return [...table, ...COMMON_OPTIONS.filter((common) => !table.some((o) => o.name === common.name))];
}

export interface ParseSettings {
  /** Whether arguments other than options are allowed. */
  positionals?: boolean;
  /**
   * With positionals: an argument such as `-255` is a positional (a number), not a cluster of short
   * options. An option's value is still its value: `--port -1` is refused as a port, not sent.
   */
  negativeNumbers?: boolean;
}

const NEGATIVE_NUMBER = /^-\p{Nd}/u;

/** Parses argv against the table: unknown options, missing values and out-of-range numbers are UsageErrors. */
export function parseOptions<const T extends OptionTable>(
  table: T,
  argv: readonly string[],
  settings: ParseSettings = {},
): ParsedCommandLine<T> & { help: boolean } {
  const config = Object.fromEntries(withHelp(table).map((o) => [
    o.name,
    {
      type: o.type === 'flag' ? 'boolean' as const : 'string' as const,
      ...(o.short === undefined ? {} : { short: o.short }),
    },
  ]));
  // Negative numbers are set aside by position, and put back in order among the other positionals.
  const positionalsAt = new Map<number, string>();
  const rest: string[] = [];
  const restToArgv: number[] = [];
  const takesValue = valueTakingSpellings(table);
  argv.forEach((arg, at) => {
    const previous = argv[at - 1];
    const isOptionValue = previous !== undefined && takesValue.has(previous);
    if (settings.negativeNumbers && settings.positionals && !isOptionValue && NEGATIVE_NUMBER.test(arg)) positionalsAt.set(at, arg);
    else {
      rest.push(arg);
      restToArgv.push(at);
    }
  });
  const parsed = parseCommandLine({ args: rest, options: config, allowPositionals: settings.positionals ?? false, strict: true, tokens: true });
  for (const token of parsed.tokens) {
    if (token.kind === 'positional') positionalsAt.set(restToArgv[token.index]!, token.value);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, string | number | boolean | undefined> = {};
  const given = new Set<string>();
  for (const option of table) {
    const input = raw[option.name];
    if (input !== undefined) given.add(option.name);
    values[option.name] = valueOf(option, input);
  }
  const positionals = [...positionalsAt.entries()].sort(([a], [b]) => a - b).map(([, value]) => value);
  return { values: values as OptionValues<T>, positionals, given, help: raw.help === true };
}

/** `--port`, `-p`: the spellings after which the next argument is a value, whatever it looks like. */
function valueTakingSpellings(table: OptionTable): Set<string> {
  return new Set(table.filter((o) => o.type !== 'flag').flatMap((o) =>
    o.short === undefined ? [`--${o.name}`] : [`--${o.name}`, `-${o.short}`]));
}

/** The values of an empty command line: every default, for tools and tests that build options directly. */
export function defaultValues<const T extends OptionTable>(table: T): OptionValues<T> {
  return Object.fromEntries(table.map((o) => [o.name, valueOf(o, undefined)])) as OptionValues<T>;
}

/**
 * The command line that gives these values, for a program that starts another as a child process:
 * the names are checked against the table when it is typed.
 */
export function formatArgv<const T extends OptionTable>(table: T, values: Partial<OptionValues<T>>): string[] {
  const given = values as Record<string, string | number | boolean | undefined>;
  return table.flatMap((o) => {
    const value = given[o.name];
    if (value === undefined || value === false) return [];
    return value === true ? [`--${o.name}`] : [`--${o.name}`, String(value)];
  });
}

function valueOf(option: OptionSpec, input: string | boolean | undefined): string | number | boolean | undefined {
  switch (option.type) {
    case 'flag':
      return input === true;
    case 'string':
      if (typeof input !== 'string') return option.default;
      if (input.trim() === '') throw new UsageError(`--${option.name} needs a value`);
      return input;
    case 'integer':
    case 'number':
      return typeof input === 'string'
        ? parseNumberOption(option.name, input, { min: option.min, fraction: option.type === 'number', ...(option.max === undefined ? {} : { max: option.max }) })
        : option.default;
  }
}

/** The flag as --help and the docs spell it: `-c, --connections N`. */
function flagText(option: OptionSpec): string {
  const placeholder = option.type === 'flag' ? '' : ` ${option.value ?? 'N'}`;
  return `${option.short === undefined ? '' : `-${option.short}, `}--${option.name}${placeholder}`;
}

/** The default as a person reads it, or '' where there is none to show. */
function defaultText(option: OptionSpec): string {
  if (option.shown !== undefined) return option.shown;
  if (option.type === 'flag') return 'off';
  return option.default === undefined ? '' : String(option.default);
}

/** What the option accepts, for the docs: `integer 0 to 65535`. */
function acceptsText(option: OptionSpec): string {
  switch (option.type) {
    case 'flag':
      return 'no value';
    case 'string':
      return option.accepts ?? 'text';
    case 'integer':
    case 'number': {
      const kind = option.type === 'integer' ? 'integer' : 'number';
      return option.max === undefined ? `${kind} ≥ ${option.min}` : `${kind} ${option.min} to ${option.max}`;
    }
  }
}

/** The options part of --help: one line an option, aligned, with its default. */
export function renderOptionHelp(table: OptionTable): string {
  const rows = withHelp(table);
  const width = Math.max(...rows.map((o) => flagText(o).length));
  return rows.map((o) => {
    const shown = COMMON_OPTIONS.includes(o as FlagOption) || o.type === 'flag' && o.shown === undefined ? '' : defaultText(o);
    const text = `${o.help}${shown === '' ? '' : ` (default: ${shown})`}`;
    const indent = ' '.repeat(width + 4);
    return wrapWords(text, HELP_COLUMNS - indent.length)
      .map((line, i) => (i === 0 ? `  ${flagText(o).padEnd(width)}  ${line}` : `${indent}${line}`))
      .join('\n');
  }).join('\n');
}

/** --help fits a terminal of this width: the option's text wraps under itself. */
const HELP_COLUMNS = 100;


/** The docs' table of a command's options (Markdown). */
export function renderOptionMarkdown(table: OptionTable): string {
  return markdownTable(['option', 'default', 'meaning', 'accepts'], table.map((o) => {
    const shown = o.shownInDocs ?? defaultText(o);
    return [`\`${flagText(o)}\``, shown === '' ? '—' : shown, o.help, acceptsText(o)];
  }));
}
