// The talk's experiment, on hexd: 20 requests that each wait on I/O (the server's --delay-ms), sent
// one after another on one connection, then by 20 clients at once; the ratio of the two times is what
// concurrency buys when the work is waiting. Then the same for 1, 10, 100 and 1000 clients, to show
// the ratio growing with the number of clients on an event loop, and blocking, which cannot overlap.

import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { expectReply } from '../harness/checker.ts';
import { BENCH_SERVER_OPTIONS, ROOT, hexdArgs } from '../harness/peers.ts';
import { startServerProcess } from '../harness/server-process.ts';
import { LineClient } from '../../common/line-client.ts';
import { median } from '../harness/stats.ts';

/** The talk's shape: 20 downloads; its slide says "17x faster" (its own figures, 3.545 s / 0.233 s, give 15.2x). */
const SEED_REQUESTS = 20;
export const TALK_SYNC_SEC = 3.545234;
export const TALK_ASYNC_SEC = 0.233422;
export const TALK_CLAIMED_RATIO = 17;
const RATIO_DELAY_MS = 50;
const SWEEP_CLIENTS = [1, 10, 100, 1000] as const;

export interface RatioPlan {
  delayMs: number;
  requests: number;
  /** Measurements per figure; the median is reported. */
  runs: number;
  sweep: readonly number[];
  /** Sequential runs longer than this are not waited out but estimated from the measured per-request time. */
  sequentialBudgetMs: number;
  variants: readonly ('event-loop' | 'blocking')[];
}

export function ratioPlan(quick: boolean): RatioPlan {
  return {
    delayMs: RATIO_DELAY_MS,
    requests: SEED_REQUESTS,
    runs: quick ? 2 : 3,
    sweep: SWEEP_CLIENTS,
    sequentialBudgetMs: quick ? 1_500 : 5_500,
    variants: ['event-loop', 'blocking'],
  };
}

export interface RatioFigure {
  clients: number;
  /** One connection, `clients` requests one after another: ms from the first send to the last reply. */
  sequentialMs: number;
  /** True when sequentialMs is clients x the measured per-request time rather than waited out. */
  sequentialEstimated: boolean;
  /** `clients` connections, opened beforehand, each sending one request at once: ms until the last reply. */
  concurrentMs: number;
  ratio: number;
  /** Each measurement, ms, in order. */
  concurrentRunsMs: number[];
  sequentialRunsMs: number[];
  wrongReplies: number;
}

export interface RatioReport {
  plan: RatioPlan;
  /** The talk's shape (plan.requests requests), per variant. */
  seed: { variant: string; figure: RatioFigure }[];
  /** event-loop, for each number of clients. */
  sweep: RatioFigure[];
  elapsedSec: number;
}

/** Per measurement, beyond the time the requests themselves must take. */
const SLACK_MS = 15_000;

export async function runRatio(plan: RatioPlan, log: (line: string) => void): Promise<RatioReport> {
  const t0 = performance.now();
  const flags = hexdArgs({ ...BENCH_SERVER_OPTIONS, 'delay-ms': plan.delayMs });
  const seed: RatioReport['seed'] = [];
  let sweep: RatioFigure[] = [];
  for (const variant of plan.variants) {
    const server = await startServerProcess(process.execPath, ['servers/main.ts', variant, '--port', '0', ...flags], { cwd: ROOT });
    try {
      const target = { host: server.host, port: server.port };
      const figure = await measure(target, plan.requests, plan, null);
      seed.push({ variant, figure });
      log(`io ratio: ${variant}, ${plan.requests} requests: one after another ${figure.sequentialMs.toFixed(0)} ms, at once ${figure.concurrentMs.toFixed(0)} ms, ${figure.ratio.toFixed(1)}x`);
      if (variant === 'event-loop') {
        const perRequestMs = figure.sequentialMs / plan.requests;
        sweep = [];
        for (const clients of plan.sweep) {
          const point = clients === plan.requests ? figure : await measure(target, clients, plan, perRequestMs);
          sweep.push(point);
          log(`io ratio: event-loop x ${clients}: ${point.ratio.toFixed(1)}x`);
        }
      }
    } finally {
      await server.stop();
    }
  }
  return { plan, seed, sweep, elapsedSec: Math.round((performance.now() - t0) / 100) / 10 };
}

interface Target {
  host: string;
  port: number;
}

async function measure(target: Target, clients: number, plan: RatioPlan, perRequestMs: number | null): Promise<RatioFigure> {
  let wrong = 0;
  const concurrentRunsMs: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const run = await concurrent(target, clients, plan.delayMs);
    concurrentRunsMs.push(run.ms);
    wrong += run.wrong;
  }
  const sequentialRunsMs: number[] = [];
  const expectedMs = clients * plan.delayMs;
  const estimated = perRequestMs !== null && expectedMs > plan.sequentialBudgetMs;
  if (!estimated) {
    // A long sequential run is measured once: one after another, its time hardly varies.
    const runs = expectedMs > 1_000 ? 1 : plan.runs;
    for (let i = 0; i < runs; i++) {
      const run = await sequential(target, clients, plan.delayMs);
      sequentialRunsMs.push(run.ms);
      wrong += run.wrong;
    }
  }
  const sequentialMs = estimated ? perRequestMs * clients : median(sequentialRunsMs);
  const concurrentMs = median(concurrentRunsMs);
  return {
    clients,
    sequentialMs,
    sequentialEstimated: estimated,
    concurrentMs,
    ratio: sequentialMs / concurrentMs,
    concurrentRunsMs,
    sequentialRunsMs,
    wrongReplies: wrong,
  };
}

/** The request each client sends, and the reply it must get. */
function request(i: number): { line: string; reply: string } {
  const text = String(4312 + i);
  return { line: `${text}\n`, reply: expectReply(text, 4300).reply };
}

/** One connection, n requests, each sent when the previous reply has come. */
export async function sequential(target: Target, n: number, delayMs: number): Promise<{ ms: number; wrong: number }> {
  const client = await LineClient.connect(target.port, { host: target.host, signal: deadlineFor(n * delayMs) });
  try {
    let wrong = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const { line, reply } = request(i);
      client.send(line);
      if ((await client.line()) !== reply) wrong++;
    }
    return { ms: performance.now() - t0, wrong };
  } finally {
    client.destroy();
  }
}

/**
 * n connections, all opened first (not timed), then each sends one request at the same moment and
 * closes once answered (so that blocking, which serves a client until it leaves, can go on to the next).
 */
export async function concurrent(target: Target, n: number, delayMs: number): Promise<{ ms: number; wrong: number }> {
  const signal = deadlineFor(n * delayMs);
  const clients = await Promise.all(Array.from({ length: n }, () => LineClient.connect(target.port, { host: target.host, signal })));
  try {
    // Let the server accept them all (a thread or process per client starts here), so what is timed
    // is the requests, not the accepting.
    await delay(50 + n / 5);
    const t0 = performance.now();
    let last = t0;
    let wrong = 0;
    await Promise.all(clients.map(async (client, i) => {
      const { line, reply } = request(i);
      client.send(line);
      const got = await client.line();
      last = performance.now();
      if (got !== reply) wrong++;
      client.end();
    }));
    return { ms: last - t0, wrong };
  } finally {
    for (const client of clients) client.destroy();
  }
}

function deadlineFor(expectedMs: number): AbortSignal {
  const signal = AbortSignal.timeout(expectedMs * 3 + SLACK_MS);
  setMaxListeners(0, signal); // every client of a measurement listens to it
  return signal;
}
