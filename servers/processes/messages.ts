// The messages between the processes server and a client's child process, typed in one place.

import type { SessionSettings } from '../shared/session.ts';

/** Parent to child. `serve` carries the client's socket as its handle. */
export type ToChild =
  | { type: 'serve'; session: SessionSettings; verbose: boolean }
  | { type: 'shutdown' };

/** Child to parent: `ready` once its listener is in place (a message sent before would be lost). */
export type FromChild = { type: 'ready' } | { type: 'done'; replies: number };
