// One variant's replies, a quarter second at a time: which clients got one (a cell each on the page),
// and over the last second the replies per second, p50 and p99 latency, and how many clients were
// served. Pure: the caller closes each quarter, so tests drive it without timers.

import { createHistogram, recordMs, type Histogram } from '../load/harness/histogram.ts';

/** Quarters in the window that the per-second figures cover. */
const QUARTERS_PER_SECOND = 4;

export interface WindowFigures {
  /** Correct replies per second over the last second (or over the time so far, when shorter). */
  repliesPerSec: number;
  /** Latency of the last second's correct replies, ms; null when there were none. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Clients that got a reply within the last second, and the others. */
  served: number;
  waiting: number;
  /** One bit per client (client i at byte i >> 3, bit i & 7): got a reply in the quarter just closed. */
  lit: Uint8Array;
}

export class ReplyWindow {
  readonly clients: number;
  /** The quarter (1-based) of each client's last reply; 0 for none yet. */
  #lastQuarter: Uint32Array;
  #quarter = 1;
  #lit: Uint8Array;
  /** The last QUARTERS_PER_SECOND quarters' latencies and counts, the current one at #quarter % length. */
  #histograms: Histogram[] = Array.from({ length: QUARTERS_PER_SECOND }, () => createHistogram());
  #counts: number[] = Array.from({ length: QUARTERS_PER_SECOND }, () => 0);

  constructor(clients: number) {
    this.clients = clients;
    this.#lastQuarter = new Uint32Array(clients);
    this.#lit = new Uint8Array(Math.ceil(clients / 8));
  }

  /** A correct reply for client `client` (0-based), `latencyMs` after it was asked (or due). */
  record(client: number, latencyMs: number): void {
    if (client < 0 || client >= this.clients) return;
    const slot = this.#quarter % QUARTERS_PER_SECOND;
    recordMs(this.#histograms[slot]!, latencyMs);
    this.#counts[slot]!++;
    this.#lastQuarter[client] = this.#quarter;
    this.#lit[client >> 3]! |= 1 << (client & 7);
  }

  /** Ends the current quarter: its figures with the three before it, then a fresh quarter. */
  closeQuarter(): WindowFigures {
    const quartersSeen = Math.min(this.#quarter, QUARTERS_PER_SECOND);
    const second = createHistogram();
    for (const histogram of this.#histograms) second.add(histogram);
    const replies = this.#counts.reduce((a, b) => a + b, 0);
    const oldestServed = this.#quarter - QUARTERS_PER_SECOND + 1;
    let served = 0;
    for (const quarter of this.#lastQuarter) if (quarter !== 0 && quarter >= oldestServed) served++;
    const figures: WindowFigures = {
      repliesPerSec: (replies * QUARTERS_PER_SECOND) / quartersSeen,
      p50Ms: replies === 0 ? null : second.getValueAtPercentile(50) / 1000,
      p99Ms: replies === 0 ? null : second.getValueAtPercentile(99) / 1000,
      served,
      waiting: this.clients - served,
      lit: this.#lit,
    };
    this.#quarter++;
    const next = this.#quarter % QUARTERS_PER_SECOND;
    this.#histograms[next]!.reset();
    this.#counts[next] = 0;
    this.#lit = new Uint8Array(this.#lit.length);
    return figures;
  }
}
