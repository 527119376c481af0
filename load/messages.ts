// The typed messages between the load tester's main thread and its workers.

import type { LoadOptions } from './options.ts';
import type { Slice } from './schedule.ts';
import type { Problem, Tally } from './tally.ts';

/** What one thread runs: a slice of the connections (global indices) and its share of -n. */
export interface SliceSpec {
  options: LoadOptions;
  slice: Slice;
  /** Closed loop with -n: the requests this slice may send. Null: no count limit. */
  budget: number | null;
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
}

export type ToWorker = { type: 'stop' };

export type FromWorker =
  | { type: 'progress'; replies: number }
  | { type: 'done'; result: SliceResult }
  | { type: 'failed'; message: string };
