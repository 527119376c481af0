// `npm run lab`'s command line, parsed directly.

import { describe, expect, it } from 'vitest';
import { parseLabCommand } from '../../lab/options.ts';

describe('parseLabCommand', () => {
  it('listens on 127.0.0.1:65480 by default, runs capped at 10 minutes', () => {
    expect(parseLabCommand([])).toEqual({ kind: 'run', options: { host: '127.0.0.1', port: 65_480, allowRemote: false, maxRunMs: 600_000, serverNiceness: 10 } });
  });

  it('takes a port, a loopback host and a cap', () => {
    expect(parseLabCommand(['--port', '0', '--host', '::1', '--max-run-seconds', '30', '--server-niceness', '0']))
      .toEqual({ kind: 'run', options: { host: '::1', port: 0, allowRemote: false, maxRunMs: 30_000, serverNiceness: 0 } });
  });

  it('refuses a host other machines can reach unless --allow-remote', () => {
    expect(() => parseLabCommand(['--host', '0.0.0.0'])).toThrow(expect.objectContaining({ code: 'HEXD_USAGE' }));
    expect(parseLabCommand(['--host', '0.0.0.0', '--allow-remote'])).toMatchObject({ options: { host: '0.0.0.0', allowRemote: true } });
  });

  it('refuses a port or a cap out of range, and unknown options', () => {
    for (const argv of [['--port', '70000'], ['--max-run-seconds', '0'], ['--max-run-seconds', '7200'], ['--server-niceness', '20'], ['--clients', '5']]) {
      expect(() => parseLabCommand(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: 'HEXD_USAGE' }));
    }
  });

  it('answers --help with every option', () => {
    const command = parseLabCommand(['--help']);
    expect(command.kind).toBe('help');
    const text = command.kind === 'help' ? command.text : '';
    for (const option of ['--port', '--host', '--allow-remote', '--max-run-seconds', '--server-niceness', '--version']) expect(text).toContain(option);
  });
});
