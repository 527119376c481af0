// processes' messages, typed in one place: ToWorker (server → a client's child process) and FromWorker
// (child process → server).

import type { SessionSettings } from '../shared/session.ts';

/** Server to child. `serve` carries the client's socket as its handle. */
export type ToWorker =
  | { type: 'serve'; session: SessionSettings; verbose: boolean }
  | { type: 'shutdown' };

/** Child to server: `ready` once its listener is in place (a message sent before would be lost). */
export type FromWorker = { type: 'ready' } | { type: 'done'; replies: number };
