// One client of the load test: connects, keeps up to --pipeline requests in flight, judges each reply
// and records its latency. Lean on purpose: requests are slices of one prebuilt buffer, replies are
// found by scanning for LF in the bytes as they arrive, and times live in a preallocated ring.

import net, { type Socket } from 'node:net';
import { isGoodbye, maxReplyBytes, type RequestPool } from './checker.ts';
import { indexOfLF } from '../../protocol/index.ts';
import { recordMs, type Histogram } from './histogram.ts';
import type { LoadOptions } from './load-options.ts';
import { OpenLoopSchedule, RequestBudget, shareOf } from './schedule.ts';
import { MAX_PROBLEMS, type Problem, type Tally } from './tally.ts';

const SHOWN_REPLY_CHARS = 80;

/** What the connections of one thread share. */
export interface ConnectionContext {
  readonly options: LoadOptions;
  readonly pool: RequestPool;
  readonly tally: Tally;
  /** Correct replies only, from the (intended) send time to the reply, microseconds. */
  readonly latency: Histogram;
  readonly connectTime: Histogram;
  /** --mix only: latency of correct replies by kind of request (pool.classOf), and replies not ok. */
  readonly classLatency: readonly Histogram[] | null;
  readonly classNotOk: number[] | null;
  /** Closed loop: the requests left to send in this thread. */
  readonly budget: RequestBudget;
  readonly problems: Problem[];
  /** Called on each correct reply with the client's index and the reply's latency (the lab lights a cell per client). */
  readonly onReply?: ((client: number, latencyMs: number) => void) | undefined;
  /** Called once per connection, when it will send no more. */
  done(connection: LoadConnection): void;
}

// idle -> connecting -> open -> (closing ->) idle again to reconnect, or done. `closing`: this side
// gave the socket up (a timeout) and awaits its 'close'; nothing is sent or read meanwhile.
type State = 'idle' | 'connecting' | 'open' | 'closing' | 'done';

export class LoadConnection {
  /** The connection's index among all the run's connections. */
  readonly index: number;
  /** Correct replies this client received, over all its reconnections. */
  okReplies = 0;
  #ctx: ConnectionContext;
  #state: State = 'idle';
  #socket: Socket | null = null;
  #connectStartedAt = 0;

  // Requests in flight, oldest first, in a ring of --pipeline slots.
  #latencyFrom: Float64Array;
  #sentAt: Float64Array;
  #head = 0;
  #inFlight = 0;
  /** Pool index of the next request to send and of the oldest one in flight. */
  #nextRequest: number;
  #oldestRequest: number;
  /** The start of a reply line whose LF has not arrived yet, in the chunks it came in. */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** A reply line longer than this is not a hexd reply: it counts as wrong and the connection restarts. */
  #maxReplyBytes: number;
  /**
   * The server said goodbye (a graceful close) with these requests in flight, none of them read there:
   * they stay in the ring and go again, first thing, on the next connection.
   */
  #resendInFlight = false;
  /**
   * Correct replies of one read that share a latency (requests sent together, answered in one read),
   * recorded as one value with its count: at pipeline 16 a record per reply was 7% of the tester's CPU.
   */
  #runMs = -1;
  #runCount = 0;

  // Open loop only.
  #schedule: OpenLoopSchedule | null;
  #scheduleStart = -1;
  #scheduled = 0;
  #quota: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(ctx: ConnectionContext, index: number) {
    this.#ctx = ctx;
    this.index = index;
    const { options, pool } = ctx;
    this.#latencyFrom = new Float64Array(options.pipeline);
    this.#sentAt = new Float64Array(options.pipeline);
    // Clients start at different places in the pool, so the server does not see one number repeated.
    this.#nextRequest = (index * 97) % pool.size;
    this.#oldestRequest = this.#nextRequest;
    this.#maxReplyBytes = maxReplyBytes(options.maxDigits);
    this.#schedule = options.rate === null ? null : new OpenLoopSchedule(options.rate, options.connections, index);
    // Open loop with -n: the run's requests are dealt round robin, so each connection has its own share.
    this.#quota = options.rate !== null && options.requests !== null
      ? shareOf(options.requests, options.connections, index)
      : Number.POSITIVE_INFINITY;
  }

  /** Opens the connection (and opens it again after a timeout or a drop, while there is work left). */
  connect(): void {
    if (this.#state !== 'idle') return;
    if (!this.#resendInFlight && !this.#hasWorkLeft()) {
      this.#finish();
      return;
    }
    const { host, port } = this.#ctx.options.target;
    this.#state = 'connecting';
    this.#connectStartedAt = performance.now();
    const socket = net.connect({ host, port, noDelay: true });
    this.#socket = socket;
    socket.on('connect', () => this.#onConnect(socket));
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on('error', ignoreError); // 'close' follows and says what it meant
    socket.on('close', () => this.#onClose(socket));
  }

  /**
   * Called every few milliseconds by the thread's sweeper: a connect or a request older than
   * --timeout-ms ends this socket; its requests in flight count as timeouts.
   */
  sweep(now: number): void {
    const timeoutMs = this.#ctx.options.timeoutMs;
    if (this.#state === 'connecting' && now - this.#connectStartedAt > timeoutMs) {
      this.#socket?.destroy(); // 'close' while connecting counts it as a failed connect
    } else if (this.#state === 'open' && this.#inFlight > 0 && now - this.#sentAt[this.#head]! > timeoutMs) {
      this.#ctx.tally.timeouts += this.#inFlight;
      this.#abandonInFlight();
      this.#state = 'closing';
      this.#socket?.destroy(); // late replies would now answer the wrong requests
    }
  }

  /** The run is over: requests in flight are left unfinished and the socket is closed at once. */
  stop(now: number): void {
    if (this.#state === 'done') return;
    const tally = this.#ctx.tally;
    tally.unfinished += this.#inFlight;
    this.#inFlight = 0;
    this.#resendInFlight = false;
    if (this.#schedule !== null && this.#scheduleStart >= 0) {
      const due = Math.min(this.#quota, this.#schedule.dueBy(now - this.#scheduleStart));
      if (due > this.#scheduled) tally.unsent += due - this.#scheduled;
    }
    this.#socket?.destroy();
    this.#finish();
  }

  #onConnect(socket: Socket): void {
    if (socket !== this.#socket || this.#state !== 'connecting') return;
    const now = performance.now();
    this.#state = 'open';
    this.#ctx.tally.connects++;
    recordMs(this.#ctx.connectTime, now - this.#connectStartedAt);
    // The schedule starts with the first connection and runs on through reconnections: time lost
    // reconnecting shows as latency.
    if (this.#scheduleStart < 0) this.#scheduleStart = now;
    if (this.#resendInFlight) this.#resend(socket, now);
    this.#pump(now);
  }

  /** Sends the requests in flight again, as they were: their latency still counts from their first send. */
  #resend(socket: Socket, now: number): void {
    this.#resendInFlight = false;
    const { pool, tally } = this.#ctx;
    const capacity = this.#sentAt.length;
    for (let i = 0, slot = this.#head; i < this.#inFlight; i++, slot = slot + 1 === capacity ? 0 : slot + 1) this.#sentAt[slot] = now;
    const end = this.#oldestRequest + this.#inFlight;
    if (end <= pool.size) {
      socket.write(pool.lines(this.#oldestRequest, end));
    } else {
      socket.write(pool.lines(this.#oldestRequest, pool.size));
      socket.write(pool.lines(0, end - pool.size));
    }
    tally.resent += this.#inFlight;
  }

  #onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.#socket || this.#state !== 'open') return;
    const now = performance.now();
    let bytes = chunk;
    let lf = indexOfLF(chunk, 0);
    if (this.#partialBytes > 0) {
      // A long reply (a big number's) arrives in many chunks: keep them, and join them once, at its LF.
      if (lf === -1) {
        this.#keepPartial(socket, chunk);
        return;
      }
      bytes = Buffer.concat([...this.#partial, chunk]);
      lf += this.#partialBytes;
      this.#partial = [];
      this.#partialBytes = 0;
    }
    let start = 0;
    while (lf !== -1) {
      if (isGoodbye(bytes, start, lf)) {
        this.#recordRun();
        this.#onGoodbye(socket);
        return;
      }
      this.#onReply(bytes, start, lf, now);
      start = lf + 1;
      lf = indexOfLF(bytes, start);
    }
    this.#recordRun();
    if (start < bytes.length && !this.#keepPartial(socket, bytes.subarray(start))) return;
    this.#pump(now);
  }

  /** Keeps the start of a reply line; false (and the connection ended) when it is too long to be one. */
  #keepPartial(socket: Socket, tail: Buffer): boolean {
    if (this.#partialBytes + tail.length > this.#maxReplyBytes) {
      const seen = this.#partialBytes === 0 ? tail : this.#partial[0]!;
      this.#problem('wrong', seen, 0, seen.length);
      this.#ctx.tally.wrong++;
      this.#ctx.tally.dropped += this.#inFlight;
      this.#abandonInFlight();
      this.#state = 'closing';
      socket.destroy();
      return false;
    }
    // A copy: the tail of a chunk, which Node may reuse.
    this.#partial.push(Buffer.from(tail));
    this.#partialBytes += tail.length;
    return true;
  }

  /**
   * The server is closing gracefully and has answered every request it read: those in flight go again
   * on a new connection. Our FIN answers its FIN; 'close' then reconnects.
   */
  #onGoodbye(socket: Socket): void {
    this.#resendInFlight = this.#inFlight > 0;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#state = 'closing';
    socket.end();
  }

  #onReply(bytes: Buffer, start: number, end: number, now: number): void {
    const tally = this.#ctx.tally;
    if (this.#inFlight === 0) {
      // A reply to nothing: a server without framing answering one request twice, say.
      tally.wrong++;
      this.#problem('wrong', bytes, start, end, true);
      return;
    }
    const { pool, classLatency, classNotOk } = this.#ctx;
    const verdict = pool.judge(this.#oldestRequest, bytes, start, end);
    if (verdict === 'ok') {
      tally.ok++;
      this.okReplies++;
      const ms = now - this.#latencyFrom[this.#head]!;
      if (ms !== this.#runMs) {
        this.#recordRun();
        this.#runMs = ms;
      }
      this.#runCount++;
      this.#ctx.onReply?.(this.index, ms);
      if (classLatency !== null) recordMs(classLatency[pool.classOf[this.#oldestRequest]!]!, ms);
    } else {
      if (verdict === 'error') tally.errors++;
      else tally.wrong++;
      if (classNotOk !== null) classNotOk[pool.classOf[this.#oldestRequest]!]!++;
      this.#problem(verdict, bytes, start, end);
    }
    this.#head = this.#head + 1 === this.#latencyFrom.length ? 0 : this.#head + 1;
    this.#inFlight--;
    this.#oldestRequest = this.#oldestRequest + 1 === this.#ctx.pool.size ? 0 : this.#oldestRequest + 1;
  }

  #recordRun(): void {
    if (this.#runCount === 0) return;
    recordMs(this.#ctx.latency, this.#runMs, this.#runCount);
    this.#runCount = 0;
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#partial = [];
    this.#partialBytes = 0;
    if (this.#state === 'done') return;
    if (this.#state === 'connecting') {
      // Refused, reset, or too slow: this client gives up rather than hammer a server that is not there.
      this.#ctx.tally.connectFailed++;
      if (this.#resendInFlight) this.#ctx.tally.dropped += this.#inFlight; // no server left to send them to
      this.#finish();
      return;
    }
    if (this.#inFlight > 0 && !this.#resendInFlight) {
      this.#ctx.tally.dropped += this.#inFlight;
      this.#abandonInFlight();
    }
    this.#clearTimer();
    this.#state = 'idle';
    this.connect();
  }

  /** Sends what the loop allows now: closed loop, until --pipeline are in flight; open loop, what is due. */
  #pump(now: number): void {
    const { pool, budget, tally } = this.#ctx;
    const capacity = this.#latencyFrom.length;
    let from = this.#nextRequest;
    let next = from;
    let tail = (this.#head + this.#inFlight) % capacity;
    while (this.#inFlight < capacity) {
      let latencyFrom = now;
      if (this.#schedule === null) {
        if (!budget.take()) break;
      } else {
        if (this.#scheduled >= this.#quota) break;
        const dueAt = this.#scheduleStart + this.#schedule.dueAtMs(this.#scheduled);
        if (dueAt > now) {
          this.#armTimer(dueAt - now);
          break;
        }
        latencyFrom = dueAt;
        this.#scheduled++;
      }
      this.#latencyFrom[tail] = latencyFrom;
      this.#sentAt[tail] = now;
      tail = tail + 1 === capacity ? 0 : tail + 1;
      this.#inFlight++;
      tally.sent++;
      next++;
      if (next === pool.size) {
        this.#socket!.write(pool.lines(from, next));
        from = 0;
        next = 0;
      }
    }
    if (next !== from) this.#socket!.write(pool.lines(from, next));
    this.#nextRequest = next;
    if (this.#inFlight === 0 && !this.#hasWorkLeft()) {
      this.#socket!.end();
      this.#finish();
    }
  }

  #hasWorkLeft(): boolean {
    return this.#schedule === null ? this.#ctx.budget.remaining > 0 : this.#scheduled < this.#quota;
  }

  #armTimer(delayMs: number): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#state === 'open') this.#pump(performance.now());
    }, Math.max(1, Math.ceil(delayMs)));
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Forgets the requests in flight (already counted by the caller); the next reply starts afresh. */
  #abandonInFlight(): void {
    this.#inFlight = 0;
    this.#head = 0;
    this.#oldestRequest = this.#nextRequest;
    this.#partial = [];
    this.#partialBytes = 0;
  }

  #finish(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#clearTimer();
    this.#ctx.done(this);
  }

  #problem(kind: Problem['kind'], bytes: Buffer, start: number, end: number, unasked = false): void {
    const problems = this.#ctx.problems;
    if (problems.length >= MAX_PROBLEMS) return;
    const pool = this.#ctx.pool;
    const got = bytes.toString('latin1', start, Math.min(end, start + SHOWN_REPLY_CHARS));
    const expected = pool.expected(this.#oldestRequest);
    problems.push({
      kind,
      request: unasked ? null : shorten(pool.texts[this.#oldestRequest]!),
      expected: unasked ? null : shorten(expected.toString('utf8', 0, Math.min(expected.length, SHOWN_REPLY_CHARS + 1)), expected.length),
      got,
    });
  }
}

/** A big number's request or reply, cut for the report: `1234…(1,000,000 chars)`. */
function shorten(text: string, length = text.length): string {
  return length <= SHOWN_REPLY_CHARS ? text : `${text.slice(0, SHOWN_REPLY_CHARS / 2)}…(${length.toLocaleString('en-US')} chars)`;
}

function ignoreError(): void {}
