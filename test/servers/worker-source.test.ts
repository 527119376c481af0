// The bundled worker script (servers/shared/worker-source.ts) is built by a process that ends: while a
// server serves, it has no child but the model's own (processes' per-client node), so a bench counts
// the model's threads and memory and nothing of esbuild's.

import { describe, expect, it } from 'vitest';
import { LineClient } from '../../common/line-client.ts';
import { commandLine, processTree } from '../../common/proc.ts';
import { spawnServer } from '../helpers/servers.ts';

/** The command lines of a process's descendants, whichever of its threads started them. */
async function descendants(pid: number): Promise<string[]> {
  const [, ...below] = await processTree(pid);
  return Promise.all(below.map(async (child) => (await commandLine(child.pid)).join(' ')));
}

describe.each(['threads', 'processes', 'pool'] as const)('%s', (variant) => {
  it('runs no helper process while it serves: its children are its clients\' processes only', async () => {
    const hexd = await spawnServer([variant, '--port', '0']);
    const client = await LineClient.connect(hexd.port);
    expect(await client.request('4312')).toBe('0x10d8'); // a worker (thread or process) built from the script serves it
    const serving = await descendants(hexd.pid);
    expect(serving.filter((line) => line.includes('esbuild')), serving.join('\n')).toEqual([]);
    expect(serving, 'no other child, not even a zombie (whose command line is empty)').toHaveLength(variant === 'processes' ? 1 : 0);
    client.end();
    await client.closed;
  });
});
