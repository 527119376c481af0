// Command-line mistakes parseArgs finds, said in one line that names the option both ways.

import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { parseCommandLine } from '../../common/cli.ts';
import { NODE, ROOT } from '../helpers/servers.ts';

const OPTIONS = {
  duration: { type: 'string', short: 'd' },
  host: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'no-telemetry': { type: 'boolean' },
} as const;

function mistake(args: string[], allowPositionals = false): { code: string; message: string } {
  try {
    parseCommandLine({ args, options: OPTIONS, allowPositionals, strict: true });
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error(`${args.join(' ')} parsed`);
}

describe('parseArgs mistakes', () => {
  it.each([
    [['-d'], '-d (--duration) needs a value'],
    [['--duration'], '-d (--duration) needs a value'],
    [['-vd'], '-d (--duration) needs a value'],
    [['--host'], '--host needs a value'],
    // A value that starts with a dash, which parseArgs calls ambiguous.
    [['-d', '-v'], '-d (--duration) needs a value'],
    [['--duration', '--verbose'], '--duration needs a value'],
    [['--host', '-v'], '--host needs a value'],
    [['--verbose=yes'], '-v (--verbose) takes no value'],
    [['--no-telemetry=1'], '--no-telemetry takes no value'],
    [['-x'], 'unknown option -x'],
    [['-vx'], 'unknown option -x'],
    [['--nope'], 'unknown option --nope'],
    [['--nope=3'], 'unknown option --nope'],
    [['1.5'], 'unexpected argument "1.5"'],
  ])('%j: %s', (args, message) => {
    expect(mistake(args)).toEqual({ code: 'HEXD_USAGE', message });
  });

  it('say an unknown option without parseArgs\' advice about --, where positionals are allowed', () => {
    expect(mistake(['--nope'], true)).toEqual({ code: 'HEXD_USAGE', message: 'unknown option --nope' });
    expect(mistake(['-x'], true)).toEqual({ code: 'HEXD_USAGE', message: 'unknown option -x' });
  });
});

describe('the programs, as a person runs them', () => {
  const run = (script: string, args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(NODE, [script, ...args], { cwd: ROOT, timeout: 30_000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stderr });
    });
  });

  it('the load tester\'s -d with no value: one line naming -d and --duration, exit 2', async () => {
    expect(await run('load/tester/main.ts', ['-d'])).toEqual({ code: 2, stderr: 'hexd-load: -d (--duration) needs a value (see --help)\n' });
  });

  it('the server\'s switch given a value: one line saying it takes none, exit 2', async () => {
    expect(await run('servers/main.ts', ['event-loop', '--no-telemetry=1'])).toEqual({ code: 2, stderr: 'hexd: --no-telemetry takes no value (see --help)\n' });
  });
});
