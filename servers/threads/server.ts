// threads, the main side: one worker_threads Worker per client, for that client's whole session.
// Sockets are accepted paused and transferred to the worker (Node 26.10+), which reads, parses and
// writes them itself: the main thread only accepts. The process runs one OS thread per connected
// client, plus idle ones: when a client leaves, its Worker serves a waiting client, or stays as one
// of the --spare, as a prefork or worker-pool server reuses its threads; only past that does it exit
// (always, with --no-reuse). Still one client per thread at a time.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Socket } from 'node:net';
import { createHexServer, sessionSettings, type HexServer } from '../shared/hex-server.ts';
import type { ServerOptions } from '../shared/options.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { telemetryHub } from '../shared/telemetry/hub.ts';
import { testHooksEnabled } from '../shared/test-hooks.ts';
import { DepartedClients } from '../shared/departed-clients.ts';
import { WaitingLine } from '../shared/waiting-line.ts';
import { ProcessHoldings } from '../shared/process-holdings.ts';
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

/**
 * Slots in the shared holdings: one a Worker alive at once (clients, spares, starting, exiting). A
 * Worker past them keeps a budget of its own.
 */
function holdingSlots(options: ServerOptions): number {
  const clients = options.maxClients === 0 ? MAX_HOLDING_SLOTS : options.maxClients;
  return Math.min(MAX_HOLDING_SLOTS, 2 * (clients + options.spareWorkers + MAX_STARTING));
}

const MAX_HOLDING_SLOTS = 65_536;

export function createThreadsServer(options: ServerOptions): HexServer {
  const script = workerScript(WORKER_ENTRY);
  // One --max-buffered-bytes for the whole process: each Worker's sessions count the others' bytes.
  const holdings = ProcessHoldings.create(holdingSlots(options));
  const workerData: Omit<WorkerData, 'spare' | 'holdings'> = {
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
    // Past the --spare, a Worker whose client left stays idle for the next client, and idle ones exit
    // only once they have all gone unused for --linger-ms: the fewest idle at once over that time.
    // A client arriving meanwhile gets one at once instead of waiting for a new Worker's start: a burst
    // of clients that connect and leave would otherwise cost a Worker started for nobody each (4,000 of
    // them kept a newcomer waiting 64 s), and a steady churn of short clients, a Worker start for most
    // of them (a start costs some 14 ms of CPU).
    let fewestIdle = 0;
    let trimTimer: NodeJS.Timeout | undefined;
    // Workers still loading. Starting one is a burst of CPU work on its new thread, so a flood of
    // clients starts them MAX_STARTING at a time, in arrival order: each client waits for its own
    // Worker, not for a thousand that start at once, share the cores and starve the main thread. The
    // client's socket goes to its Worker at once, while the process still has the descriptor that
    // handing it over takes (out of descriptors, a handover later failed and the client was lost).
    const starting = new Set<Worker>();
    // Clients waiting for a Worker, unread until they have one.
    const waiting = new WaitingLine(changed);
    let closing = false;
    // A burst of clients that connect and close: those already gone cost no Worker's turn.
    const departed = new DepartedClients();
    telemetryHub.countUnits(() => ({ starting: starting.size, serving: serving.size, idle: spares.length, waiting: waiting.length }));

    function startWorker(spare: boolean): Worker {
      const slot = ProcessHoldings.claim(holdings);
      const data: WorkerData = { ...workerData, spare, holdings: slot === undefined ? undefined : { buffer: holdings, slot } };
      const worker = new Worker(script, { eval: true, workerData: data, resourceLimits });
      starting.add(worker);
      const telemetryId = `thread ${worker.threadId}`; // threadId reads -1 once the Worker has exited
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
        process.stderr.write(`hexd: ${telemetryId} failed: ${err.message}\n`);
      });
      worker.once('exit', () => {
        if (slot !== undefined) ProcessHoldings.free(holdings, slot);
        telemetryHub.forget(telemetryId);
        starting.delete(worker);
        const at = spares.indexOf(worker);
        if (at !== -1) spares.splice(at, 1);
        if (serving.delete(worker)) changed();
        startMore();
      });
      return worker;
    }

    function serve(worker: Worker, socket: Socket): void {
      serving.add(worker);
      const message: ToWorker = { type: 'serve', socket };
      worker.postMessage(message, [socket]); // kept until the worker listens, if it is still loading
    }

    /**
     * Waiting clients take spares (the one freed last first, so that the others can linger out), then
     * Workers started for them, as many as may start at once. A client that reset its connection
     * while it waited is let go first, without a Worker.
     */
    function serveWaiting(): void {
      while (!closing) {
        waiting.dropReset();
        if (waiting.length === 0) return;
        const spare = spares.pop();
        if (spare !== undefined) fewestIdle = Math.min(fewestIdle, spares.length);
        const worker = spare ?? (starting.size < MAX_STARTING ? startWorker(false) : undefined);
        if (worker === undefined) return;
        serve(worker, waiting.next()!);
      }
    }

    /**
     * A Worker whose client left serves the longest-waiting client, else stays as a spare: one of the
     * --spare, or idle past them until unused for --linger-ms, else it exits. Until it has exited it
     * still counts as serving, so that the thread count never falls behind the connection count.
     */
    function reuse(worker: Worker): void {
      if (!closing) waiting.dropReset();
      const next = closing ? undefined : waiting.next();
      if (next !== undefined) {
        changed(); // one client fewer: the one that left
        serve(worker, next);
      } else if (!closing && (spares.length < options.spareWorkers || options.lingerMs > 0)) {
        if (serving.delete(worker)) changed(); // one client fewer: the one that left
        keepIdle(worker);
      } else {
        retire(worker);
      }
    }

    function retire(worker: Worker): void {
      const exit: ToWorker = { type: 'exit' };
      worker.postMessage(exit);
    }

    function keepIdle(worker: Worker): void {
      spares.push(worker);
      if (trimTimer !== undefined || spares.length <= options.spareWorkers || options.lingerMs === 0) return;
      fewestIdle = spares.length;
      trimTimer = setTimeout(trimIdle, options.lingerMs).unref();
    }

    /** The Workers idle all the last --linger-ms, past the --spare, exit: the longest idle first. */
    function trimIdle(): void {
      trimTimer = undefined;
      const unused = Math.min(fewestIdle, spares.length) - options.spareWorkers;
      for (const worker of spares.splice(0, Math.max(0, unused))) retire(worker);
      if (spares.length <= options.spareWorkers) return;
      fewestIdle = spares.length;
      trimTimer = setTimeout(trimIdle, options.lingerMs).unref();
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
        if (departed.leftBeforeSending(socket)) {
          socket.destroy(); // nothing to answer: no Worker's turn for it
          return;
        }
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
        for (const worker of [...serving, ...spares, ...starting]) void worker.terminate();
      },
    };
  });
}
