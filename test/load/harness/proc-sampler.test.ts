import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ProcSampler, cpuPercentBetween, sampleTree } from '../../../load/harness/proc-sampler.ts';
import { procAvailable, processTree } from '../../../common/proc.ts';

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
    await once(child.stdout, 'data');
    const tree = await processTree(process.pid);
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
