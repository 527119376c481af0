// When requests leave: how connections and request counts are shared out, the open-loop schedule, and
// the closed-loop budget. Pure arithmetic, no clocks: callers pass elapsed times in.

/** A run of consecutive global connection indices. */
export interface Slice {
  start: number;
  count: number;
}

/** Splits `total` items into `parts` consecutive slices whose sizes differ by at most one. */
export function splitEvenly(total: number, parts: number): Slice[] {
  const slices: Slice[] = [];
  for (let i = 0; i < parts; i++) {
    const start = Math.floor((i * total) / parts);
    slices.push({ start, count: Math.floor(((i + 1) * total) / parts) - start });
  }
  return slices;
}

/** Item `index`'s share when `total` items are dealt round robin among `among`. */
export function shareOf(total: number, among: number, index: number): number {
  return Math.floor(total / among) + (index < total % among ? 1 : 0);
}

/** The sum of the shares of a slice of connections. */
export function shareOfSlice(total: number, among: number, slice: Slice): number {
  let sum = 0;
  for (let i = slice.start; i < slice.start + slice.count; i++) sum += shareOf(total, among, i);
  return sum;
}

/**
 * The open-loop schedule of one connection. The run's requests leave every 1/rate seconds, dealt round
 * robin to the connections: request k of connection g is due at (g + k * connections) / rate seconds
 * after the connection's schedule starts. Latency counts from that time, not from when the request
 * actually left, so a server that stalls shows as latency rather than as fewer requests (wrk2's fix
 * for coordinated omission).
 */
export class OpenLoopSchedule {
  readonly intervalMs: number;
  readonly offsetMs: number;

  constructor(rate: number, connections: number, index: number) {
    this.intervalMs = (connections * 1000) / rate;
    this.offsetMs = (index * 1000) / rate;
  }

  /** When request k is due, in ms after the schedule's start. */
  dueAtMs(k: number): number {
    return this.offsetMs + k * this.intervalMs;
  }

  /** How many requests are due `elapsedMs` after the start (request k counts once dueAtMs(k) <= elapsedMs). */
  dueBy(elapsedMs: number): number {
    if (elapsedMs < this.offsetMs) return 0;
    // The division is a first guess; floating point can put it one off either way, so settle it
    // against dueAtMs itself, the one definition of the schedule.
    let n = Math.floor((elapsedMs - this.offsetMs) / this.intervalMs) + 1;
    while (this.dueAtMs(n) <= elapsedMs) n++;
    while (n > 0 && this.dueAtMs(n - 1) > elapsedMs) n--;
    return n;
  }
}

/** The closed loop's request count shared by the connections of one thread: whoever is ready takes one. */
export class RequestBudget {
  #remaining: number;

  /** Infinity when only time ends the run. */
  constructor(total: number) {
    this.#remaining = total;
  }

  get remaining(): number {
    return this.#remaining;
  }

  /** Takes one request if any is left. */
  take(): boolean {
    if (this.#remaining <= 0) return false;
    this.#remaining--;
    return true;
  }
}
