// `npm run fleet`'s command line, parsed directly.

import { describe, expect, it } from 'vitest';
import { parseFleetCommand } from '../../fleet/options.ts';

function run(...argv: string[]) {
  const command = parseFleetCommand(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.options;
}

describe('parseFleetCommand', () => {
  it('serves 2 event-loop backends by default, on a free port', () => {
    expect(run()).toEqual({ backends: 2, variant: 'event-loop', port: 0, loopback: false, bench: false, faults: false, durationSec: 3, json: 'reports/fleet.json', markdown: undefined });
  });

  it('reads every option; --bench runs 4 backends, --faults at least 2', () => {
    expect(run('-n', '8', '--variant', 'cluster', '--port', '4400', '--loopback')).toMatchObject({ backends: 8, variant: 'cluster', port: 4400, loopback: true });
    expect(run('--bench', '-d', '2', '--markdown', 'x.md')).toMatchObject({ bench: true, faults: false, backends: 4, durationSec: 2, markdown: 'x.md' });
    expect(run('--faults', '-n', '1')).toMatchObject({ bench: false, faults: true, backends: 2 });
    expect(run('--bench', '--faults')).toMatchObject({ bench: true, faults: true, backends: 4 });
  });

  it.each([
    [['--variant', 'blocking']],
    [['-n', '0']],
    [['-n', '9']],
  ])('refuses %j', (argv) => {
    expect(() => parseFleetCommand(argv)).toThrow(expect.objectContaining({ code: 'HEXD_USAGE' }));
  });

  it('answers --help', () => {
    const command = parseFleetCommand(['--help']);
    expect(command.kind === 'help' && command.text).toMatch(/^usage: npm run fleet/);
  });
});
