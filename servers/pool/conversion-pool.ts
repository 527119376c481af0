// pool, the main side's conversion pool: a fixed set of worker threads (worker.ts) for CPU-heavy
// conversions, as asyncio's run_in_executor. The event loop hands a long line over and goes on serving
// everyone else; the reply comes back as a promise. Jobs wait in one queue in arrival order and go to
// whichever thread is free.

import { Worker } from 'node:worker_threads';
import { workerScript } from '../shared/worker-source.ts';
import type { FromWorker, ToWorker, WorkerData } from './messages.ts';
import { telemetryHub } from '../shared/telemetry/hub.ts';
import type { UnitCounts } from '../shared/telemetry/snapshot.ts';

const POOL_WORKER_ENTRY = new URL('./worker.ts', import.meta.url);

interface Waiting {
  job: ToWorker;
  resolve: (reply: string) => void;
  reject: (err: Error) => void;
}

export class ConversionPool {
  readonly size: number;
  #idle: Worker[] = [];
  #busy = new Map<Worker, Waiting>();
  #queue: Waiting[] = [];
  #nextId = 0;
  #closed = false;
  #maxDigits: number;
  #telemetry: boolean;

  constructor(size: number, maxDigits: number, telemetry = false) {
    this.size = size;
    this.#maxDigits = maxDigits;
    this.#telemetry = telemetry;
    const script = workerScript(POOL_WORKER_ENTRY);
    for (let i = 0; i < size; i++) this.#idle.push(this.#spawn(script));
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.#queue.length + this.#busy.size;
  }

  /** Threads converting, idle, and jobs waiting for one, for /stats. */
  get units(): UnitCounts {
    return { starting: 0, serving: this.#busy.size, idle: this.#idle.length, waiting: this.#queue.length };
  }

  /** Converts one line on a pool thread; resolves with its reply line. */
  run(line: Uint8Array): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('the pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ job: { id: this.#nextId++, line }, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#idle, ...this.#busy.keys()];
    this.#idle = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #spawn(script: string): Worker {
    // A 1,000,000-digit number needs tens of MB of heap to convert: no tight limits here.
    const workerData: WorkerData = { maxDigits: this.#maxDigits, telemetry: this.#telemetry };
    const worker = new Worker(script, { eval: true, workerData });
    worker.unref(); // an idle pool must not keep the process alive
    const telemetryId = `thread ${worker.threadId}`;
    worker.once('exit', () => telemetryHub.forget(telemetryId));
    worker.on('message', (result: FromWorker) => {
      if (result.type === 'telemetry') {
        telemetryHub.report(result.snapshot);
        return;
      }
      const waiting = this.#busy.get(worker);
      this.#busy.delete(worker);
      this.#idle.push(worker);
      waiting?.resolve(result.reply);
      this.#dispatch();
    });
    worker.on('error', (err: Error) => {
      // A failed conversion fails its own request; the pool replaces the thread.
      const waiting = this.#busy.get(worker);
      this.#busy.delete(worker);
      waiting?.reject(err);
      if (!this.#closed) {
        this.#idle.push(this.#spawn(script));
        this.#dispatch();
      }
    });
    return worker;
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const waiting = this.#queue.shift()!;
      this.#busy.set(worker, waiting);
      worker.postMessage(waiting.job, [waiting.job.line.buffer as ArrayBuffer]);
    }
  }
}
