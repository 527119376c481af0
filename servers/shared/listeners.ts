// Several listening sockets on one port (SO_REUSEPORT), so that a burst of connections is not lost
// or starved.
//
// Two limits meet in a burst. The kernel queues at most net.core.somaxconn (4096 here) unaccepted
// connections per listening socket and drops SYNs past it (the client retries after a second). And
// libuv (since 1.45, libuv/libuv#3696) accepts one connection each time epoll reports the listening
// socket: with thousands of busy clients ready, epoll reports each ready socket once per pass over
// all of them, so a loop serving 8,000 clients at full speed accepts only a few new ones per second
// per listening socket. With N sockets the kernel spreads new connections over N queues and each pass
// accepts up to N. It is still one thread and one loop; only the doors are more.

import net from 'node:net';
import { once } from 'node:events';

export interface ListenAt {
  host: string;
  port: number;
  backlog: number;
  /**
   * SO_REUSEPORT: `off` for one plain socket; `claim` to take a free port and then bind every socket
   * with SO_REUSEPORT (several sockets here, or other processes to join later); `join` to bind beside
   * the sockets another process already holds on the port (the cluster variant's workers).
   */
  reusePort: 'off' | 'claim' | 'join';
}

/**
 * Binds every server to one address. Rejects with the bind error (EADDRINUSE...) and leaves nothing
 * listening when any fails.
 */
export async function listenAll(servers: readonly net.Server[], at: ListenAt): Promise<void> {
  const reusePort = at.reusePort !== 'off';
  let port = at.port;
  if (at.reusePort === 'claim') {
    // SO_REUSEPORT lets any process of this user bind the port too, so another hexd would silently
    // share it. A plain bind first claims it the usual way: it fails if anyone holds the port
    // (reuse-port sockets included), and with port 0 it picks the port the others then join.
    port = await claimPort(at.host, at.port);
  }
  try {
    for (const server of servers) {
      server.listen({ host: at.host, port, backlog: at.backlog, ...(reusePort ? { reusePort: true } : {}), exclusive: true });
      await once(server, 'listening');
      port = (server.address() as net.AddressInfo).port;
    }
  } catch (err) {
    for (const server of servers) if (server.listening) server.close();
    throw err;
  }
}

async function claimPort(host: string, port: number): Promise<number> {
  const probe = net.createServer();
  probe.listen({ host, port, exclusive: true });
  await once(probe, 'listening');
  const claimed = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return claimed;
}
