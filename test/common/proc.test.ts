// common/proc.ts against this test process and a child it spawns: each read is checked against what
// Node itself knows (pids, thread counts, open sockets) rather than against fixed numbers.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  childPids,
  commandLine,
  fdCount,
  listPids,
  listeningAddresses,
  parseStat,
  parseStatus,
  procAvailable,
  processTree,
  pssKb,
  readStat,
  readStatus,
  readStatusSync,
  readThreadStats,
  rssKb,
  statUnits,
} from '../../common/proc.ts';

const GONE = 2 ** 30; // above pid_max: never a process

describe('parseStat', () => {
  it('reads the fields after a command name holding spaces and parentheses', () => {
    // Fields 3..24 of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
    const text = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 123 1000000 3000 18446744073709551615';
    expect(parseStat(text)).toEqual({ pid: 4242, state: 'S', ppid: 17, cpuTicks: 300, nice: 0, threads: 9, rssPages: 3000 });
  });

  it('reads a negative nice', () => {
    const text = '7 (x) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 10 -10 1 0 5 100 20';
    expect(parseStat(text)).toMatchObject({ state: 'R', nice: -10, cpuTicks: 3, rssPages: 20 });
  });
});

describe('parseStatus', () => {
  it('reads state, parent, threads, VmRSS and the allowed CPUs', () => {
    const text = 'Name:\tnode\nState:\tS (sleeping)\nPid:\t4242\nPPid:\t17\nVmRSS:\t   51234 kB\nThreads:\t11\nCpus_allowed_list:\t0-3,6\n';
    expect(parseStatus(text)).toEqual({ state: 'S', ppid: 17, threads: 11, vmRssKb: 51234, cpusAllowedList: '0-3,6' });
  });

  it('gives a zombie no VmRSS, and is null for what is not a status file', () => {
    expect(parseStatus('State:\tZ (zombie)\nPPid:\t1\nThreads:\t1\n')).toEqual({ state: 'Z', ppid: 1, threads: 1, vmRssKb: null, cpusAllowedList: null });
    expect(parseStatus('')).toBeNull();
  });
});

describe.runIf(procAvailable())('reading this process', () => {
  it('reads its stat and status', async () => {
    const stat = await readStat(process.pid);
    expect(stat).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(stat!.threads).toBeGreaterThanOrEqual(1);
    expect(stat!.rssPages).toBeGreaterThan(0);
    expect(await readStat('self')).toMatchObject({ pid: process.pid });

    const status = await readStatus(process.pid);
    expect(status).toMatchObject({ ppid: process.ppid, state: expect.stringMatching(/^[RS]$/) });
    expect(status!.threads).toBe(stat!.threads);
    expect(status!.vmRssKb).toBeGreaterThan(10_000);
    expect(status!.cpusAllowedList).toMatch(/^[\d,-]+$/);
    expect(readStatusSync('self')).toMatchObject({ ppid: process.ppid });
  });

  it('reads this process\'s memory from /proc', () => {
    expect(rssKb()).toBeGreaterThan(10_000);
    expect(pssKb()).toBeGreaterThan(0);
    expect(rssKb(GONE)).toBeNull();
  });

  it('lists one stat per thread', async () => {
    const threads = await readThreadStats('self');
    expect(threads.length).toBe((await readStat('self'))!.threads);
    expect(threads.every((t) => Number.isInteger(t.nice))).toBe(true);
  });

  it('counts its open file descriptors: one more while a socket is open', async () => {
    const before = await fdCount(process.pid);
    expect(before).toBeGreaterThanOrEqual(3);
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    expect(await fdCount('self')).toBe(before + 1);
    const { port } = server.address() as net.AddressInfo;
    expect(await listeningAddresses(port)).toEqual(['127.0.0.1']);
    server.close();
    await once(server, 'close');
    expect(await listeningAddresses(port)).toEqual([]);
  });

  it('knows the units of stat', () => {
    const { ticksPerSec, pageBytes } = statUnits();
    expect(ticksPerSec).toBeGreaterThan(0);
    expect(pageBytes % 1024).toBe(0);
  });

  it('reads its command line', async () => {
    const line = await commandLine(process.pid);
    const args = process.argv.slice(1); // after the executable, whose spelling may differ
    expect(line.slice(line.length - args.length)).toEqual(args);
    expect(line.length).toBeGreaterThan(args.length);
  });

  it('says nothing of a process that is gone', async () => {
    expect(await readStat(GONE)).toBeNull();
    expect(await readStatus(GONE)).toBeNull();
    expect(readStatusSync(GONE)).toBeNull();
    expect(pssKb(GONE)).toBeNull();
    expect(await readThreadStats(GONE)).toEqual([]);
    expect(await processTree(GONE)).toEqual([]);
    expect(await childPids(GONE)).toEqual([]);
    expect(await fdCount(GONE)).toBe(0);
    expect(await commandLine(GONE)).toEqual([]);
  });
});

describe.runIf(procAvailable())('reading a spawned child', () => {
  it('finds it among the processes, the children and the tree, reads it, and loses it once it exits', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)', 'marker'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = once(child, 'exit');
    onTestFinished(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    await once(child.stdout, 'data');
    const pid = child.pid!;

    expect(await listPids()).toContain(pid);
    expect(await childPids(process.pid)).toContain(pid);
    const tree = await processTree(process.pid);
    expect(tree[0]!.pid).toBe(process.pid);
    expect(tree.find((s) => s.pid === pid)).toMatchObject({ ppid: process.pid });

    expect(await readStat(pid)).toMatchObject({ pid, ppid: process.pid });
    expect((await readStatus(pid))!.threads).toBeGreaterThanOrEqual(1);
    expect(rssKb(pid)).toBeGreaterThan(1_000);
    expect(await fdCount(pid)).toBeGreaterThanOrEqual(3);
    expect(await commandLine(pid)).toEqual([process.execPath, '-e', expect.stringContaining('setInterval'), 'marker']);
    expect((await processTree(pid)).map((s) => s.pid)).toEqual([pid]);

    child.kill('SIGKILL');
    await exited; // reaped: its /proc entry is gone
    expect(await readStat(pid)).toBeNull();
    expect(await childPids(process.pid)).not.toContain(pid);
  });
});
