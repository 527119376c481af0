// A signal while the server starts: one line, no ready line, no stack, status 130 or 143 (docs/errors.md).

import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../servers/shared/options.ts';
import { HOLD_START_ENV, TEST_HOOKS_ENV } from '../../servers/shared/test-hooks.ts';
import { EXIT_SIGNALLED, OUTCOME_STATUSES } from '../../common/errors.ts';
import { NODE } from '../helpers/servers.ts';
import { Driven } from '../helpers/processes.ts';

describe.each(VARIANTS)('%s', (variant) => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s while starting: stops before the ready line with one line, exit 128 + its number', async (signal) => {
    // The hook holds the start, with the signal handling in place, until a signal comes.
    const hexd = new Driven(NODE, ['servers/main.ts', variant, '--port', '0'], {
      env: { ...process.env, [TEST_HOOKS_ENV]: '1', [HOLD_START_ENV]: '1' },
    });
    await hexd.waitFor('test hook: start held until a signal\n');
    hexd.child.kill(signal);
    expect(await hexd.exited).toBe(EXIT_SIGNALLED[signal]);
    expect(hexd.stdout).toBe('');
    expect(hexd.output).toBe(`test hook: start held until a signal\nhexd: ${signal} while starting: stopped before serving anyone\n`);
  });
});

it('the status is documented for the server', () => {
  expect(OUTCOME_STATUSES.some((row) => row.status === EXIT_SIGNALLED.SIGTERM && row.raisedBy.includes('the server'))).toBe(true);
});
