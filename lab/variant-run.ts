// One variant of a lab run: a fresh server process, the load tester's runLoad on it (one cell per
// client fed by its reply hook), the server's /stats, and its figures four times a second. Changes
// are applied one at a time, in order: a server setting restarts the server, a load setting the load.

import { ROOT } from '../load/harness/peers.ts';
import { startServerProcess, type ServerProcess } from '../load/harness/server-process.ts';
import { loadOptions, type LoadOptions } from '../load/harness/load-options.ts';
import { Worker } from 'node:worker_threads';
import type { Variant } from '../servers/shared/options.ts';
import { BIG_NUMBER_DIGITS, needsServerRestart, type LabSettings } from './settings.ts';
import { ReplyWindow } from './reply-window.ts';
import { StatsPoll } from './stats-poll.ts';
import { ReplyRing } from './reply-ring.ts';
import type { FromLoadThread, LoadThreadData } from './load-thread.ts';

const LOAD_THREAD = new URL('./load-thread.ts', import.meta.url);
import type { VariantFrame, VariantStatus } from './frames.ts';

/** Long enough that blocking's waiting clients stay connected and waiting, rather than time out and reconnect. */
const REQUEST_TIMEOUT_MS = 60_000;
/** A server's start on a loaded machine (six starting at once, beside their loads) takes longer than alone. */
const SERVER_START_TIMEOUT_MS = 30_000;

export class VariantRun {
  readonly variant: Variant;
  #settings: LabSettings;
  /** performance.now() at which the whole run ends: every load is given only the time left. */
  #endsAt: number;
  /**
   * How much nicer than the lab its server runs (`nice` execs it, so every thread and child inherits
   * it): 100 clients on processes start 100 Node processes, which could otherwise take both cores for
   * seconds and stall the page's figures and the load itself.
   */
  #serverNiceness: number;
  #status: VariantStatus = 'starting';
  #note: string | null = null;
  #server: ServerProcess | null = null;
  #poll: StatsPoll | null = null;
  #window: ReplyWindow;
  /** The load's thread, and the replies it hands over. */
  #load: { thread: Worker; replies: ReplyRing; done: Promise<void> } | null = null;
  /** Every change waits for the one before it. */
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Aborted by stop(): a server still starting is given up at once rather than awaited. */
  #stopping = new AbortController();

  constructor(variant: Variant, settings: LabSettings, { endsAt, serverNiceness }: { endsAt: number; serverNiceness: number }) {
    this.variant = variant;
    this.#settings = settings;
    this.#endsAt = endsAt;
    this.#serverNiceness = serverNiceness;
    this.#window = new ReplyWindow(settings.clients);
  }

  start(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#startServer();
      this.#startLoad();
    });
  }

  /** New settings: the server restarts if a server setting changed (the page says so), else the load restarts. */
  apply(settings: LabSettings): Promise<void> {
    return this.#enqueue(async () => {
      const restartServer = needsServerRestart(this.#settings, settings);
      this.#settings = settings;
      await this.#stopLoad();
      if (restartServer) {
        this.#status = 'restarting';
        this.#note = `restarted for --delay-ms ${settings.delayMs}: a new server process, so its figures start again`;
        await this.#stopServer();
        await this.#startServer();
      } else {
        this.#note = 'load restarted with the new settings';
      }
      this.#window = new ReplyWindow(settings.clients);
      this.#startLoad();
    });
  }

  /** Stops the load and the server; resolves once the server process has exited. Idempotent. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#load?.thread.postMessage('stop');
    return this.#enqueue(async () => {
      await this.#stopLoad();
      await this.#stopServer();
      if (this.#status !== 'failed') this.#status = 'stopped';
    });
  }

  /** The figures of the quarter second just ended; called four times a second. */
  frame(): VariantFrame {
    const window = this.#window;
    this.#load?.replies.drain((client, latencyMs) => window.record(client, latencyMs));
    const figures = window.closeQuarter();
    const server = this.#poll?.latest ?? null;
    return {
      variant: this.variant,
      status: this.#status,
      note: this.#note,
      pid: this.#server?.pid ?? null,
      clients: this.#window.clients,
      repliesPerSec: figures.repliesPerSec,
      p50Ms: figures.p50Ms,
      p99Ms: figures.p99Ms,
      served: figures.served,
      waiting: figures.waiting,
      lit: Buffer.from(figures.lit).toString('base64'),
      osThreads: server?.osThreads ?? null,
      rssBytes: server?.rssBytes ?? null,
      loopDelayMs: server?.loopDelayMs ?? null,
    };
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#stopped && this.#status === 'stopped') return;
      try {
        await step();
      } catch (err) {
        // A start given up by stop() is no failure.
        if (!this.#stopped) this.#fail((err as Error).message);
      }
    });
    this.#queue = next;
    return next;
  }

  #fail(message: string): void {
    this.#status = 'failed';
    this.#note = message;
  }

  async #startServer(): Promise<void> {
    if (this.#stopped) return;
    const args = [
      '-n', String(this.#serverNiceness), process.execPath,
      'servers/main.ts', this.variant, '--port', '0',
      // Always room for the big numbers, so changing their share never needs a new server.
      '--max-digits', String(BIG_NUMBER_DIGITS),
      '--delay-ms', String(this.#settings.delayMs),
    ];
    const server = await startServerProcess('nice', args, { cwd: ROOT, startTimeoutMs: SERVER_START_TIMEOUT_MS, signal: this.#stopping.signal });
    this.#server = server;
    server.child.once('exit', (code, signal) => {
      if (this.#server !== server || this.#stopped || this.#status === 'restarting') return;
      this.#fail(`the server exited (${signal ?? `status ${code}`}): ${server.stderrTail().split('\n').at(-1) ?? ''}`);
    });
    if (server.statsPort !== 0) this.#poll = new StatsPoll(server.host, server.statsPort);
    this.#status = 'running';
  }

  async #stopServer(): Promise<void> {
    this.#poll?.stop();
    this.#poll = null;
    const server = this.#server;
    await server?.stop();
  }

  #startLoad(): void {
    const server = this.#server;
    const remainingSec = (this.#endsAt - performance.now()) / 1000;
    if (this.#stopped || server === null || this.#status === 'failed' || remainingSec <= 0) return;
    const replies = new ReplyRing();
    const data: LoadThreadData = { options: this.#loadOptions(server, remainingSec), ring: replies.buffer };
    const thread = new Worker(LOAD_THREAD, { workerData: data });
    thread.on('message', (message: FromLoadThread) => {
      if (message.type === 'failed') this.#fail(`the load failed: ${message.message}`);
    });
    thread.on('error', (err: Error) => this.#fail(`the load failed: ${err.message}`));
    const done = new Promise<void>((resolve) => thread.once('exit', () => resolve())); // once() would reject on 'error'
    this.#load = { thread, replies, done };
  }

  async #stopLoad(): Promise<void> {
    const load = this.#load;
    this.#load = null;
    if (load === null) return;
    load.thread.postMessage('stop');
    await load.done;
    load.replies.drain((client, latencyMs) => this.#window.record(client, latencyMs)); // its last replies
  }

  #loadOptions(server: ServerProcess, durationSec: number): LoadOptions {
    const { clients, pipeline, rate, bigPercent } = this.#settings;
    return loadOptions({ host: server.host, port: server.port }, {
      connections: clients,
      durationSec,
      pipeline,
      rate,
      timeoutMs: REQUEST_TIMEOUT_MS,
      maxDigits: BIG_NUMBER_DIGITS,
      mix: bigPercent > 0 ? [{ percent: bigPercent, digits: BIG_NUMBER_DIGITS }] : undefined,
      // The lab polls /stats itself, four times a second, for the page.
      statsPort: 0,
    });
  }
}
