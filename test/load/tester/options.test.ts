import { describe, expect, it } from 'vitest';
import { LOAD_OPTIONS, MAX_RUN_SECONDS, loadOptions, runLimitMs, type LoadOptions } from '../../../load/harness/load-options.ts';
import { loadHelpText, parseLoadCommand, parseTarget } from '../../../load/tester/cli.ts';
import { UsageError } from '../../../common/cli.ts';

function run(...argv: string[]): LoadOptions {
  const command = parseLoadCommand(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

function usage(...argv: string[]): UsageError {
  let error: unknown;
  try {
    parseLoadCommand(argv);
  } catch (err) {
    error = err;
  }
  expect(error, `accepted ${argv.join(' ')}`).toBeInstanceOf(UsageError);
  expect((error as UsageError).code).toBe('HEXD_USAGE');
  return error as UsageError;
}

describe('parseLoadCommand', () => {
  it('has the documented defaults', () => {
    expect(run('--target', '127.0.0.1:65432')).toEqual({
      target: { host: '127.0.0.1', port: 65432 },
      connections: 10,
      durationSec: 10,
      warmupSec: 0,
      requests: null,
      pipeline: 1,
      rate: null,
      workers: 1,
      connectRate: null,
      timeoutMs: 5000,
      maxDigits: 4300,
      digits: { low: 1, high: 20 },
      json: null,
      allowRemote: false,
      serverPid: null,
      statsPort: 65433,
    });
    expect(run('--target', '127.0.0.1:9000', '--stats-port', '0').statsPort).toBe(0);
  });

  it('reads every option, short forms included', () => {
    const o = run('--target', 'localhost:9', '-c', '50', '-d', '0.5', '--pipeline', '16', '--rate', '2500.5',
      '--workers', '2', '--connect-rate', '100', '--timeout-ms', '250', '--max-digits', '10000', '--json', 'out.json',
      '--server-pid', '1234');
    expect(o).toMatchObject({
      connections: 50, durationSec: 0.5, pipeline: 16, rate: 2500.5, workers: 2, connectRate: 100,
      timeoutMs: 250, maxDigits: 10000, json: 'out.json', serverPid: 1234,
    });
  });

  it('--digits: N or A-B, 1-20 by default, cut to a lower --max-digits, never past it', () => {
    expect(run('--target', '127.0.0.1:1', '--digits', '16-20').digits).toEqual({ low: 16, high: 20 });
    expect(run('--target', '127.0.0.1:1', '--digits', '4300').digits).toEqual({ low: 4300, high: 4300 });
    expect(run('--target', '127.0.0.1:1', '--max-digits', '5').digits).toEqual({ low: 1, high: 5 });
    expect(usage('--target', '127.0.0.1:1', '--digits', '21', '--max-digits', '20').message).toMatch(/--max-digits/);
    expect(usage('--target', '127.0.0.1:1', '--digits', '9-3').message).toMatch(/--digits/);
  });

  it('-n alone ends by count, still capped in time; -n with -d ends at whichever comes first', () => {
    const byCount = run('--target', '127.0.0.1:1', '-n', '1000');
    expect(byCount).toMatchObject({ requests: 1000, durationSec: null });
    expect(runLimitMs(byCount)).toBe(MAX_RUN_SECONDS * 1000);
    expect(runLimitMs(run('--target', '127.0.0.1:1', '-d', '2', '--warmup', '0.5'))).toBe(2500);
    expect(run('--target', '127.0.0.1:1', '-n', '1000', '-d', '2')).toMatchObject({ requests: 1000, durationSec: 2 });
  });

  it('accepts only loopback targets unless --allow-remote', () => {
    expect(usage('--target', '10.0.0.1:80').message).toMatch(/--allow-remote/);
    expect(usage('--target', 'example.com:80').message).toMatch(/not a loopback/);
    expect(run('--target', '10.0.0.1:80', '--allow-remote').allowRemote).toBe(true);
    expect(run('--target', '[::1]:80').target).toEqual({ host: '::1', port: 80 });
    expect(run('--target', '127.1.2.3:80').target.host).toBe('127.1.2.3');
  });

  it('refuses what cannot run', () => {
    usage();
    usage('--target', '127.0.0.1');
    usage('--target', '127.0.0.1:0');
    usage('--target', '127.0.0.1:70000');
    usage('--target', '127.0.0.1:1', '-c', '0');
    usage('--target', '127.0.0.1:1', '-c', '1.5');
    usage('--target', '127.0.0.1:1', '-d', '0');
    usage('--target', '127.0.0.1:1', '--rate', '0');
    usage('--target', '127.0.0.1:1', '--pipeline', 'x');
    usage('--target', '127.0.0.1:1', '--json', '');
    expect(usage('--target', '127.0.0.1:1', '-n', '5', '--warmup', '1').message).toMatch(/--warmup/);
    usage('--target', '127.0.0.1:1', '--bogus');
    usage('--target', '127.0.0.1:1', 'extra');
    expect(usage('--target', '127.0.0.1:1', '-c', '2', '--workers', '3').message).toMatch(/--workers must not exceed --connections/);
  });

  it('--help lists every option with its default', () => {
    const command = parseLoadCommand(['--help']);
    expect(command.kind).toBe('help');
    const text = command.kind === 'help' ? command.text : '';
    for (const flag of ['--target', '-c, --connections', '-d, --duration', '--warmup', '-n, --requests', '--pipeline', '--rate', '--workers',
      '--connect-rate', '--timeout-ms', '--max-digits', '--json', '--allow-remote', '--server-pid', '--mix']) {
      expect(text).toContain(flag);
    }
    expect(text).toBe(loadHelpText());
    const unwrapped = text.replace(/\n {10,}/g, ' '); // a long meaning wraps under itself
    for (const option of LOAD_OPTIONS.filter((o) => o.name !== 'target')) {
      expect(unwrapped).toMatch(new RegExp(`--${option.name}\\b.*\\(default: .+\\)$`, 'm'));
    }
  });

  it('loadOptions builds defaults for tools and tests', () => {
    expect(loadOptions({ host: '127.0.0.1', port: 5 }, { connections: 3 })).toMatchObject({ connections: 3, durationSec: 10, allowRemote: false });
    expect(loadOptions({ host: '127.0.0.1', port: 65432 })).toEqual(run('--target', '127.0.0.1:65432'));
  });

  it('reads --mix into its entries, checked against --max-digits', () => {
    expect(run('--target', '127.0.0.1:1', '--mix', '1%:1000', '--max-digits', '1000').mix).toEqual([{ percent: 1, digits: 1000 }]);
    expect(usage('--target', '127.0.0.1:1', '--mix', '1%:5000').message).toMatch(/over --max-digits 4300/);
  });

  it('parseTarget reads IPv6 in brackets', () => {
    expect(parseTarget('[::1]:65432')).toEqual({ host: '::1', port: 65432 });
    expect(() => parseTarget('::1:80')).toThrow(UsageError);
  });
});
