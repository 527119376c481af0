// blocking: one client at a time, as the blog's sync server. Node has no blocking reads, so the model
// is kept by rule instead: sockets are accepted paused (their bytes stay unread in the kernel) and
// queued in arrival order; only when the client being served leaves is the next one resumed.

import type { Socket } from 'node:net';
import { Session } from './session.ts';
import { closeGently } from './close-gently.ts';
import { createHexServer, sessionOptions, type HexServer } from './hex-server.ts';
import type { ServerOptions } from './options.ts';

export function createBlockingServer(options: ServerOptions): HexServer {
  const perSession = sessionOptions(options, 'main thread');

  return createHexServer('blocking', options, (changed) => {
    const waiting: Socket[] = [];
    let current: Session | undefined;
    let closing = false;

    function leaveQueue(this: Socket): void {
      const at = waiting.indexOf(this);
      if (at === -1) return;
      waiting.splice(at, 1);
      changed();
    }

    function serveNext(): void {
      if (current !== undefined || closing) return;
      const socket = waiting.shift();
      if (socket === undefined) return;
      socket.removeListener('error', ignoreWhileWaiting);
      socket.removeListener('close', leaveQueue);
      const session = new Session(socket, perSession);
      current = session;
      void session.closed.then(() => {
        current = undefined;
        changed();
        serveNext();
      });
    }

    return {
      pauseOnConnect: true,
      get connections() {
        return waiting.length + (current === undefined ? 0 : 1);
      },
      accept(socket) {
        socket.on('error', ignoreWhileWaiting); // a waiting client may reset; it just leaves the queue
        socket.on('close', leaveQueue);
        waiting.push(socket);
        changed();
        serveNext();
        if (waiting.includes(socket)) {
          perSession.log?.(`${socket.remoteAddress}:${socket.remotePort} waiting its turn (${waiting.length - 1} ahead in the queue)`);
        }
      },
      async drain() {
        closing = true;
        // Clients still waiting their turn are told, then let go.
        const waiters = waiting.splice(0).map((socket) => {
          socket.removeListener('close', leaveQueue);
          const closed = new Promise((resolve) => socket.once('close', resolve)); // once() rejects on 'error'
          closeGently(socket, 'error: shutting down\n');
          return closed;
        });
        current?.shutdown();
        await Promise.all([...waiters, current?.closed]);
      },
      destroyAll() {
        for (const socket of waiting.splice(0)) socket.destroy();
        current?.destroy();
      },
    };
  });
}

function ignoreWhileWaiting(): void {}
