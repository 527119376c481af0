// pool: the event loop, with CPU-heavy requests (lines of --offload-min-bytes or more: big numbers)
// converted on a fixed pool of worker threads, as asyncio's run_in_executor / to_thread. Replies
// keep their request order per connection, and the loop stays free for everyone else while a
// million-digit number converts.

import { Session } from './session.ts';
import { createHexServer, sessionOptions, type HexServer } from './hex-server.ts';
import { ConversionPool } from './conversion-pool.ts';
import type { ServerOptions } from './options.ts';

export function createPoolServer(options: ServerOptions): HexServer {
  const pool = new ConversionPool(options.poolSize, options.limits.maxDigits);
  const perSession = { ...sessionOptions(options, 'main thread'), offload: (line: Uint8Array) => pool.run(line) };

  return createHexServer('pool', options, (changed) => {
    const sessions = new Set<Session>();
    return {
      pauseOnConnect: false,
      get connections() {
        return sessions.size;
      },
      accept(socket) {
        const session = new Session(socket, perSession);
        sessions.add(session);
        changed();
        void session.closed.then(() => {
          sessions.delete(session);
          changed();
        });
      },
      async drain() {
        await Promise.all(Array.from(sessions, (session) => {
          session.shutdown();
          return session.closed;
        }));
        await pool.close();
      },
      destroyAll() {
        for (const session of sessions) session.destroy();
        void pool.close();
      },
    };
  });
}
