// The idle timeout, kept by one sweep per thread over its connections rather than a timer each: Node's
// socket.setTimeout costs every connection a Timeout object and a listener (about 0.2 KB of an idle
// connection's 4) and re-arms on every read and write. Here progress is a copy of the sweep's tick
// count, and a connection whose last progress is a timeout's worth of ticks old is closed: between
// one timeout and one tick (a tenth of it, at most a second) after it last moved.

const TICKS_PER_TIMEOUT = 10;
const MAX_TICK_MS = 1000;

export class IdleSweep<T> {
  readonly timeoutMs: number;
  readonly #tickMs: number;
  readonly #ticksPerTimeout: number;
  readonly #onIdle: (item: T) => void;
  /** Each item and the tick of its last progress. */
  readonly #lastMoved = new Map<T, number>();
  #tick = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, onIdle: (item: T) => void) {
    this.timeoutMs = timeoutMs;
    this.#tickMs = Math.max(1, Math.min(MAX_TICK_MS, Math.floor(timeoutMs / TICKS_PER_TIMEOUT)));
    this.#ticksPerTimeout = Math.ceil(timeoutMs / this.#tickMs);
    this.#onIdle = onIdle;
  }

  /** The item moved (or is new): its idle time counts from now. */
  moved(item: T): void {
    this.#lastMoved.set(item, this.#tick);
    this.#timer ??= setInterval(() => this.#sweep(), this.#tickMs).unref();
  }

  /** The item is no longer watched (closed, or timed by other means). */
  forget(item: T): void {
    this.#lastMoved.delete(item);
    if (this.#lastMoved.size === 0) this.#stopTimer();
  }

  #sweep(): void {
    // Ticks count in whole intervals, so an item is idle past `timeoutMs` once `ticksPerTimeout` have
    // gone by since the tick it moved in, a part of which may have passed before it moved.
    this.#tick++;
    for (const [item, tick] of this.#lastMoved) {
      if (this.#tick - tick > this.#ticksPerTimeout) {
        this.#lastMoved.delete(item);
        this.#onIdle(item);
      }
    }
    if (this.#lastMoved.size === 0) this.#stopTimer();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
