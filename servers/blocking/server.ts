// blocking: one client at a time, as the blog's sync server. Node has no blocking reads, so the model
// is kept by rule instead: sockets are accepted paused (their bytes stay unread in the kernel) and
// queued in arrival order; only when the client being served leaves is the next one resumed.

import { Session } from '../shared/session.ts';
import { WaitingLine } from '../shared/waiting-line.ts';
import { createHexServer, sessionOptions, type HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import { plural } from '../../common/plural.ts';

export function createBlockingServer(options: ServerOptions): HexServer {
  const perSession = sessionOptions(options, 'main thread');

  return createHexServer('blocking', options, (changed) => {
    const waiting = new WaitingLine(changed);
    let current: Session | undefined;
    let closing = false;

    function serveNext(): void {
      if (current !== undefined || closing) return;
      const socket = waiting.next();
      if (socket === undefined) return;
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
        waiting.join(socket);
        serveNext();
        if (current?.socket !== socket) {
          // Ahead of it: the client being served, and those that came before it.
          const ahead = waiting.length - 1 + (current === undefined ? 0 : 1);
          perSession.log?.(`${socket.remoteAddress}:${socket.remotePort} waiting its turn (${plural(ahead, 'client')} ahead of it)`);
        }
      },
      async drain() {
        closing = true;
        // Clients still waiting their turn are told, then let go.
        current?.shutdown();
        await Promise.all([waiting.dismiss(), current?.closed]);
      },
      destroyAll() {
        waiting.destroyAll();
        current?.destroy();
      },
    };
  });
}
