// Every variant by name, for the command line, the tests and the benchmarks.

import type { HexServer } from './hex-server.ts';
import type { ServerOptions, Variant } from './options.ts';
import { createBlockingServer } from './blocking.ts';
import { createThreadsServer } from './threads.ts';
import { createEventLoopServer } from './event-loop.ts';
import { createProcessesServer } from './processes.ts';
import { createClusterServer } from './cluster.ts';
import { createPoolServer } from './pool.ts';

const factories: Record<Variant, (options: ServerOptions) => HexServer> = {
  blocking: createBlockingServer,
  threads: createThreadsServer,
  'event-loop': (options) => createEventLoopServer(options),
  processes: createProcessesServer,
  cluster: (options) => createClusterServer(options),
  pool: createPoolServer,
};

export function createServer(variant: Variant, options: ServerOptions): HexServer {
  return factories[variant](options);
}
