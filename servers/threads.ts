// threads: one worker_threads Worker per client, for that client's whole session. Sockets are accepted
// paused and transferred to the worker (Node 26.10+), which reads, parses and writes them itself: the
// main thread only accepts. The process gains one OS thread per connected client and loses it when the
// client leaves, which is the cost this variant exists to show.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createHexServer, sessionSettings, type HexServer } from './hex-server.ts';
import type { ServerOptions } from './options.ts';
import type { FromWorker, ThreadWorkerData, ToWorker } from './thread-messages.ts';
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
  const workerData: Omit<ThreadWorkerData, 'spare'> & { boot: WorkerBoot } = {
    boot: prepareWorkerBoot(WORKER_ENTRY),
    session: sessionSettings(options),
    verbose: options.verbose,
    testHooks: testHooksEnabled(),
  };
  const resourceLimits = workerResourceLimits(options);

  return createHexServer('threads', options, (changed) => {
    const serving = new Set<Worker>();
    // --spare: Workers started ahead, waiting for a client, as a prefork server keeps spare processes.
    // A client then skips the Worker's start. Its replacement starts once the client has had its first
    // reply (or has left), so that the two do not share the CPU on that client's critical path.
    const spares: Worker[] = [];
    let closing = false;

    function startWorker(spare: boolean): Worker {
      const worker = new Worker(BOOT_URL, { workerData: { ...workerData, spare }, resourceLimits });
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'answered') refillSpares();
      });
      worker.on('error', (err: Error) => {
        // The worker already told its client where it could; the server and other clients go on.
        process.stderr.write(`hexd: thread ${worker.threadId} failed: ${err.message}\n`);
      });
      worker.once('exit', () => {
        const spare = spares.indexOf(worker);
        if (spare !== -1) spares.splice(spare, 1);
        if (serving.delete(worker)) changed();
        refillSpares();
      });
      return worker;
    }

    function refillSpares(): void {
      while (!closing && spares.length < options.spareWorkers) spares.push(startWorker(true));
    }
    refillSpares();

    return {
      pauseOnConnect: true,
      get connections() {
        return serving.size;
      },
      accept(socket) {
        const worker = spares.shift() ?? startWorker(false);
        serving.add(worker);
        changed();
        const serve: ToWorker = { type: 'serve', socket };
        worker.postMessage(serve, [socket]);
      },
      async drain() {
        closing = true;
        for (const spare of spares.splice(0)) void spare.terminate();
        await Promise.all(Array.from(serving, (worker) => {
          const exited = new Promise((resolve) => worker.once('exit', resolve)); // once() would reject on 'error'
          const shutdown: ToWorker = { type: 'shutdown' };
          worker.postMessage(shutdown);
          return exited;
        }));
      },
      destroyAll() {
        for (const worker of [...serving, ...spares]) void worker.terminate();
      },
    };
  });
}
