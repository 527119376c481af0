// A fleet's hexd backends: one server process per host, bound to that host's address, reading the
// PROXY v2 header HAProxy sends (--proxy-protocol).

import { startServerProcess, type ServerProcess } from '../load/harness/server-process.ts';
import { ROOT } from '../load/harness/peers.ts';
import type { Variant } from '../servers/shared/options.ts';
import type { Hosts } from './hosts.ts';

/** Every variant but blocking: it serves one client at a time, so a health check would wait behind a client. */
export const FLEET_VARIANTS = ['threads', 'event-loop', 'processes', 'cluster', 'pool'] as const satisfies readonly Variant[];
export type FleetVariant = (typeof FLEET_VARIANTS)[number];

/** The port in a namespace, where each host has its own stack (hexd's default). */
const NAMESPACE_PORT = 4312;

export interface Backend {
  /** Its name in HAProxy: host1, host2, ... */
  name: string;
  index: number;
  host: string;
  port: number;
  server: ServerProcess;
}

/**
 * Starts one backend on host `index`; `port` 0 picks a free one (loopback), a restart gives the one it
 * had. Without `proxyProtocol` it serves plain clients (the bench's direct runs), and fails HAProxy's checks.
 */
export async function startBackend(hosts: Hosts, index: number, variant: FleetVariant, port: number, proxyProtocol = true): Promise<Backend> {
  const host = hosts.addresses[index]!;
  const argv = hosts.commandOn(index, [
    process.execPath, 'servers/main.ts', variant, '--host', host, '--port', String(port), '--stats-port', '0',
    ...(proxyProtocol ? ['--proxy-protocol'] : []),
  ]);
  const server = await startServerProcess(argv[0]!, argv.slice(1), { cwd: ROOT });
  return { name: `host${index + 1}`, index, host, port: server.port, server };
}

/** Starts a backend on every host, one after another (each start is a ready line away). */
export async function startBackends(hosts: Hosts, variant: FleetVariant): Promise<Backend[]> {
  const port = hosts.kind === 'namespaces' ? NAMESPACE_PORT : 0;
  const backends: Backend[] = [];
  for (let index = 0; index < hosts.addresses.length; index++) backends.push(await startBackend(hosts, index, variant, port));
  return backends;
}
