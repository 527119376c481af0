// Hardening: cluster's primary replaces a worker that dies, after a wait that grows, so clients are
// served again; once workers have died more than RESTART_LIMIT times in a minute it exits 1 with one
// line saying why. Attacks the real server process: its worker processes are killed with SIGKILL.

import { expect, it } from 'vitest';
import { processTree } from '../../common/proc.ts';
import { LineClient } from '../../common/line-client.ts';
import { spawnServer } from '../helpers/servers.ts';
import { RESTART_LIMIT } from '../../servers/cluster/server.ts';
import { settleUsage } from '../helpers/proc.ts';

async function workerPids(primary: number): Promise<number[]> {
  return (await processTree(primary)).map(({ pid }) => pid).filter((pid) => pid !== primary);
}

it('cluster: a killed worker is replaced and clients are served; past the restart limit the primary exits 1 with one line', async ({ annotate }) => {
  const hexd = await spawnServer(['cluster', '--port', '0', '--verbose']);
  const first = await workerPids(hexd.pid);
  expect(first.length).toBeGreaterThan(0);

  process.kill(first[0]!, 'SIGKILL');
  await hexd.stderrLine(new RegExp(`^cluster worker ${first[0]} died by signal SIGKILL; replacing it in \\d+ ms`));
  const replaced = await settleUsage(hexd.pid, (usage) => usage.processes === first.length + 1, { timeoutMs: 10_000 });
  expect(replaced.processes).toBe(first.length + 1);
  for (let i = 0; i < 4; i++) {
    const client = await LineClient.connect(hexd.port);
    expect(await client.request('4312')).toBe('0x10d8');
    client.end();
    await client.closed;
  }

  // Kill a worker at a time, each as soon as the last death is seen, until the primary gives up.
  const started = performance.now();
  let kills = 1;
  while (hexd.child.exitCode === null) {
    const target = (await workerPids(hexd.pid).catch(() => []))[0];
    if (target === undefined) {
      // Between a death and its replacement: wait for the replacement (or the primary's exit).
      await Promise.race([settleUsage(hexd.pid, (usage) => usage.processes > 1, { timeoutMs: 10_000 }).catch(() => undefined), hexd.exited]);
      continue;
    }
    process.kill(target, 'SIGKILL');
    kills++;
    await Promise.race([hexd.stderrLine(new RegExp(`^cluster worker ${target} died`)), hexd.exited]);
  }
  const code = await hexd.exited;
  const said = hexd.stderr.filter((line) => line.startsWith('hexd: '));
  await annotate(`exit ${code} after ${kills} kills in ${(performance.now() - started).toFixed(0)} ms: ${said.join(' | ')}`);
  expect(code).toBe(1);
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(new RegExp(`^hexd: cluster: ${RESTART_LIMIT + 1} workers died within 60 s \\(the last, pid \\d+, by signal SIGKILL\\); giving up$`));
});
