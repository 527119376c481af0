// threads, the main side: one worker_threads Worker per client, for that client's whole session.
// Sockets are accepted paused and transferred to the worker (Node 26.10+), which reads, parses and
// writes them itself: the main thread only accepts. The process runs one OS thread per connected
// client, plus idle ones: when a client leaves, its Worker serves a waiting client, or stays as one
// of the --spare, as a prefork or worker-pool server reuses its threads; only past that does it exit
// (always, with --no-reuse). Still one client per thread at a time.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { createHexServer, sessionSettings, type HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { telemetryHub } from '../shared/telemetry/hub.ts';
import { testHooksEnabled } from '../shared/test-hooks.ts';
import { WaitingLine } from '../shared/waiting-line.ts';
import { workerScript } from '../shared/worker-source.ts';

const WORKER_ENTRY = new URL('./worker.ts', import.meta.url);

/**
 * Workers loading at once (see `starting` below). Enough that, at normal priority, they outweigh
 * hundreds of busy sessions at nice 19 (thread-worker.ts) in the CPU scheduler; few enough that they
 * do not thrash each other's caches. Measured with 1000 clients on one core: 16 at once served 708
 * within 30 s, 64 served 864, 256 served 685.
 */
export const MAX_STARTING = 64;


/**
 * Each worker is its own V8 isolate. Its heap only ever holds one client's state and a line of at most
 * --max-line-bytes, so small limits keep a thread at a few megabytes instead of V8's defaults
 * (48 MB young generation, 4 MB stack). The old generation grows with --max-digits for big numbers.
 * Measured with 300 clients sending flat out: a young generation of 2, 4 or 8 MB costs alike (7.2-7.3
 * MB of RSS per client), 1 MB costs more (7.5-7.6 MB: more is promoted to the old generation).
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
  const script = workerScript(WORKER_ENTRY);
  const workerData: Omit<WorkerData, 'spare'> = {
    session: sessionSettings(options),
    verbose: options.verbose,
    testHooks: testHooksEnabled(),
    reuse: options.reuseWorkers,
    telemetry: options.telemetry,
  };
  const resourceLimits = workerResourceLimits(options);

  return createHexServer('threads', options, (changed) => {
    const serving = new Set<Worker>();
    // --spare: Workers started ahead, waiting for a client, as a prefork server keeps spare processes.
    // A client then skips the Worker's start.
    const spares: Worker[] = [];
    // Spares past --spare, and since when, kept --linger-ms. A client arriving meanwhile gets one at
    // once instead of waiting for a new Worker's start: in a burst of clients that connect and leave,
    // each would otherwise cost a Worker started for nobody (4,000 of them kept a newcomer waiting 64 s),
    // and a steady churn of short clients reuses a few Workers.
    const lingering = new Map<Worker, number>();
    let trimTimer: NodeJS.Timeout | undefined;
    // Workers still loading. Starting one is a burst of CPU work on its new thread, so a flood of
    // clients starts them MAX_STARTING at a time, in arrival order: each client waits for its own
    // Worker, not for a thousand that start at once, share the cores and starve the main thread.
    const starting = new Set<Worker>();
    // Clients whose Worker is not started yet, unread until it is.
    const waiting = new WaitingLine(changed);
    let closing = false;
    telemetryHub.countUnits(() => ({ starting: starting.size, serving: serving.size, idle: spares.length, waiting: waiting.length }));

    function startWorker(spare: boolean): Worker {
      const worker = new Worker(script, { eval: true, workerData: { ...workerData, spare }, resourceLimits });
      starting.add(worker);
      const telemetryId = `thread ${worker.threadId}`;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'telemetry') {
          telemetryHub.report(message.snapshot);
          return;
        }
        if (message.type === 'ready' && starting.delete(worker)) startMore();
        // A spare's replacement starts once its client has had a first reply, so that the two do not
        // share the CPU on that client's critical path. With reuse there is none to start: the
        // client's Worker comes back as a spare when the client leaves (see refillSpares).
        if (message.type === 'answered' && !options.reuseWorkers) refillSpares();
        if (message.type === 'done' && message.staying) reuse(worker);
      });
      worker.on('error', (err: Error) => {
        // The worker already told its client where it could; the server and other clients go on.
        process.stderr.write(`hexd: thread ${worker.threadId} failed: ${err.message}\n`);
      });
      worker.once('exit', () => {
        telemetryHub.forget(telemetryId); // threadId reads -1 once the Worker has exited
        starting.delete(worker);
        const spare = spares.indexOf(worker);
        if (spare !== -1) spares.splice(spare, 1);
        lingering.delete(worker);
        if (serving.delete(worker)) changed();
        startMore();
      });
      return worker;
    }

    /** Waiting clients take spares, then Workers started for them, as many as may start at once. */
    function serveWaiting(): void {
      while (!closing && waiting.length > 0) {
        const worker = spares.pop() ?? (starting.size < MAX_STARTING ? startWorker(false) : undefined);
        if (worker === undefined) return;
        lingering.delete(worker);
        serving.add(worker);
        const serve: ToWorker = { type: 'serve', socket: waiting.next()! };
        worker.postMessage(serve, [serve.socket]); // kept until the worker listens, if it is still loading
      }
    }

    /**
     * A Worker whose client left serves the next waiting client, else stays as a spare: one of the
     * --spare, or lingering past them for --linger-ms. Until it has exited it still counts as serving,
     * so that the thread count never falls behind the connection count.
     */
    function reuse(worker: Worker): void {
      if (!closing && waiting.length > 0) {
        const serve: ToWorker = { type: 'serve', socket: waiting.next()! };
        worker.postMessage(serve, [serve.socket]);
        changed(); // one client fewer: the one that left
      } else if (!closing && (spares.length < options.spareWorkers || options.lingerMs > 0)) {
        serving.delete(worker);
        if (spares.length < options.spareWorkers) spares.push(worker);
        else linger(worker);
        changed();
      } else {
        retire(worker);
      }
    }

    function retire(worker: Worker): void {
      const exit: ToWorker = { type: 'exit' };
      worker.postMessage(exit);
    }

    function linger(worker: Worker): void {
      spares.push(worker);
      lingering.set(worker, performance.now());
      trimTimer ??= setTimeout(trimLingering, options.lingerMs).unref();
    }

    /** Lingering spares idle for --linger-ms exit; the timer runs again while any linger. */
    function trimLingering(): void {
      trimTimer = undefined;
      const now = performance.now();
      for (const [worker, since] of lingering) {
        if (now - since < options.lingerMs || spares.length <= options.spareWorkers) continue;
        lingering.delete(worker);
        spares.splice(spares.indexOf(worker), 1);
        retire(worker);
      }
      if (lingering.size > 0) trimTimer = setTimeout(trimLingering, options.lingerMs).unref();
    }

    /**
     * Spares are started only when no client waits for a Worker. With reuse, the Workers serving
     * clients count too, since each comes back as a spare: --spare Workers are kept, idle or serving,
     * and a churn of short clients starts none.
     */
    function refillSpares(): void {
      const kept = (): number => spares.length + (options.reuseWorkers ? serving.size : 0);
      while (!closing && waiting.length === 0 && kept() < options.spareWorkers && starting.size < MAX_STARTING) {
        spares.push(startWorker(true));
      }
    }

    function startMore(): void {
      serveWaiting();
      refillSpares();
    }
    refillSpares();

    return {
      pauseOnConnect: true,
      get connections() {
        return serving.size + waiting.length;
      },
      accept(socket) {
        waiting.join(socket);
        serveWaiting();
      },
      async drain() {
        closing = true;
        clearTimeout(trimTimer);
        // Workers still loading without a client are stopped too: close() resolves with no thread left.
        const idle = new Set([...spares.splice(0), ...starting].filter((worker) => !serving.has(worker)));
        await Promise.all([waiting.dismiss(), ...Array.from(idle, (worker) => worker.terminate()), ...Array.from(serving, (worker) => {
          const exited = new Promise((resolve) => worker.once('exit', resolve)); // once() would reject on 'error'
          const shutdown: ToWorker = { type: 'shutdown' };
          worker.postMessage(shutdown);
          return exited;
        })]);
      },
      destroyAll() {
        waiting.destroyAll();
        for (const worker of [...serving, ...spares]) void worker.terminate();
      },
    };
  });
}
