// threads' messages, typed in one place: ToWorker (main thread → a client's Worker), FromWorker
// (Worker → main thread), and the WorkerData each Worker starts with.

import type { Socket } from 'node:net';
import type { SessionSettings } from '../shared/session.ts';

/** Given to each Worker at start. */
export interface WorkerData {
  session: SessionSettings;
  verbose: boolean;
  testHooks: boolean;
  /** Started ahead as a --spare: it warms up before it waits for a client. */
  spare: boolean;
}

export type ToWorker =
  | { type: 'serve'; socket: Socket } // the socket is transferred: from now on only the worker touches it
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready' } // loaded (and, for a spare, warmed up): it no longer counts as starting
  | { type: 'answered' } // its client has had a first reply: the main thread may start a spare now
  | { type: 'done'; replies: number };
