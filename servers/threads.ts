// threads: one worker_threads Worker per client, for that client's whole session. Sockets are accepted
// paused and transferred to the worker (Node 26.10+), which reads, parses and writes them itself: the
// main thread only accepts. The process gains one OS thread per connected client and loses it when the
// client leaves, which is the cost this variant exists to show.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createHexServer, sessionSettings, type HexServer } from './hex-server.ts';
import type { ServerOptions } from './options.ts';
import type { ThreadWorkerData, ToWorker } from './thread-messages.ts';
import { testHooksEnabled } from './test-hooks.ts';
import { BOOT_URL, prepareWorkerBoot, type WorkerBoot } from './worker-source.ts';

const WORKER_ENTRY = new URL('./thread-worker.ts', import.meta.url);

/**
 * Each worker is its own V8 isolate. Its heap only ever holds one client's state and a line of at most
 * --max-line-bytes, so small limits keep a thread at a few megabytes instead of V8's defaults
 * (48 MB young generation, 4 MB stack). The old generation grows with --max-digits for big numbers.
 */
export function workerResourceLimits(options: ServerOptions): ResourceLimits {
  const lineMb = Math.ceil(options.limits.maxLineBytes / (1024 * 1024));
  return {
    maxYoungGenerationSizeMb: 4,
    maxOldGenerationSizeMb: 32 + 8 * lineMb,
    codeRangeSizeMb: 16,
    stackSizeMb: 1,
  };
}

export function createThreadsServer(options: ServerOptions): HexServer {
  const workers = new Set<Worker>();
  const workerData: ThreadWorkerData & { boot: WorkerBoot } = {
    boot: prepareWorkerBoot(WORKER_ENTRY),
    session: sessionSettings(options),
    verbose: options.verbose,
    testHooks: testHooksEnabled(),
  };
  const resourceLimits = workerResourceLimits(options);

  return createHexServer('threads', options, (changed) => ({
    pauseOnConnect: true,
    get connections() {
      return workers.size;
    },
    accept(socket) {
      const worker = new Worker(BOOT_URL, { workerData, resourceLimits });
      workers.add(worker);
      changed();
      const serve: ToWorker = { type: 'serve', socket };
      worker.postMessage(serve, [socket]);
      worker.on('error', (err: Error) => {
        // The worker already told its client where it could; the server and other clients go on.
        process.stderr.write(`hexd: thread ${worker.threadId} failed: ${err.message}\n`);
      });
      worker.once('exit', () => {
        workers.delete(worker);
        changed();
      });
    },
    async drain() {
      await Promise.all(Array.from(workers, (worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve)); // once() would reject on 'error'
        const shutdown: ToWorker = { type: 'shutdown' };
        worker.postMessage(shutdown);
        return exited;
      }));
    },
    destroyAll() {
      for (const worker of workers) void worker.terminate();
    },
  }));
}
