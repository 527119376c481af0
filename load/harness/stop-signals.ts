// What a program that starts servers does on SIGINT or SIGTERM sent to it: stop every server it
// started, and exit with the signal's status (common/errors.ts). Ctrl-C in a terminal reaches the
// servers too, but `kill <pid>` reaches this process alone, and would otherwise leave them running.

import { EXIT_SIGNALLED } from '../../common/errors.ts';
import { killStartedServers } from './server-process.ts';

export type StopSignal = keyof typeof EXIT_SIGNALLED;

const STOP_SIGNALS = Object.keys(EXIT_SIGNALLED) as StopSignal[];

/**
 * Calls back on the first SIGINT or SIGTERM only; a second one then ends the process at once, as
 * Node does by default, for a program whose stopping hangs.
 */
export function onFirstStopSignal(stop: (signal: StopSignal) => void): void {
  const first = (signal: StopSignal): void => {
    for (const other of STOP_SIGNALS) process.off(other, first);
    stop(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, first);
}

/**
 * However this process ends, no server it started is left behind: on exit, and on SIGINT or SIGTERM
 * (which would otherwise end it without an 'exit' event), after which it exits 130 or 143 with one line.
 */
export function stopServersOnSignal(programName: string): void {
  process.once('exit', killStartedServers);
  onFirstStopSignal((signal) => {
    killStartedServers();
    process.stderr.write(`${programName}: ${signal}: stopped early, with the servers it started\n`);
    process.exit(EXIT_SIGNALLED[signal]);
  });
}
