// cluster, the worker side: what runs in each cluster worker process, the event-loop server on the
// shared port, until told to stop.

import { createEventLoopServer } from '../event-loop/server.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import type { ServerOptions } from '../shared/options.ts';

const options = JSON.parse(process.env.HEXD_CLUSTER_OPTIONS ?? '') as ServerOptions;
const sharePort = process.env.HEXD_CLUSTER_SHARE_PORT === 'claim' ? 'claim' : 'join';
const server = createEventLoopServer(options, { sharePort, servedBy: `process ${process.pid}` });

function send(message: FromWorker): void {
  process.send?.(message);
}

const address = await server.listen();
send({ type: 'listening', port: address.port, address: address.address });
process.on('message', (message: ToWorker) => {
  if (message.type !== 'shutdown') return;
  void server.close().then(() => process.disconnect?.());
});
