// The errors hexd's commands raise on purpose, each with a stable code; tests check codes, not wording.

/** A mistake on the command line: the entry point prints the message alone and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'HEXD_USAGE';
}

/** The server could not listen: the entry point prints the message alone and exits 1. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  readonly code: 'HEXD_PORT_IN_USE' | 'HEXD_LISTEN_FAILED';

  constructor(code: ListenError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** The server could not be reached, or dropped us: the entry point prints the message alone and exits 2. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly code = 'HEXD_CONNECTION';
}

/** The exit status for an error raised on purpose, or undefined for a bug (which should crash loudly). */
export function exitStatusFor(err: unknown): number | undefined {
  if (err instanceof UsageError || err instanceof ConnectionError) return 2;
  if (err instanceof ListenError) return 1;
  return undefined;
}
