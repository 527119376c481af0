// The programs that start servers (bench, scenario, overhead, soak, perf), stopped by a signal sent to
// their pid alone (not Ctrl-C, which reaches the whole process group): the servers they started are
// stopped too, and they exit 130 for SIGINT or 143 for SIGTERM with one stderr line.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commandLine, processTree, readStat } from '../../../common/proc.ts';
import { killTree } from '../../helpers/kill-tree.ts';
import { NODE, ROOT } from '../../helpers/servers.ts';

const PROGRAMS = [
  { name: 'bench', signal: 'SIGTERM', args: (dir: string) => ['load/bench/main.ts', '--variants', 'event-loop', '--concurrency', '1', '-d', '60',
    '--json', join(dir, 'b.json'), '--html', join(dir, 'b.html'), '--svg', join(dir, 'b.svg')] },
  { name: 'scenario', signal: 'SIGINT', args: (dir: string) => ['load/scenario/main.ts', '--scenario', 'cpu', '--variants', 'event-loop', '-d', '60',
    '--json', join(dir, 's.json'), '--html', join(dir, 's.html')] },
  { name: 'overhead', signal: 'SIGTERM', args: (dir: string) => ['load/overhead/main.ts', '--json', join(dir, 'o.json')] },
  { name: 'soak', signal: 'SIGINT', args: () => ['load/soak/main.ts', '--minutes', '5'] },
  { name: 'perf', signal: 'SIGTERM', args: (dir: string) => ['load/perf/main.ts', '--quick', '--json', join(dir, 'p.json')] },
] as const;

const STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The pid of the first hexd server under a process. Polled: the programs print nothing when they
 * start one (the soak's first line comes only once it is ready, the others' after a whole run).
 */
async function serverUnder(pid: number): Promise<number> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    for (const { pid: child } of (await processTree(pid)).slice(1)) {
      if ((await commandLine(child)).includes('servers/main.ts')) return child;
    }
    await delay(20);
  }
  throw new Error(`no server started under ${pid} within 30 s`);
}

/** Whether a process has ended (gone, or a zombie its new parent has yet to reap). */
async function ended(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat === null || stat.state === 'Z';
}

describe('a program stopped by a signal to its pid stops the servers it started', () => {
  for (const program of PROGRAMS) {
    it(`${program.name}: ${program.signal} stops its server and exits ${STATUS[program.signal]}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'hexd-stop-'));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      const child = spawn(NODE, program.args(dir), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      onTestFinished(() => killTree(child));
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      const server = await serverUnder(child.pid!);
      onTestFinished(() => {
        try {
          process.kill(server, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      });
      child.kill(program.signal);
      const [code] = await exited;
      expect(code).toBe(STATUS[program.signal]);
      expect(stderr).toMatch(new RegExp(`^hexd-${program.name}: ${program.signal}: stopped early, with the servers it started$`, 'm'));
      // SIGKILLed before the program exited: the kill is sent, its delivery may lag by a moment.
      const deadline = performance.now() + 5_000;
      while (!(await ended(server)) && performance.now() < deadline) await delay(20);
      expect(await ended(server)).toBe(true);
    });
  }
});
