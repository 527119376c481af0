// The sweep's old spellings of two other programs, kept for one release: `npm run bench -- --perf ...`
// runs `npm run perf`, and `npm run bench -- --scenario X ...` runs `npm run scenario`, each as a child
// process with the rest of the command line, whose exit status becomes the sweep's.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ROOT } from '../harness/peers.ts';

export interface Alias {
  /** The old spelling. */
  flag: '--perf' | '--scenario';
  /** The npm script that is now the program. */
  npmScript: 'perf' | 'scenario';
  script: string;
  /** The command line the program is given. */
  args: string[];
}

/** The program a bench command line names by its old spelling, or null for the sweep itself. */
export function aliasFor(argv: readonly string[]): Alias | null {
  // The scenario program keeps --scenario as its own option, so it is given the whole command line.
  if (argv.some((arg) => arg === '--scenario' || arg.startsWith('--scenario='))) {
    return { flag: '--scenario', npmScript: 'scenario', script: 'load/scenario/main.ts', args: [...argv] };
  }
  if (argv.includes('--perf')) {
    return { flag: '--perf', npmScript: 'perf', script: 'load/perf/main.ts', args: argv.filter((arg) => arg !== '--perf') };
  }
  return null;
}

/** The one stderr line the old spelling prints. */
export function aliasNotice(alias: Alias): string {
  return `hexd-bench: ${alias.flag} is now npm run ${alias.npmScript}; this spelling goes in the next release\n`;
}

/**
 * Runs the program with this terminal, passes SIGINT and SIGTERM on to it, and resolves with its
 * exit status (128 + the signal's number when a signal ended it).
 */
export function runAlias(alias: Alias): Promise<number> {
  const child = spawn(process.execPath, [alias.script, ...alias.args], { stdio: 'inherit', cwd: ROOT });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    const stopForwarding = (): void => {
      for (const signal of signals) process.off(signal, forward);
    };
    child.once('error', (err) => {
      stopForwarding();
      reject(err);
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
}
