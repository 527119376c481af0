// cluster's messages, typed in one place: ToWorker (primary → a worker process) and FromWorker
// (worker process → primary).

import type { ListenError } from '../../common/errors.ts';
import type { ThreadSnapshot } from '../shared/telemetry/snapshot.ts';

export type ToWorker = { type: 'shutdown' };
export type FromWorker =
  | { type: 'listening'; port: number; address: string }
  /** An ordinary start error (port in use, not an address here), for the primary to report as its own. */
  | { type: 'listen-failed'; code: ListenError['code']; message: string }
  /** Every interval once listening: the primary holds them and answers /stats (docs/telemetry.md). */
  | { type: 'telemetry'; snapshot: ThreadSnapshot };
