// The messages between the threads server's main thread and a client's worker, typed in one place.

import type { Socket } from 'node:net';
import type { SessionSettings } from './session.ts';

/** Given to each worker at start. */
export interface ThreadWorkerData {
  session: SessionSettings;
  verbose: boolean;
  testHooks: boolean;
}

export type ToWorker =
  | { type: 'serve'; socket: Socket } // the socket is transferred: from now on only the worker touches it
  | { type: 'shutdown' };

export type FromWorker = { type: 'done'; replies: number };
