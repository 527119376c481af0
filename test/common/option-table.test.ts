import { describe, expect, it } from 'vitest';
import {
  defaultValues,
  formatArgv,
  parseOptions,
  renderOptionHelp,
  renderOptionMarkdown,
  type OptionTable,
} from '../../common/option-table.ts';
import { UsageError } from '../../common/errors.ts';

const TABLE = [
  { type: 'integer', name: 'port', help: 'TCP port', min: 0, max: 65535, default: 65432 },
  { type: 'integer', name: 'max-clients', help: 'at once', min: 0, shown: 'depends on the variant', shownInDocs: 'by variant' },
  { type: 'number', name: 'duration', short: 'd', value: 'SECONDS', help: 'how long', min: 0.01 },
  { type: 'string', name: 'json', value: 'FILE', help: 'write JSON', accepts: 'a file name' },
  { type: 'flag', name: 'verbose', help: 'say more' },
] as const satisfies OptionTable;

describe('option tables', () => {
  it('parse to typed values, with defaults where the table has them', () => {
    const parsed = parseOptions(TABLE, ['-d', '1.5', '--verbose', 'x'], { positionals: true });
    expect(parsed.values).toEqual({ port: 65432, 'max-clients': undefined, duration: 1.5, json: undefined, verbose: true });
    expect(parsed.positionals).toEqual(['x']);
    expect([...parsed.given]).toEqual(['duration', 'verbose']);
    expect(parsed.help).toBe(false);
    const port: number = parsed.values.port; // typed as always set: it has a default
    expect(port).toBe(65432);
  });

  it('refuse what the table does not allow, with the option named', () => {
    expect(() => parseOptions(TABLE, ['--port', '70000'])).toThrow(/--port must be an integer from 0 to 65535/);
    expect(() => parseOptions(TABLE, ['--port', '1.5'])).toThrow(UsageError);
    expect(() => parseOptions(TABLE, ['--nope'])).toThrow(/unknown option --nope/);
    expect(() => parseOptions(TABLE, ['--json'])).toThrow(/--json needs a value/);
    // A negative number is a value out of range, not a missing one, however it is written.
    expect(() => parseOptions(TABLE, ['--port', '-1'])).toThrow(/--port must be an integer from 0 to 65535, got "-1"/);
    expect(() => parseOptions(TABLE, ['-d', '-0.5'])).toThrow(/--duration must be a number from 0.01/);
    expect(() => parseOptions(TABLE, ['--port', '-x'])).toThrow(/--port needs a value/);
    expect(() => parseOptions(TABLE, ['stray'])).toThrow(UsageError);
    expect(parseOptions(TABLE, ['-h']).help).toBe(true);
    expect(() => parseOptions(TABLE, ['--version'])).not.toThrow(); // answered by common/entry.ts before any parse
  });

  it('write --help and the docs table from the same rows', () => {
    const help = renderOptionHelp(TABLE);
    expect(help).toContain('--port N');
    expect(help).toContain('(default: 65432)');
    expect(help).toContain('-d, --duration SECONDS');
    expect(help).toContain('(default: depends on the variant)');
    expect(help).toMatch(/-h, --help +show this help\n +--version +print hexd's version$/);
    const markdown = renderOptionMarkdown(TABLE);
    expect(markdown).toContain('| `--port N` | 65432 | TCP port | integer 0 to 65535 |');
    expect(markdown).toContain('| `--json FILE` | — | write JSON | a file name |');
    expect(markdown).toContain('| `--verbose` | off | say more | no value |');
  });

  it('show the docs their own text where --help shows this machine\'s value', () => {
    expect(renderOptionHelp(TABLE)).not.toContain('by variant');
    expect(renderOptionMarkdown(TABLE)).toContain('| `--max-clients N` | by variant | at once | integer ≥ 0 |');
  });

  it('give the defaults of an empty command line without parsing one', () => {
    expect(defaultValues(TABLE)).toEqual(parseOptions(TABLE, []).values);
    expect(defaultValues(TABLE)).toEqual({ port: 65432, 'max-clients': undefined, duration: undefined, json: undefined, verbose: false });
  });

  it('write typed values back as a command line, in table order', () => {
    expect(formatArgv(TABLE, { verbose: true, port: 0, duration: 1.5 })).toEqual(['--port', '0', '--duration', '1.5', '--verbose']);
    expect(formatArgv(TABLE, { verbose: false, json: undefined })).toEqual([]);
    const argv = formatArgv(TABLE, { port: 7, json: 'a b.json', verbose: true });
    expect(parseOptions(TABLE, argv).values).toMatchObject({ port: 7, json: 'a b.json', verbose: true });
  });

  it('read negative numbers as positionals where asked, in their places, but not an option\'s value', () => {
    const parsed = parseOptions(TABLE, ['1', '-255', '--port', '80', '-0', 'x', '-d', '2', '--', '-7'], { positionals: true, negativeNumbers: true });
    expect(parsed.positionals).toEqual(['1', '-255', '-0', 'x', '-7']);
    expect(parsed.values).toMatchObject({ port: 80, duration: 2 });
    expect(() => parseOptions(TABLE, ['--port', '-1'], { positionals: true, negativeNumbers: true })).toThrow(/--port/);
    expect(() => parseOptions(TABLE, ['-d', '-1'], { positionals: true, negativeNumbers: true })).toThrow(/-d/);
    expect(() => parseOptions(TABLE, ['-255'], { positionals: true })).toThrow(UsageError);
    expect(() => parseOptions(TABLE, ['-255'], { negativeNumbers: true })).toThrow(UsageError);
  });
  it('wrap a long meaning under itself so --help fits 100 columns', () => {
    const long = [{ type: 'string', name: 'variants', value: 'LIST', help: 'word '.repeat(60).trim(), default: 'blog' }] as const satisfies OptionTable;
    const lines = renderOptionHelp(long).split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^ {2}--variants LIST {2}word/);
    expect(lines[1]).toMatch(/^ {19}word/);
    expect(lines.at(-3)).toMatch(/\(default: blog\)$|word$/); // before --help and --version
  });
});
