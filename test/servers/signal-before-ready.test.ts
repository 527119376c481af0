// The exit-status rule for signals (docs/errors.md#signals) at the server's start: a signal before its
// ready line ends it, as a shell reports with 130 or 143; once up, a signal is a clean stop (exit 0).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { killTree } from '../helpers/kill-tree.ts';
import { NODE, ROOT } from '../helpers/servers.ts';

it.each(['SIGINT', 'SIGTERM'] as const)('a %s before the ready line ends the server by that signal', async (signal) => {
  const child = spawn(NODE, ['servers/main.ts', 'event-loop', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => killTree(child));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  const exited = once(child, 'exit');
  // At once: Node has not yet loaded the server's code, let alone listened.
  child.kill(signal);
  const [code, endedBy] = await exited;
  expect({ code, endedBy, stdout }).toEqual({ code: null, endedBy: signal, stdout: '' });
});
