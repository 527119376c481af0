// threads' messages, typed in one place: ToWorker (main thread → a client's Worker), FromWorker
// (Worker → main thread), and the WorkerData each Worker starts with.

import type { Socket } from 'node:net';
import type { SessionSettings } from '../shared/session.ts';
import type { ThreadSnapshot } from '../shared/telemetry/snapshot.ts';

/** Given to each Worker at start. */
export interface WorkerData {
  session: SessionSettings;
  verbose: boolean;
  testHooks: boolean;
  /** Started ahead as a --spare: it warms up before it waits for a client. */
  spare: boolean;
  /** When its client leaves, it waits for the main thread's next `serve` or `exit` instead of exiting. */
  reuse: boolean;
  /** Send a snapshot of its figures every interval (docs/telemetry.md). */
  telemetry: boolean;
  /** Its slot in the process's shared --max-buffered-bytes holdings (process-holdings.ts), if one was free. */
  holdings: { buffer: SharedArrayBuffer; slot: number } | undefined;
}

export type ToWorker =
  | { type: 'serve'; socket: Socket } // the socket is transferred: from now on only the worker touches it
  | { type: 'shutdown' } // the server is closing: end the session, then exit
  | { type: 'exit' }; // a reused Worker that is not wanted any more (no client, no room among the spares)

export type FromWorker =
  | { type: 'ready' } // loaded (and, for a spare, warmed up): it no longer counts as starting
  | { type: 'answered' } // its client has had a first reply: the main thread may start a spare now
  | { type: 'done'; replies: number; staying: boolean } // staying: it waits for another client (reuse)
  | { type: 'telemetry'; snapshot: ThreadSnapshot }; // every interval, and just before `done`
