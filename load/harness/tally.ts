// What happened to the requests of a run, counted apart; one per thread, added up at the end.

export interface Tally {
  /** Replies that were the right answer. */
  ok: number;
  /** Replies that were not the right answer (and not an `error: ` line), or came with nothing asked. */
  wrong: number;
  /** `error: ` replies where none was due. */
  errors: number;
  /** Requests that had no reply within --timeout-ms (with the rest in flight on that connection). */
  timeouts: number;
  /** Requests lost because the server closed the connection while they were in flight. */
  dropped: number;
  /** Connection attempts refused, reset or not completed within --timeout-ms. */
  connectFailed: number;
  /** Requests written. */
  sent: number;
  /**
   * Requests sent again on a new connection: the server's goodbye (`error: shutting down`, a graceful
   * close) said it had read none of them. Not failures: each is answered on the new connection.
   */
  resent: number;
  /** Requests still in flight when the run ended (not counted as failures). */
  unfinished: number;
  /** Open loop only: requests that were due but could not leave (the --pipeline window was full). */
  unsent: number;
  /** Connections opened, reconnections included. */
  connects: number;
}

export function emptyTally(): Tally {
  return { ok: 0, wrong: 0, errors: 0, timeouts: 0, dropped: 0, connectFailed: 0, sent: 0, resent: 0, unfinished: 0, unsent: 0, connects: 0 };
}

export function addTally(into: Tally, from: Tally): Tally {
  for (const key of Object.keys(into) as (keyof Tally)[]) into[key] += from[key];
  return into;
}

/**
 * Forgets what the warm-up saw of requests and replies. Connection counts stay: a connect that
 * failed during the warm-up still fails the run.
 */
export function resetRequestCounters(tally: Tally): void {
  tally.ok = 0;
  tally.wrong = 0;
  tally.errors = 0;
  tally.timeouts = 0;
  tally.dropped = 0;
  tally.sent = 0;
  tally.resent = 0;
}

/** Every reply the server sent, right or not. */
export function repliesOf(tally: Tally): number {
  return tally.ok + tally.wrong + tally.errors;
}

/** A wrong reply as seen, kept for the report (a few per run at most). */
export interface Problem {
  kind: 'wrong' | 'error';
  /** The request line, without its LF; null for a reply that came with nothing in flight. */
  request: string | null;
  expected: string | null;
  got: string;
}

export const MAX_PROBLEMS = 5;
