// Ending a test's child process and everything it started, so a test that fails or times out leaves
// nothing running (npm's shell and the node under it; a server's worker processes).

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { processTree } from '../../common/proc.ts';

/**
 * Kills a child and every process it started (npm's shell and the node under it), so a test that
 * fails or times out leaves nothing running. Resolves when the child has exited.
 */
export async function killTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  for (const { pid } of await processTree(child.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await exited;
}
