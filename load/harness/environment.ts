// What a benchmark report records about where and how it ran, so its numbers can be read fairly.

import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Environment {
  node: string;
  python: string | null;
  cpuModel: string;
  cpus: number;
  platform: string;
  /** The git commit of the code measured, `-dirty` when the tree had changes; `unknown` without git. */
  commit: string;
  /** The command that produced the report. */
  command: string;
  date: string;
}

function gitCommit(cwd: string): string {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short=12', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}

/**
 * How the user ran it: `npm run bench -- ARGS` under one of the program's npm scripts, `node
 * load/bench/main.ts ARGS` otherwise.
 */
export function commandLine(script: string, npmScripts: string | readonly string[], argv: readonly string[]): string {
  const args = argv.map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
  const event = process.env.npm_lifecycle_event;
  const viaNpm = event !== undefined && ([] as string[]).concat(npmScripts).includes(event);
  const base = viaNpm ? `npm run ${event}${args === '' ? '' : ' --'}` : `node ${script}`;
  return args === '' ? base : `${base} ${args}`;
}

export function describeEnvironment(options: { cwd: string; command: string; python: string | null }): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    python: options.python,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: gitCommit(options.cwd),
    command: options.command,
    date: new Date().toISOString(),
  };
}
