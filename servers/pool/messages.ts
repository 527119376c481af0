// pool's messages, typed in one place: ToWorker (event loop → a conversion thread: a job), FromWorker
// (conversion thread → event loop: its reply), and the WorkerData each thread starts with.

import type { ThreadSnapshot } from '../shared/telemetry/snapshot.ts';

/** Given to each conversion thread at start. */
export interface WorkerData {
  maxDigits: number;
  /** Send a snapshot of its figures every interval (docs/telemetry.md). */
  telemetry: boolean;
}

export interface ToWorker {
  id: number;
  /** The line's bytes, transferred, not copied. */
  line: Uint8Array;
}

export type FromWorker =
  | { type: 'reply'; id: number; reply: string }
  | { type: 'telemetry'; snapshot: ThreadSnapshot };
