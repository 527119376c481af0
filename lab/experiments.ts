// The one-click experiments: the blog's story in order, each a set of lab settings and what to look
// for. The page lists them; the docs quote them. Pure, for the page's bundle.

import type { LabSettings } from './settings.ts';

export interface Experiment {
  id: string;
  title: string;
  settings: LabSettings;
  /** Two sentences: what to look for while it runs. */
  lookFor: string;
}

const CLOSED_LOOP = { pipeline: 1, rate: null, delayMs: 0, bigPercent: 0 } as const;

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'blocking-two',
    title: 'Two clients on blocking',
    settings: { ...CLOSED_LOOP, variants: ['blocking'], clients: 2 },
    lookFor: 'One cell lights and stays lit while the other stays dark: blocking serves the first client until it leaves, and the second waits unread. Its req/s is what one client alone can ask for.',
  },
  {
    id: 'threads-vs-loop',
    title: '100 clients: threads against event-loop',
    settings: { ...CLOSED_LOOP, variants: ['threads', 'event-loop'], clients: 100 },
    lookFor: 'The event loop lights all 100 cells at once, from one thread, and barely grows. Threads lights them only as it starts a Worker per client, a few dozen a second on shared cores: watch its OS threads pass 100 and its RSS climb by megabytes a client.',
  },
  {
    id: 'thousand-on-three',
    title: '1,000 clients on all three',
    settings: { ...CLOSED_LOOP, variants: ['blocking', 'threads', 'event-loop'], clients: 1_000 },
    lookFor: 'Blocking lights one cell of 1,000, and the event loop all 1,000 at once from one thread. Threads lights cells only as fast as it can start Workers (at most 64 start at once, the rest wait in line), its OS threads and RSS climbing with every one.',
  },
  {
    id: 'big-numbers',
    title: '1% million-digit numbers: event-loop against pool',
    settings: { ...CLOSED_LOOP, variants: ['event-loop', 'pool'], clients: 20, bigPercent: 1 },
    lookFor: 'Each big number holds the event loop\'s one thread for about 0.1 s: its loop delay jumps past 100 ms, and every client\'s p50 and p99 with it. The pool converts them on worker threads, so its serving loop\'s delay stays near 10 ms and its p50 under a millisecond; only the clients waiting on a big number wait.',
  },
  {
    id: 'io-wait',
    title: 'A 20 ms I/O wait at 100 clients',
    settings: { ...CLOSED_LOOP, variants: ['blocking', 'threads', 'event-loop', 'pool'], clients: 100, delayMs: 20 },
    lookFor: 'When every reply waits 20 ms, throughput is set by the wait, not the CPU: every model but blocking reaches about the same req/s (at most 100 clients × 50 replies a second, less when the cores are busy), threads once its Workers are up. What differs is the price: compare their OS threads and RSS.',
  },
];
