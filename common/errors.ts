// The errors hexd's commands raise on purpose, each with a stable code, and the one table that maps a
// code to its exit status: the entry point (common/entry.ts) reads it, and the docs render it.
// Tests check codes, not wording.

import { markdownTable } from './markdown.ts';

/** Every code a command can end with, its exit status, and what it means. */
export const ERROR_CODES = [
  { code: 'HEXD_USAGE', status: 2, raisedBy: 'every command', meaning: 'a mistake on the command line: an unknown option, a missing value, a number out of range; the line ends with `(see --help)`' },
  { code: 'HEXD_CONNECTION', status: 2, raisedBy: 'the client, and the load tester before it starts', meaning: 'the server could not be reached, reset the connection, or closed it before the client was done (the server stopped, or dropped the client)' },
  { code: 'HEXD_PORT_IN_USE', status: 1, raisedBy: 'the server', meaning: 'something (perhaps another hexd) already holds the port' },
  { code: 'HEXD_LISTEN_FAILED', status: 1, raisedBy: 'the server', meaning: 'the server could not listen for another reason: not an address of this machine, a host name it cannot resolve, a privileged port' },
  { code: 'HEXD_BENCH_SERVER_START', status: 1, raisedBy: 'the benchmark programs', meaning: 'a server they started printed no ready line: it timed out, printed something else, or exited' },
  { code: 'HEXD_LOAD_WORKER_FAILED', status: 1, raisedBy: 'the load tester and the programs that run it', meaning: 'a load worker thread failed or did not report; the line says what it reported' },
  { code: 'HEXD_FLEET_SETUP', status: 1, raisedBy: 'fleet', meaning: 'the fleet could not start: network namespaces could not be made (not root: use --loopback), its subnet is in use, haproxy is missing, or a backend did not pass its health checks; everything it had created is removed' },
  { code: 'HEXD_OUTPUT_FAILED', status: 1, raisedBy: 'load, bench, scenario, perf, overhead, soak', meaning: 'a results file could not be written at the end (a full disk, a directory removed during the run); the line names the file, and the results are printed above it' },
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number]['code'];

/**
 * Stopped early by a signal: 128 + the signal's number, as a shell reports a program the signal ends,
 * whether the program ends itself after cleaning up (load/harness/stop-signals.ts) or the signal ends it.
 */
export const EXIT_SIGNALLED = { SIGINT: 130, SIGTERM: 143 } as const;
const SIGNALLED_FROM = 'client, load, bench, scenario, perf, overhead, soak, lab, fleet; the server before its ready line';
const SIGNALLED_WHAT = 'before its end, after stopping the servers it started (the load tester still prints and writes the results so far); a server that is up exits 0 on a signal, its normal way to stop';

/** The statuses commands return on their own, without an error. */
export const OUTCOME_STATUSES = [
  { status: 0, raisedBy: 'every command', meaning: 'done, and every check passed' },
  { status: 1, raisedBy: 'client, load, bench, scenario, perf, soak, fleet', meaning: 'the command ran to its end and found a failure (a wrong or `error: ` reply, a failed connection, a failed target); its results are still printed and written' },
  { status: EXIT_SIGNALLED.SIGINT, raisedBy: SIGNALLED_FROM, meaning: `stopped by SIGINT (Ctrl-C) ${SIGNALLED_WHAT}` },
  { status: EXIT_SIGNALLED.SIGTERM, raisedBy: SIGNALLED_FROM, meaning: 'as 130, for SIGTERM (`kill PID`)' },
] as const;

/** A mistake on the command line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'HEXD_USAGE' satisfies ErrorCode;
}

/** The server could not listen. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly code: Extract<ErrorCode, 'HEXD_PORT_IN_USE' | 'HEXD_LISTEN_FAILED'>;

  constructor(code: ListenError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** The server could not be reached, or dropped us. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly code = 'HEXD_CONNECTION' satisfies ErrorCode;
}

/** The exit status for an error raised on purpose (an Error whose code is in the table), or undefined for a bug, which should crash loudly. */
export function exitStatusFor(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  return ERROR_CODES.find((row) => row.code === code)?.status;
}

/** The docs' table of exit statuses: every status a command can end with, by code. */
export function renderExitStatusMarkdown(): string {
  const rows = [...OUTCOME_STATUSES.map((row) => ({ ...row, code: '' })), ...ERROR_CODES].sort((a, b) => a.status - b.status);
  return markdownTable(['status', 'code', 'from', 'meaning'], rows.map((row) =>
    [String(row.status), row.code === '' ? '—' : `\`${row.code}\``, row.raisedBy, row.meaning]));
}
