// How every hexd command starts and ends: `--version` answered for all alike, then its status from
// main(), or one stderr line for an error raised on purpose (no stack trace), while a bug still
// crashes loudly.

import { readFileSync } from 'node:fs';
import { UsageError, exitStatusFor } from './errors.ts';

export interface EntryOptions {
  /** Exit as soon as main() settles, even if something still holds the event loop (servers). */
  exitWhenDone?: boolean;
}

/**
 * Runs a command's main() and ends the process with its status. `--version` (which every command's
 * option table accepts, common/option-table.ts) is answered here, the same way for every command.
 */
export function runEntryPoint(name: string, main: () => Promise<number>, options: EntryOptions = {}): void {
  if (asksForVersion(process.argv.slice(2))) {
    process.stdout.write(`${name} ${hexdVersion()}\n`);
    return;
  }
  const finish = (code: number): void => {
    if (options.exitWhenDone) process.exit(code);
    process.exitCode = code;
  };
  main().then(finish, (err: unknown) => {
    const status = exitStatusFor(err);
    if (status === undefined) throw err;
    const hint = err instanceof UsageError ? ' (see --help)' : '';
    process.stderr.write(`${name}: ${(err as Error).message}${hint}\n`);
    finish(status);
  });
}

/** Whether the command line asks for the version: `--version` before any `--`. */
function asksForVersion(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--version');
}

/** hexd's version, as package.json gives it. */
function hexdVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}
