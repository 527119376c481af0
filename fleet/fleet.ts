// A fleet up and down: hosts, a backend on each, HAProxy in front. Whatever was created is removed by
// stop(), on a failed start, and (synchronously) when the process exits any other way.

import net from 'node:net';
import { once } from 'node:events';
import { startBackend, startBackends, type Backend, type FleetVariant } from './backends.ts';
import { DEFAULT_TIMINGS, HAPROXY_MAX_CONNECTIONS, type HaproxyTimings } from './haproxy-config.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import type { Hosts } from './hosts.ts';
import { loopbackHosts } from './loopback-hosts.ts';
import { namespaceHosts } from './network-namespaces.ts';

export interface FleetOptions {
  backends: number;
  variant: FleetVariant;
  /** Loopback addresses even as root (namespaces otherwise need root). */
  loopback: boolean;
  /** HAProxy's port on 127.0.0.1; 0 picks a free one. */
  port: number;
  timings?: HaproxyTimings;
}

export interface Fleet {
  hosts: Hosts;
  backends: Backend[];
  /** HAProxy in front of the first `inFront` backends (balance() changes it). */
  haproxy: Haproxy;
  frontend: { host: string; port: number };
  /** Restarts HAProxy in front of the first `count` backends only (the bench's 1, 2, 4). */
  balance(count: number): Promise<void>;
  /** Stops backend `index` if it runs and starts it again on its host and port; `proxyProtocol` false for plain clients. */
  restartBackend(index: number, proxyProtocol?: boolean): Promise<Backend>;
  stop(): Promise<void>;
}

/** Whether this process may create network namespaces. */
function canUseNamespaces(): boolean {
  return process.getuid?.() === 0;
}

/** A free TCP port on the host (HAProxy cannot bind port 0 and say which it got). */
async function freePort(host: string): Promise<number> {
  const server = net.createServer().listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const hosts = options.loopback || !canUseNamespaces() ? loopbackHosts(options.backends) : namespaceHosts(options.backends);
  const backends: Backend[] = [];
  let haproxy: Haproxy | undefined;
  // The last resort: an exiting process (an uncaught error, process.exit) still removes it all.
  const removeNow = (): void => {
    haproxy?.killNow();
    for (const backend of backends) backend.server.child.kill('SIGKILL');
    hosts.remove();
  };
  process.once('exit', removeNow);
  const stop = async (): Promise<void> => {
    await haproxy?.stop();
    await Promise.all(backends.map((backend) => backend.server.stop()));
    hosts.remove();
    process.off('exit', removeNow);
  };
  try {
    backends.push(...(await startBackends(hosts, options.variant)));
    const frontend = { host: '127.0.0.1', port: options.port === 0 ? await freePort('127.0.0.1') : options.port };
    const timings = options.timings ?? DEFAULT_TIMINGS;
    const front = (count: number) => startHaproxy({ frontend, backends: backends.slice(0, count), maxConnections: HAPROXY_MAX_CONNECTIONS, timings });
    haproxy = await front(backends.length);
    const fleet: Fleet = {
      hosts,
      backends,
      haproxy,
      frontend,
      async balance(count) {
        await haproxy?.stop();
        haproxy = undefined;
        haproxy = await front(count);
        fleet.haproxy = haproxy;
      },
      async restartBackend(index, proxyProtocol = true) {
        const old = backends[index]!;
        await old.server.stop();
        const backend = await startBackend(hosts, index, options.variant, old.port, proxyProtocol);
        backends[index] = backend;
        return backend;
      },
      stop,
    };
    return fleet;
  } catch (err) {
    await stop();
    throw err;
  }
}
