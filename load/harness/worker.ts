// A load worker thread: runs its slice of the connections and posts the result back.

import { parentPort, workerData } from 'node:worker_threads';
import { runSlice } from './slice.ts';
import type { FromWorker, SliceSpec, ToWorker } from './messages.ts';

const port = parentPort!;
const stop = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stop.abort();
});
port.unref(); // after on(), which refs it: sockets and timers keep this thread alive while it runs, and no longer

const post = (message: FromWorker): void => port.postMessage(message);

runSlice(workerData as SliceSpec, {
  signal: stop.signal,
  onProgress: (replies) => post({ type: 'progress', replies }),
  onMeasuring: () => post({ type: 'measuring' }),
}).then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
);
