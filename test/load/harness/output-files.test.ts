// Results files that cannot be written: every program says so in one usage line before its run (exit
// 2), and a write that fails anyway at the end is one line too, not a stack trace.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkOutputFiles } from '../../../load/harness/output-files.ts';
import { writeOut } from '../../../load/harness/results-page.ts';
import { killTree } from '../../helpers/kill-tree.ts';
import { NODE, ROOT } from '../../helpers/servers.ts';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hexd-out-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('checkOutputFiles', () => {
  it('accepts new files, in directories that exist or will be made', async () => {
    const dir = await tempDir();
    await expect(checkOutputFiles({ '--json': join(dir, 'a.json'), '--html': join(dir, 'new', 'deeper', 'a.html'), '--markdown': undefined, '--svg': null }))
      .resolves.toBeUndefined();
  });

  it('refuses a directory, and a path under a file, with the option and what to do', async () => {
    const dir = await tempDir();
    const file = join(dir, 'file');
    await writeFile(file, '');
    await expect(checkOutputFiles({ '--svg': dir })).rejects.toMatchObject({ code: 'HEXD_USAGE', message: `--svg ${dir} is a directory: give a file name in it, such as ${dir}/results` });
    await expect(checkOutputFiles({ '--json': join(file, 'x', 'y.json') })).rejects.toMatchObject({
      code: 'HEXD_USAGE',
      message: `--json ${join(file, 'x', 'y.json')}: ${file} is not a directory; pick a path in a directory you can write`,
    });
  });
});

describe('writeOut', () => {
  it('turns a failed write into one line that names the file (HEXD_OUTPUT_FAILED)', async () => {
    const dir = await tempDir();
    await expect(writeOut(dir, 'x')).rejects.toMatchObject({
      code: 'HEXD_OUTPUT_FAILED',
      message: `cannot write ${dir} (EISDIR): the results are printed above; free the disk or fix the path, and run again`,
    });
  });
});

/** Every program, each with one of its file options pointing at a directory (the run would take minutes). */
const PROGRAMS = [
  ['hexd-load', ['load/tester/main.ts', '--target', '127.0.0.1:1', '--json']],
  ['hexd-bench', ['load/bench/main.ts', '--svg']],
  ['hexd-scenario', ['load/scenario/main.ts', '--scenario', 'io', '--html']],
  ['hexd-perf', ['load/perf/main.ts', '--markdown']],
  ['hexd-overhead', ['load/overhead/main.ts', '--json']],
  ['hexd-soak', ['load/soak/main.ts', '--minutes', '1', '--json']],
] as const;

describe('a results path that cannot be written stops a program before its run', () => {
  for (const [name, args] of PROGRAMS) {
    it(`${name}: one usage line, exit 2`, async () => {
      const dir = await tempDir();
      const child = spawn(NODE, [...args, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      onTestFinished(() => killTree(child));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const [code] = await once(child, 'exit');
      expect(stderr).toBe(`${name}: ${args.at(-1)} ${dir} is a directory: give a file name in it, such as ${dir}/results (see --help)\n`);
      expect(stdout).toBe('');
      expect(code).toBe(2);
    });
  }
});
