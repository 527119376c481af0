// cluster, the worker side: what runs in each cluster worker process, the event-loop server on the
// shared port, until told to stop.

import { createEventLoopServer } from '../event-loop/server.ts';
import { ListenError } from '../../common/errors.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import type { ServerOptions } from '../shared/options.ts';
import { reportPeriodically } from '../shared/telemetry/thread-monitor.ts';

const options = JSON.parse(process.env.HEXD_CLUSTER_OPTIONS ?? '') as ServerOptions;
const sharePort = process.env.HEXD_CLUSTER_SHARE_PORT === 'claim' ? 'claim' : 'join';
const server = createEventLoopServer(options, { sharePort, servedBy: `process ${process.pid}` });

function send(message: FromWorker): void {
  process.send?.(message);
}

try {
  const address = await server.listen();
  send({ type: 'listening', port: address.port, address: address.address });
  if (options.telemetry) reportPeriodically('cluster-worker', `process ${process.pid}`, true, (snapshot) => send({ type: 'telemetry', snapshot }));
  process.on('message', (message: ToWorker) => {
    if (message.type !== 'shutdown') return;
    void server.close().then(() => process.disconnect?.());
  });
} catch (err) {
  if (!(err instanceof ListenError)) throw err;
  // The primary prints it, once, as every variant does; this process just ends.
  process.exitCode = 1;
  process.send?.({ type: 'listen-failed', code: err.code, message: err.message } satisfies FromWorker, () => process.disconnect?.());
}
