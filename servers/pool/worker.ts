// One thread of the pool variant's conversion pool: it turns long lines into replies, one at a time.

import { parentPort, workerData } from 'node:worker_threads';
import { replyToLine } from '../../protocol/index.ts';
import type { PoolJob, PoolResult } from './messages.ts';

const { maxDigits } = workerData as { maxDigits: number };

parentPort!.on('message', ({ id, line }: PoolJob) => {
  const result: PoolResult = { id, reply: replyToLine(line, 0, line.length, maxDigits) };
  parentPort!.postMessage(result);
});
