// pool, the worker side: what runs in each thread of the conversion pool. It turns long lines into
// replies, one at a time.

import { parentPort, threadId, workerData } from 'node:worker_threads';
import { replyToLine } from '../../protocol/index.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { threadCounters } from '../shared/telemetry/counters.ts';
import { reportPeriodically } from '../shared/telemetry/thread-monitor.ts';

const { maxDigits, telemetry } = workerData as WorkerData;

parentPort!.on('message', ({ id, line }: ToWorker) => {
  const result: FromWorker = { type: 'reply', id, reply: replyToLine(line, 0, line.length, maxDigits) };
  threadCounters.conversions++;
  threadCounters.bytesIn += line.length;
  parentPort!.postMessage(result);
});

if (telemetry) {
  reportPeriodically('pool', `thread ${threadId}`, false, (snapshot) => {
    const message: FromWorker = { type: 'telemetry', snapshot };
    parentPort!.postMessage(message);
  });
}
