import { describe, expect, it } from 'vitest';
import { parseOptions, renderOptionHelp, renderOptionMarkdown, type OptionTable } from '../../common/option-table.ts';
import { UsageError } from '../../common/errors.ts';

const TABLE = [
  { type: 'integer', name: 'port', help: 'TCP port', min: 0, max: 65535, default: 65432 },
  { type: 'integer', name: 'max-clients', help: 'at once', min: 0, shown: 'depends on the variant' },
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
    expect(() => parseOptions(TABLE, ['stray'])).toThrow(UsageError);
    expect(parseOptions(TABLE, ['-h']).help).toBe(true);
  });

  it('write --help and the docs table from the same rows', () => {
    const help = renderOptionHelp(TABLE);
    expect(help).toContain('--port N');
    expect(help).toContain('(default: 65432)');
    expect(help).toContain('-d, --duration SECONDS');
    expect(help).toContain('(default: depends on the variant)');
    expect(help).toMatch(/-h, --help +show this help$/);
    const markdown = renderOptionMarkdown(TABLE);
    expect(markdown).toContain('| `--port N` | 65432 | TCP port | integer 0 to 65535 |');
    expect(markdown).toContain('| `--json FILE` | — | write JSON | a file name |');
    expect(markdown).toContain('| `--verbose` | off | say more | no value |');
  });
});
