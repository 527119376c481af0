// pool, the worker side: what runs in each thread of the conversion pool. It turns long lines into
// replies, one at a time.

import { parentPort, workerData } from 'node:worker_threads';
import { replyToLine } from '../../protocol/index.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';

const { maxDigits } = workerData as WorkerData;

parentPort!.on('message', ({ id, line }: ToWorker) => {
  const result: FromWorker = { id, reply: replyToLine(line, 0, line.length, maxDigits) };
  parentPort!.postMessage(result);
});
