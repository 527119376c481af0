// Accepting first, during a burst of connections. libuv accepts one connection per listening socket
// each time epoll reports it (libuv/libuv#3696), among up to 1,024 ready sockets a report, so while
// thousands of clients were served flat out the rest of a burst waited seconds to be accepted. When
// BURST_ACCEPTS arrive within WINDOW_MS, the gate closes: sessions on this thread stop reading after
// their current read (their unanswered lines keep their clients quiet), epoll reports little but the
// listening sockets, and the burst is taken in a fraction of a second. The gate opens once QUIET_MS
// pass without a new connection, or after MAX_CLOSED_MS, and then stays open at least MIN_OPEN_MS: a
// connect flood slows served clients to half speed at worst, never stops them.

const BURST_ACCEPTS = 16;
const WINDOW_MS = 10;
const QUIET_MS = 5;
const MAX_CLOSED_MS = 200;
const MIN_OPEN_MS = 200;

/** A session held while the gate is closed. */
export interface GateMember {
  release(): void;
}

export class AcceptGate {
  closed = false;
  #windowStart = Number.NEGATIVE_INFINITY;
  #windowAccepts = 0;
  #lastAcceptAt = 0;
  #closedAt = 0;
  #openedAt = Number.NEGATIVE_INFINITY;
  readonly #waiting = new Set<GateMember>();

  /** A connection was accepted on this thread. */
  accepted(): void {
    const now = performance.now();
    this.#lastAcceptAt = now;
    if (this.closed) return;
    if (now - this.#windowStart > WINDOW_MS) {
      this.#windowStart = now;
      this.#windowAccepts = 0;
    }
    if (++this.#windowAccepts >= BURST_ACCEPTS && now - this.#openedAt >= MIN_OPEN_MS) {
      this.closed = true;
      this.#closedAt = now;
      setImmediate(this.#check);
    }
  }

  /** The member stopped reading because the gate is closed: released when it opens. */
  wait(member: GateMember): void {
    this.#waiting.add(member);
  }

  forget(member: GateMember): void {
    this.#waiting.delete(member);
  }

  // Once a turn while closed: turns are short then, as the sessions are not read.
  #check = (): void => {
    const now = performance.now();
    if (now - this.#lastAcceptAt < QUIET_MS && now - this.#closedAt < MAX_CLOSED_MS) {
      setImmediate(this.#check);
      return;
    }
    this.closed = false;
    this.#openedAt = now;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const member of waiting) member.release();
  };
}

/** This thread's gate (each Worker has its own module instance, and accepts nothing). */
export const acceptGate = new AcceptGate();
