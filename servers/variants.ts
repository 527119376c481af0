// Every variant by name, for the command line, the tests and the benchmarks.

import type { HexServer } from './shared/hex-server.ts';
import type { ServerOptions, Variant } from './shared/options.ts';
import { createBlockingServer } from './blocking/server.ts';
import { createThreadsServer } from './threads/server.ts';
import { createEventLoopServer } from './event-loop/server.ts';
import { createProcessesServer } from './processes/server.ts';
import { createClusterServer } from './cluster/server.ts';
import { createPoolServer } from './pool/server.ts';

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
