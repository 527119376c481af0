// This thread's counters: plain numbers that the session bumps in its hot path (no allocation, no
// event, no lock). One object per thread: each Worker and child process has its own module instance.

export interface ThreadCounters {
  connectionsOpen: number;
  connectionsTotal: number;
  /** Replies written, error replies included (HTTP replies count one each). */
  replies: number;
  /** Replies that were `error: ...` lines. */
  errorReplies: number;
  /** Bytes read from clients' sockets. */
  bytesIn: number;
  /** Bytes of replies handed to clients' sockets (line protocol only). */
  bytesOut: number;
  /** pool's conversion threads: lines converted for the event loop. */
  conversions: number;
}

export const threadCounters: ThreadCounters = {
  connectionsOpen: 0,
  connectionsTotal: 0,
  replies: 0,
  errorReplies: 0,
  bytesIn: 0,
  bytesOut: 0,
  conversions: 0,
};

/** Back to zero: a spare's warm-up session served itself, not a client. */
export function resetThreadCounters(): void {
  for (const key of Object.keys(threadCounters) as (keyof ThreadCounters)[]) threadCounters[key] = 0;
}
