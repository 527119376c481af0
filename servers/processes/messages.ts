// processes' messages, typed in one place: ToWorker (server → a client's child process) and FromWorker
// (child process → server).

import type { SessionSettings } from '../shared/session.ts';
import type { ThreadSnapshot } from '../shared/telemetry/snapshot.ts';

/**
 * Server to child. `serve` carries the client's socket as its handle, and `head`, the bytes the server
 * already read from it while it waited its turn.
 */
export type ToWorker =
  | { type: 'serve'; session: SessionSettings; verbose: boolean; telemetry: boolean; head?: Uint8Array | undefined }
  | { type: 'shutdown' };

/** Child to server: `ready` once its listener is in place (a message sent before would be lost). */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; replies: number }
  /** Every interval while it serves, and just before `done`. */
  | { type: 'telemetry'; snapshot: ThreadSnapshot };
