// The line timeout, kept by one sweep per thread over the connections that are mid-line, rather than
// one timer per connection: a connection at rest between lines costs nothing here.

export class LineDeadlines<T> {
  readonly timeoutMs: number;
  readonly #onExpired: (item: T) => void;
  readonly #startedAt = new Map<T, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number, onExpired: (item: T) => void) {
    this.timeoutMs = timeoutMs;
    this.#onExpired = onExpired;
  }

  /** A line has begun: its deadline counts from now. */
  start(item: T): void {
    this.#startedAt.set(item, performance.now());
    // Checking ten times per timeout keeps a late close within 10% of the limit.
    this.#timer ??= setInterval(() => this.#sweep(), Math.max(5, Math.min(1000, this.timeoutMs / 10))).unref();
  }

  /** The line ended (or the connection did). */
  stop(item: T): void {
    this.#startedAt.delete(item);
    if (this.#startedAt.size === 0) this.#stopTimer();
  }

  #sweep(): void {
    const now = performance.now();
    for (const [item, startedAt] of this.#startedAt) {
      if (now - startedAt >= this.timeoutMs) {
        this.#startedAt.delete(item);
        this.#onExpired(item);
      }
    }
    if (this.#startedAt.size === 0) this.#stopTimer();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
