// How every hexd command ends: its status from main(), or one stderr line for an error raised on
// purpose (no stack trace), while a bug still crashes loudly.

import { UsageError, exitStatusFor } from './errors.ts';

export interface EntryOptions {
  /** Exit as soon as main() settles, even if something still holds the event loop (servers). */
  exitWhenDone?: boolean;
}

export function runEntryPoint(name: string, main: () => Promise<number>, options: EntryOptions = {}): void {
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
