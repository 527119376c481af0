// pool, the main side: the event loop, with CPU-heavy requests (lines of --offload-min-bytes or
// more: big numbers) converted on a fixed pool of worker threads, as asyncio's run_in_executor /
// to_thread. Replies keep their request order per connection, and the loop stays free for everyone
// else while a million-digit number converts.

import { createHexServer, sessionOptions, type HexServer } from '../shared/hex-server.ts';
import { ConversionPool } from './conversion-pool.ts';
import { eventLoopModel } from '../event-loop/server.ts';
import type { ServerOptions } from '../shared/options.ts';
import { telemetryHub } from '../shared/telemetry/hub.ts';

export function createPoolServer(options: ServerOptions): HexServer {
  const pool = new ConversionPool(options.poolSize, options.limits.maxDigits, options.telemetry);
  telemetryHub.countUnits(() => pool.units);
  const perSession = { ...sessionOptions(options, 'main thread'), offload: (line: Uint8Array) => pool.run(line) };

  return createHexServer('pool', options, (changed) => {
    const loop = eventLoopModel(perSession, changed);
    return {
      pauseOnConnect: loop.pauseOnConnect,
      get connections() {
        return loop.connections;
      },
      accept: (socket) => loop.accept(socket),
      async drain() {
        await loop.drain();
        await pool.close();
      },
      destroyAll() {
        loop.destroyAll();
        void pool.close();
      },
    };
  });
}
