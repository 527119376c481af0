// A variant's load, on a thread of its own. With thousands of clients the load tester keeps its thread
// busy flat out, and the lab's own thread must stay free to send the page a frame four times a second
// (with the load beside it, 10,000 clients on event-loop let through two a second). Each correct
// reply goes to the lab through a ReplyRing; a message stops the load.

import { parentPort, workerData } from 'node:worker_threads';
import { runLoad } from '../load/harness/run.ts';
import type { LoadOptions } from '../load/harness/load-options.ts';
import { ReplyRing } from './reply-ring.ts';

export interface LoadThreadData {
  options: LoadOptions;
  ring: SharedArrayBuffer;
}

export type FromLoadThread = { type: 'done' } | { type: 'failed'; message: string };

const { options, ring } = workerData as LoadThreadData;
const replies = new ReplyRing(ring);
const abort = new AbortController();
const port = parentPort!;
port.once('message', () => abort.abort()); // the only message: stop

const report = (message: FromLoadThread): void => {
  port.postMessage(message);
  port.close();
};
runLoad(options, { signal: abort.signal, onReply: (client, latencyMs) => replies.write(client, latencyMs) }).then(
  () => report({ type: 'done' }),
  (err: unknown) => report({ type: 'failed', message: (err as Error).message }),
);
