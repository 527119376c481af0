import { describe, expect, it } from 'vitest';
import { CLIENT_HELP, CLIENT_OPTIONS, parseClientCommand, type ClientOptions } from '../../client/options.ts';
import { UsageError } from '../../common/errors.ts';

function run(...argv: string[]): ClientOptions {
  const command = parseClientCommand(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

describe('client options', () => {
  it('default to the server\'s own address', () => {
    expect(run()).toEqual({ host: '127.0.0.1', port: 65432, connectTimeoutMs: 10_000, numbers: [] });
  });

  it('send negative numbers as numbers, in the order given, around the options', () => {
    expect(run('4312', '-255', '--port', '7', '0', '-1_000', '--host', 'localhost', '-٣')).toEqual({
      host: 'localhost', port: 7, connectTimeoutMs: 10_000, numbers: ['4312', '-255', '0', '-1_000', '-٣'],
    });
    expect(run('--', '-5', 'x').numbers).toEqual(['-5', 'x']);
  });

  it('refuse what is not an option or a fitting value', () => {
    expect(() => parseClientCommand(['--port', '0'])).toThrow(/--port must be an integer from 1 to 65535/);
    expect(() => parseClientCommand(['--port', '-255'])).toThrow(UsageError);
    expect(() => parseClientCommand(['--host', ''])).toThrow(UsageError);
    expect(() => parseClientCommand(['-x'])).toThrow(/unknown option -x/);
    expect(() => parseClientCommand(['--connect-timeout-ms', '0'])).toThrow(/--connect-timeout-ms must be an integer from 1/);
  });

  it('--help lists every option with its default', () => {
    expect(parseClientCommand(['-h'])).toEqual({ kind: 'help', text: CLIENT_HELP });
    for (const option of CLIENT_OPTIONS) expect(CLIENT_HELP).toMatch(new RegExp(`--${option.name} \\w+ .*\\(default: .+\\)$`, 'm'));
  });
});
