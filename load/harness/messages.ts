// The typed messages between the load tester's main thread and its workers.

import type { PreparedMix } from './mix.ts';
import type { LoadOptions } from './load-options.ts';
import type { Slice } from './schedule.ts';
import type { Problem, Tally } from './tally.ts';

/** What one thread runs: a slice of the connections (global indices) and its share of -n. */
export interface SliceSpec {
  options: LoadOptions;
  slice: Slice;
  /** Closed loop with -n: the requests this slice may send. Null: no count limit. */
  budget: number | null;
  /** --mix: the big numbers and their replies, computed once by the main thread. */
  mix?: PreparedMix | null;
}

/** One kind of request of a --mix run (light, or one entry's big numbers), as one thread saw it. */
interface ClassResult {
  /** Encoded latency histogram of its correct replies, microseconds. */
  latencyHdr: string;
  /** Replies that were wrong or unexpected errors. */
  notOk: number;
}

/** What one thread found: counters, and histograms encoded for merging. */
export interface SliceResult {
  tally: Tally;
  /** Encoded latency histogram, microseconds, correct replies only. */
  latencyHdr: string;
  /** Encoded connect-time histogram, microseconds. */
  connectHdr: string;
  /** Correct replies per connection of the slice, in order. */
  okPerClient: number[];
  problems: Problem[];
  elapsedMs: number;
  /** --mix only: by kind of request, light first. */
  classes?: ClassResult[] | null;
}

export type ToWorker = { type: 'stop' };

export type FromWorker =
  | { type: 'progress'; replies: number }
  | { type: 'measuring' }
  | { type: 'done'; result: SliceResult }
  | { type: 'failed'; message: string };
