// A burst of connections opened at once, each then asking one number at a time until the burst's
// window ends: how long each client waits from its connect() call to its first right reply, and how
// many get one within the window. Clients are spread over a few load threads so the tester keeps up.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { connect } from 'node:net';
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { expectReply } from '../harness/checker.ts';
import { DEFAULT_MAX_DIGITS } from '../../protocol/index.ts';

export interface BurstSpec {
  host: string;
  port: number;
  clients: number;
  /** From the burst's start: clients still without a first reply then count as not served. */
  windowMs: number;
}

export interface BurstFigure {
  clients: number;
  /** Clients whose first reply came, right, within the window. */
  served: number;
  /** Replies of every client within the window (all checked). */
  replies: number;
  wrong: number;
  /** Connect-to-first-reply of the served clients, ms, sorted. */
  firstReplyMs: number[];
  /**
   * From each connect() call to its 'connect' event, ms, sorted: the kernel completes a loopback
   * connect at once (without the server's accept), so this is mostly the tester's own delay, part of
   * every first reply above.
   */
  connectMs: number[];
}

interface ThreadSpec extends BurstSpec {
  /** performance.timeOrigin + now() of the burst's start, so every thread times from the same instant. */
  startEpochMs: number;
}

/** Marks a burst's load thread in its workerData. */
const BURST_THREAD = 'hexd-burst-thread';
/** The threads start the burst together this long after the last of them is up. */
const START_MARGIN_MS = 50;

const NUMBERS = ['4312', '1234', '18446744073709551615', '-255', '9007199254740993'];
const EXPECTED = NUMBERS.map((n) => `${expectReply(n, DEFAULT_MAX_DIGITS).reply}\n`);

/** One thread's share of the burst. */
async function burstSlice(spec: ThreadSpec): Promise<BurstFigure> {
  const deadline = spec.startEpochMs + spec.windowMs - performance.timeOrigin;
  const firstReplyMs: number[] = [];
  const connectMs: number[] = [];
  let replies = 0;
  let wrong = 0;
  const done: Promise<void>[] = [];
  for (let i = 0; i < spec.clients; i++) {
    done.push(new Promise<void>((resolve) => {
      const startedAt = performance.now();
      const socket = connect({ host: spec.host, port: spec.port, noDelay: true });
      let k = i % NUMBERS.length;
      let buffered = '';
      let first = true;
      const finish = (): void => {
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
      socket.on('connect', () => {
        connectMs.push(performance.now() - startedAt);
        socket.write(`${NUMBERS[k]}\n`);
      });
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        const lf = buffered.indexOf('\n');
        if (lf === -1) return;
        const line = buffered.slice(0, lf + 1);
        buffered = buffered.slice(lf + 1);
        const now = performance.now();
        if (line !== EXPECTED[k]) {
          wrong++;
          clearTimeout(timer);
          finish();
          return;
        }
        replies++;
        if (first) {
          first = false;
          firstReplyMs.push(now - startedAt);
        }
        if (now >= deadline) {
          clearTimeout(timer);
          finish();
          return;
        }
        k = (k + 1) % NUMBERS.length;
        socket.write(`${NUMBERS[k]}\n`);
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    }));
  }
  await Promise.all(done);
  return { clients: spec.clients, served: firstReplyMs.length, replies, wrong, firstReplyMs, connectMs };
}

/** Opens spec.clients connections at once over `threads` load threads, and gathers their figures. */
export async function burst(spec: BurstSpec, threads = Math.min(4, availableParallelism())): Promise<BurstFigure> {
  const shares = Array.from({ length: threads }, (_, t) => Math.floor(spec.clients / threads) + (t < spec.clients % threads ? 1 : 0));
  const workers = shares.map(() => new Worker(new URL(import.meta.url), { workerData: BURST_THREAD }));
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message'))); // each is up
    const startEpochMs = performance.timeOrigin + performance.now() + START_MARGIN_MS;
    const figures = await Promise.all(workers.map(async (worker, t) => {
      const figure = once(worker, 'message');
      worker.postMessage({ ...spec, clients: shares[t]!, startEpochMs } satisfies ThreadSpec);
      return (await figure)[0] as BurstFigure;
    }));
    const firstReplyMs = figures.flatMap((f) => f.firstReplyMs).sort((a, b) => a - b);
    return {
      clients: spec.clients,
      served: firstReplyMs.length,
      replies: figures.reduce((sum, f) => sum + f.replies, 0),
      wrong: figures.reduce((sum, f) => sum + f.wrong, 0),
      firstReplyMs,
      connectMs: figures.flatMap((f) => f.connectMs).sort((a, b) => a - b),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The value at quantile q (0..1) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

if (!isMainThread && workerData === BURST_THREAD) {
  parentPort!.once('message', (spec: ThreadSpec) => {
    const wait = spec.startEpochMs - (performance.timeOrigin + performance.now());
    setTimeout(() => void burstSlice(spec).then((figure) => parentPort!.postMessage(figure)), Math.max(0, wait));
  });
  parentPort!.postMessage('up');
}
