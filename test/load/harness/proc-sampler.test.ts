import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ProcSampler, cpuPercentBetween, parseStat, procAvailable, readTree, sampleTree } from '../../../load/harness/proc-sampler.ts';

describe('parseStat', () => {
  it('reads the fields after a command name holding spaces and parentheses', () => {
    // Fields 3..24 of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
    const text = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 123 1000000 3000 18446744073709551615';
    expect(parseStat(text)).toEqual({ pid: 4242, ppid: 17, cpuTicks: 300, threads: 9, rssPages: 3000 });
  });
});

describe('cpuPercentBetween', () => {
  it('is CPU seconds over wall seconds, 100 per busy core', () => {
    const at = (atMs: number, cpuSec: number) => ({ atMs, cpuSec, processes: 1, rssKb: 0, threads: 1 });
    expect(cpuPercentBetween(at(0, 1), at(2000, 4))).toBe(150);
    expect(cpuPercentBetween(at(5, 1), at(5, 2))).toBe(0);
  });
});

describe.runIf(procAvailable())('sampling /proc', () => {
  it('samples this process', async () => {
    const sample = await sampleTree(process.pid);
    expect(sample).not.toBeNull();
    expect(sample!.rssKb).toBeGreaterThan(1000);
    expect(sample!.threads).toBeGreaterThanOrEqual(1);
    expect(await sampleTree(2 ** 30)).toBeNull();
  });

  it('includes descendants, and keeps peaks', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await once(child.stdout!, 'data');
    const tree = await readTree(process.pid);
    expect(tree[0]!.pid).toBe(process.pid);
    expect(tree.map((s) => s.pid)).toContain(child.pid);

    const sampler = new ProcSampler(process.pid, 20);
    await sampler.start();
    const summary = await sampler.stop();
    expect(summary.samples).toBeGreaterThanOrEqual(2);
    expect(summary.peakProcesses).toBeGreaterThanOrEqual(2);
    expect(summary.peakRssKb).toBeGreaterThan(1000);
  });
});
