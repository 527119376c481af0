// cluster, the main side (the primary): one event-loop process per CPU core on the same port, for
// when one core is not enough. Each worker binds its own socket with SO_REUSEPORT and the kernel
// spreads new connections across them by hash (better balanced than one shared accept queue). The
// first worker picks the port (with --port 0) and the rest join it. The primary only starts,
// watches and stops them.

import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ListenError } from '../../common/errors.ts';
import type { HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import type { FromWorker, ToWorker } from './messages.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

export function createClusterServer(options: ServerOptions, processCount = availableParallelism()): HexServer {
  const workers = new Set<Worker>();
  let closing: Promise<void> | undefined;
  // Each worker enforces its share of --max-clients.
  const perWorker: ServerOptions = {
    ...options,
    maxClients: options.maxClients === 0 ? 0 : Math.ceil(options.maxClients / processCount),
  };

  async function startWorker(port: number, sharePort: 'claim' | 'join'): Promise<AddressInfo> {
    cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], execArgv: [], silent: false });
    const worker = cluster.fork({
      HEXD_CLUSTER_OPTIONS: JSON.stringify({ ...perWorker, port }),
      HEXD_CLUSTER_SHARE_PORT: sharePort,
    });
    workers.add(worker);
    worker.once('exit', () => workers.delete(worker));
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'exit').then(([code]) => {
        throw new Error(`cluster worker exited with ${code} before listening`);
      }),
    ])) as [FromWorker];
    if (message.type === 'listen-failed') throw new ListenError(message.code, message.message);
    return { address: message.address, port: message.port, family: message.address.includes(':') ? 'IPv6' : 'IPv4' };
  }

  return {
    variant: 'cluster',
    options,
    get connections() {
      return workers.size; // processes, not clients: the primary does not see connections
    },
    untilConnections() {
      return Promise.reject(new Error('the cluster primary does not count connections'));
    },
    async listen() {
      try {
        const first = await startWorker(options.port, 'claim');
        await Promise.all(Array.from({ length: processCount - 1 }, () => startWorker(first.port, 'join')));
        return first;
      } catch (err) {
        for (const worker of workers) worker.process.kill('SIGKILL'); // none of them serves without the rest
        throw err;
      }
    },
    close() {
      closing ??= Promise.all(Array.from(workers, async (worker) => {
        const exited = once(worker, 'exit');
        const shutdown: ToWorker = { type: 'shutdown' };
        if (worker.isConnected()) worker.send(shutdown);
        const deadline = setTimeout(() => worker.process.kill('SIGKILL'), options.shutdownTimeoutMs + 1000);
        await exited;
        clearTimeout(deadline);
      })).then(() => undefined);
      return closing;
    },
  };
}
