// One client's connection, served by the protocol. Every variant runs exactly this; they differ only
// in which thread runs it and when it starts.

/* oxlint-disable typescript/unbound-method -- the socket listeners are shared functions that Node calls with `this` = the socket (see SESSION) */
import type { Socket } from 'node:net';
import { LineFramer, Responder, SHUTTING_DOWN_LINE, type ProtocolLimits } from '../../protocol/index.ts';
import { LineDeadlines } from './line-deadlines.ts';
import { IdleSweep } from './idle-sweep.ts';
import { acceptGate } from './accept-gate.ts';
import { closeGently } from './close-gently.ts';
import { SNIFF_BYTES, sniffHttp } from './http-sniff.ts';
import { parseProxyHeader, type ProxyHeader } from './proxy-protocol.ts';
import { MAX_QUEUED_LINES, OrderedReplies, type Offload } from './ordered-replies.ts';
import { BufferBudget, type BudgetMember } from './buffer-budget.ts';
import type { ProcessHoldings } from './process-holdings.ts';
import { plural } from '../../common/plural.ts';
import { threadCounters } from './telemetry/counters.ts';
import { holdBusyOnRequest, testHooksEnabled } from './test-hooks.ts';

/** Read once: the busy-wait test hook is armed only in tests (test-hooks.ts). */
const BUSY_HOOK = testHooksEnabled();

/** Reply bytes one connection may hold past --max-pending-bytes before it stops being read. */
export const PENDING_SLACK_BYTES = 64 * 1024;

/**
 * No line earns more reply than this many bytes per byte it took, its LF included: the most is an
 * empty line, 1 byte answered by a 55-byte error. Reads are fed to the protocol in pieces sized by it.
 */
export const MAX_REPLY_BYTES_PER_BYTE = 64;

/**
 * What one connection may feed the protocol per turn of the event loop (see Session.#feed): input
 * bytes, each line answered counted as LINE_COST_BYTES more, since a short line costs what that much
 * of a long number does. A turn feeds at least one piece of up to PIECE_BYTES.
 */
const TURN_BUDGET_BYTES = 64 * 1024;
const LINE_COST_BYTES = 64;
const PIECE_BYTES = 16 * 1024;

export interface SessionOptions {
  limits: ProtocolLimits;
  /** Close a connection that makes no progress either way for this long; 0 turns it off. */
  idleTimeoutMs: number;
  /** A line must end within this long of its first byte; 0 turns it off. */
  lineTimeoutMs: number;
  /** Stop reading a client whose unsent replies pass this many bytes, until it reads them. */
  maxPendingBytes: number;
  /** What all sessions of this thread may hold together in partial lines and replies (buffer-budget.ts). */
  maxBufferedBytes: number;
  /** Each reply waits this long on a timer, as if on a database; 0 = none. */
  delayMs: number;
  /** Lines at least this long are answered by `offload` (the pool variant's worker threads). */
  offloadMinBytes: number;
  /** Every connection starts with a PROXY protocol v1 or v2 header (from a balancer), or is refused. */
  proxyProtocol: boolean;
  offload?: Offload | undefined;
  /** Who serves the session, for log lines: `main thread`, `thread 3`. */
  servedBy: string;
  /** Called with one line per connection opened and closed, when verbose logging is on. */
  log?: ((line: string) => void) | undefined;
}

/** The settings a session needs that can cross to another thread or process (no functions). */
export type SessionSettings = Omit<SessionOptions, 'log' | 'servedBy' | 'offload'>;

export interface SessionSummary {
  replies: number;
}

// One sweeper per line timeout value in this thread (every session of a server shares one value).
const lineDeadlines = new Map<number, LineDeadlines<Session>>();

function lineDeadlinesFor(timeoutMs: number): LineDeadlines<Session> {
  let deadlines = lineDeadlines.get(timeoutMs);
  if (deadlines === undefined) {
    deadlines = new LineDeadlines(timeoutMs, (session) =>
      session.fail(`line timeout: a line must end within ${timeoutMs} ms of its first byte (--line-timeout-ms)`));
    lineDeadlines.set(timeoutMs, deadlines);
  }
  return deadlines;
}

// One sweep per idle timeout value in this thread, as for line timeouts.
const idleSweeps = new Map<number, IdleSweep<Session>>();

function idleSweepFor(timeoutMs: number): IdleSweep<Session> {
  let sweep = idleSweeps.get(timeoutMs);
  if (sweep === undefined) {
    sweep = new IdleSweep(timeoutMs, (session) => session.idle());
    idleSweeps.set(timeoutMs, sweep);
  }
  return sweep;
}

// One budget per thread and limit (every session of a server shares one value).
const budgets = new Map<number, BufferBudget>();
let processHoldings: ProcessHoldings | undefined;

/** threads: this thread's budget counts the bytes of the process's other threads (before any session). */
export function shareBufferBudget(holdings: ProcessHoldings): void {
  processHoldings = holdings;
}

function budgetFor(limitBytes: number): BufferBudget {
  let budget = budgets.get(limitBytes);
  if (budget === undefined) {
    budget = new BufferBudget(limitBytes, processHoldings);
    budgets.set(limitBytes, budget);
  }
  return budget;
}

const LF = 0x0a;

/** A socket's session, for the listeners every session shares (one function each, not a closure per connection). */
const SESSION = Symbol('hexd.session');
type SessionSocket = Socket & { [SESSION]?: Session };

// HTTP connections are handed to one http.Server per thread and options; it reports replies by socket.
const sessionsBySocket = new WeakMap<Socket, Session>();
type HttpFront = (socket: Socket, head: Buffer) => void;
const httpFronts = new WeakMap<SessionOptions, Promise<HttpFront>>();
/** An idle HTTP keep-alive connection is closed after this long (Node's own default). */
const HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

function httpFrontFor(options: SessionOptions): Promise<HttpFront> {
  let front = httpFronts.get(options);
  if (front === undefined) {
    const requestTimeoutMs = options.lineTimeoutMs > 0 ? options.lineTimeoutMs : 300_000;
    front = import('./http-front.ts').then(({ createHttpFront }) => createHttpFront(
      {
        limits: options.limits,
        keepAliveTimeoutMs: HTTP_KEEP_ALIVE_TIMEOUT_MS,
        headersTimeoutMs: requestTimeoutMs,
        requestTimeoutMs,
      },
      (socket) => sessionsBySocket.get(socket)?.countHttpReply(),
    ));
    httpFronts.set(options, front);
  }
  return front;
}

export class Session implements BudgetMember {
  readonly socket: Socket;
  #peer: string | undefined;
  /** Called once the socket has closed: one function for all the sessions of a model, not a promise each. */
  #whenClosed: ((session: Session) => void) | undefined;
  #closed: PromiseWithResolvers<SessionSummary> | undefined;
  #summary: SessionSummary | undefined;
  #responder: Responder;
  // Only when replies can come later than their line (--delay-ms, the pool): lines go through these.
  #ordered: { framer: LineFramer; replies: OrderedReplies } | undefined;
  #options: SessionOptions;
  #lineDeadlines: LineDeadlines<Session> | undefined;
  #idleSweep: IdleSweep<Session> | undefined;
  #budget: BufferBudget;
  /** Bytes of the line begun and not ended, as the framer stores them (0 while it skips an over-long one). */
  #partialBytes = 0;
  #skippingLine = false;
  #midLine = false;
  #ending = false;
  /** The first bytes, kept while they may still turn out to be an HTTP request line. */
  #sniffed: Buffer | null = null;
  /** --proxy-protocol: the first bytes are a PROXY header, not yet read whole. */
  #awaitingProxyHeader: boolean;
  /** The bytes of the PROXY header read so far, while it is not whole. */
  #proxyHead: Buffer | null = null;
  #http = false;
  #httpReplies = 0;
  /** The rest of a read not yet fed to the protocol, kept while the replies it may earn would not fit. */
  #unread: { chunk: Buffer; at: number } | null = null;
  /** The kept rest of a read is fed on the loop's next turn (see #feed). */
  #turnPending = false;
  /** The client's FIN came while part of its last read was still kept. */
  #endAfterUnread = false;
  // Replies and error replies already added to this thread's counters (telemetry/counters.ts).
  #countedReplies = 0;
  #countedErrors = 0;

  /** `whenClosed` is called once the socket has closed (`closed` is the same as a promise). */
  constructor(socket: Socket, options: SessionOptions, whenClosed?: (session: Session) => void) {
    this.socket = socket;
    this.#options = options;
    this.#whenClosed = whenClosed;
    this.#responder = new Responder(options.limits);
    this.#awaitingProxyHeader = options.proxyProtocol;
    if (options.delayMs > 0 || options.offload !== undefined) {
      this.#ordered = {
        framer: new LineFramer(options.limits.maxLineBytes),
        replies: new OrderedReplies(options.limits, options, (text) => this.#writeLater(text)),
      };
    }
    (socket as SessionSocket)[SESSION] = this;
    // We answer a last line after the client's FIN, so our side must stay open until we end it.
    socket.allowHalfOpen = true;
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) {
      this.#idleSweep = idleSweepFor(options.idleTimeoutMs);
      this.#idleSweep.moved(this);
    }
    if (options.lineTimeoutMs > 0) this.#lineDeadlines = lineDeadlinesFor(options.lineTimeoutMs);
    this.#budget = budgetFor(options.maxBufferedBytes);
    this.#budget.update(this, 0);
    threadCounters.connectionsOpen++;
    threadCounters.connectionsTotal++;
    if (BUSY_HOOK) holdBusyOnRequest(socket);
    socket.on('close', Session.#onCloseEvent);
    socket.on('data', Session.#onFirstDataEvent);
    socket.on('drain', Session.#onDrainEvent);
    socket.on('end', Session.#onEndEvent);
    socket.on('error', Session.#onErrorEvent);
    // Behind a balancer the client is known once the PROXY header is read: it is said then.
    if (!options.proxyProtocol) options.log?.(`${this.peer} connected (${options.servedBy})`);
    socket.resume(); // servers that accept paused hand sockets over unread
  }

  /** The client's address and port, for log lines (read when first asked: most sessions never are); behind a balancer, the one its PROXY header carries. */
  get peer(): string {
    this.#peer ??= `${this.socket.remoteAddress}:${this.socket.remotePort}`;
    return this.#peer;
  }

  /** Settles once the socket has closed, whatever closed it. */
  get closed(): Promise<SessionSummary> {
    if (this.#summary !== undefined) return Promise.resolve(this.#summary);
    this.#closed ??= Promise.withResolvers<SessionSummary>();
    return this.#closed.promise;
  }

  // The listeners every session shares; `this` is the socket.
  static #onCloseEvent = function (this: Socket): void {
    (this as SessionSocket)[SESSION]!.#onClose();
  };

  static #onFirstDataEvent = function (this: Socket, chunk: Buffer): void {
    threadCounters.bytesIn += chunk.length;
    (this as SessionSocket)[SESSION]!.#onFirstData(chunk);
  };

  static #onDataEvent = function (this: Socket, chunk: Buffer): void {
    threadCounters.bytesIn += chunk.length;
    (this as SessionSocket)[SESSION]!.#onData(chunk);
  };

  static #onDrainEvent = function (this: Socket): void {
    (this as SessionSocket)[SESSION]!.#onDrain();
  };

  static #onEndEvent = function (this: Socket): void {
    (this as SessionSocket)[SESSION]!.#onEnd();
  };

  static #onErrorEvent = function (this: Socket, err: NodeJS.ErrnoException): void {
    (this as SessionSocket)[SESSION]!.#onError(err);
  };

  static #onHttpTimeoutEvent = function (this: Socket): void {
    this.destroy(); // no line to send: HTTP has its own way of saying things
  };

  #onClose(): void {
    threadCounters.connectionsOpen--;
    this.#account('');
    this.#lineDeadlines?.stop(this);
    this.#idleSweep?.forget(this);
    this.#budget.remove(this);
    acceptGate.forget(this);
    this.#options.log?.(`${this.peer} closed after ${plural(this.replies, 'reply', 'replies')} (${this.#options.servedBy})`);
    this.#summary = { replies: this.replies };
    this.#closed?.resolve(this.#summary);
    this.#whenClosed?.(this);
  }

  get replies(): number {
    return this.#responder.replies + (this.#ordered?.replies.replies ?? 0) + this.#httpReplies;
  }

  countHttpReply(): void {
    this.#httpReplies++;
    this.#account('');
  }

  /** Adds what was just written, and the replies made since the last call, to this thread's counters. */
  #account(written: string): void {
    if (written !== '') threadCounters.bytesOut += Buffer.byteLength(written);
    const replies = this.replies;
    if (replies === this.#countedReplies) return;
    threadCounters.replies += replies - this.#countedReplies;
    this.#countedReplies = replies;
    const errors = this.#responder.errors + (this.#ordered?.replies.errors ?? 0);
    threadCounters.errorReplies += errors - this.#countedErrors;
    this.#countedErrors = errors;
  }

  /** Every write of replies goes through here, so the counters see it. */
  #write(text: string): void {
    this.socket.write(text);
    this.#account(text);
  }

  /**
   * The same, for replies whose UTF-8 length the protocol already knows. Text that is ASCII (a byte
   * a character) is written as latin1: a plain copy, where UTF-8 would scan it character by character.
   */
  #writeReplies(text: string, bytes: number): void {
    const encoding = bytes === text.length ? 'latin1' : 'utf8';
    // A write behind others waits in the stream's queue as it was given, and replies joined by `+=`
    // are a rope, a node per reply: twice the bytes (20 non-reading clients held 88 MiB, not 48).
    this.socket.write(this.socket.writableLength > 0 ? Buffer.from(text, encoding) : text, encoding);
    threadCounters.bytesOut += bytes;
    this.#account('');
  }

  /**
   * Graceful close: every line already read has been answered (answers are written as lines arrive),
   * so say so (SHUTTING_DOWN_LINE: a client may send its unanswered lines again elsewhere) and send
   * FIN after them. Later bytes are read and dropped until the client's FIN, because closing with
   * unread bytes makes the kernel send a reset, which can cost the client replies in flight.
   */
  shutdown(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#unread = null; // not yet read, as far as the protocol knows: dropped like later bytes
    if (this.#http) {
      // Node's http.Server closes a keep-alive connection after its response when the socket ends.
      this.socket.end();
      return;
    }
    this.socket.resume();
    const goodbye = (): void => {
      this.socket.end(SHUTTING_DOWN_LINE, 'latin1');
      threadCounters.bytesOut += SHUTTING_DOWN_LINE.length;
    };
    if (this.#ordered === undefined) goodbye();
    else void this.#ordered.replies.drained().then(goodbye);
  }

  /** Ends the session at once with one last `error: ` line, if the client is reading at all. */
  fail(reason: string): void {
    if (this.#ending) return;
    this.#ending = true;
    if (this.socket.writableLength > 0) {
      this.socket.destroy(); // replies are already stuck unread: one more line would not arrive either
      return;
    }
    closeGently(this.socket, `error: ${reason}\n`);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * --proxy-protocol: the first bytes must be a PROXY header, read whole before anything else (at
   * most PROXY_HEADER_MAX_BYTES, and within --line-timeout-ms as a line). What follows it in the same
   * read is the client's own first bytes. (The 'data' listener stays #onFirstData's: adding one
   * from inside a 'data' event schedules a resume that emits 'end' even while HTTP's import keeps
   * the socket paused.)
   */
  #onProxyData(chunk: Buffer): void {
    if (this.#ending) {
      releaseReadBuffer(chunk); // refused, timed out or shut down while reading the header: dropped until FIN
      return;
    }
    const head = this.#proxyHead === null ? chunk : Buffer.concat([this.#proxyHead, chunk]);
    const verdict = parseProxyHeader(head);
    if (verdict.kind === 'more') {
      this.#proxyHead = head;
      this.#trackLine(true);
      return;
    }
    this.#proxyHead = null;
    this.#trackLine(false);
    if (verdict.kind === 'invalid') {
      this.#options.log?.(`${this.peer} refused: ${verdict.reason} (--proxy-protocol) (${this.#options.servedBy})`);
      this.fail(`${verdict.reason} (--proxy-protocol)`);
      return;
    }
    this.#awaitingProxyHeader = false;
    this.#takeProxyHeader(verdict.header);
    const rest = head.subarray(verdict.header.headerBytes);
    if (rest.length > 0) this.#onFirstData(rest);
  }

  /** From here the client is the one the header names; LOCAL (a health check) and UNKNOWN keep the real peer. */
  #takeProxyHeader(header: ProxyHeader): void {
    const via = this.peer;
    const { endpoints } = header;
    if (endpoints !== undefined) this.#peer = `${endpoints.sourceAddress}:${endpoints.sourcePort}`;
    const how = endpoints !== undefined ? `via ${via}` : header.command === 'local' ? 'the balancer\'s own, LOCAL' : 'source UNKNOWN';
    this.#options.log?.(`${this.peer} connected (${how}, PROXY v${header.version}) (${this.#options.servedBy})`);
  }

  // The first bytes decide the protocol: an HTTP request line, or (as always but for that) lines.
  #onFirstData(chunk: Buffer): void {
    if (this.#awaitingProxyHeader) {
      this.#onProxyData(chunk);
      return;
    }
    if (this.#ending) {
      releaseReadBuffer(chunk); // timed out or shut down while still sniffing: dropped until FIN
      return;
    }
    const head = this.#sniffed === null ? chunk : Buffer.concat([this.#sniffed, chunk]);
    const verdict = sniffHttp(head);
    if (verdict === 'more') {
      this.#sniffed = head;
      this.#trackLine(true); // a first line still being sniffed is a line: it too must end in time
      return;
    }
    this.#sniffed = null;
    this.socket.removeListener('data', Session.#onFirstDataEvent);
    if (verdict === 'yes') this.#serveHttp(head);
    else if (verdict === 'too-long') this.#refuseHttp(head);
    else {
      this.socket.on('data', Session.#onDataEvent);
      this.#onData(head);
    }
  }

  /** A request line past SNIFF_BYTES: one HTTP status, then goodbye. */
  #refuseHttp(head: Buffer): void {
    this.#ending = true;
    this.#trackLine(false);
    releaseReadBuffer(head);
    const body = `error: request line longer than ${SNIFF_BYTES} bytes\n`;
    this.#httpReplies++;
    this.#account('');
    closeGently(this.socket, `HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }

  #serveHttp(head: Buffer): void {
    // From here node:http bounds the request (headersTimeout, requestTimeout: see http-front.ts).
    this.#trackLine(false);
    this.#http = true;
    this.#budget.remove(this); // node:http keeps its own bounds on a request
    this.socket.removeListener('drain', Session.#onDrainEvent);
    this.socket.removeListener('end', Session.#onEndEvent);
    if (this.#idleSweep !== undefined) {
      // Our listeners no longer see the connection move: node:http's socket timeout tells.
      this.#idleSweep.forget(this);
      this.socket.setTimeout(this.#idleSweep.timeoutMs);
      this.socket.on('timeout', Session.#onHttpTimeoutEvent);
    }
    sessionsBySocket.set(this.socket, this);
    this.socket.pause(); // until node:http has loaded, the first time
    void httpFrontFor(this.#options).then((serve) => {
      if (!this.socket.destroyed) serve(this.socket, head);
    });
  }

  #onData(chunk: Buffer): void {
    this.#idleSweep?.moved(this);
    if (this.#ending) {
      releaseReadBuffer(chunk); // read and dropped until the client's FIN (see shutdown())
      return;
    }
    this.#feed(chunk, 0);
  }

  /**
   * Reply bytes this connection holds: written and not yet taken by the kernel, made ahead of their
   * turn, and offloaded lines' copies waiting for their reply.
   */
  get heldReplyBytes(): number {
    return this.socket.writableLength + (this.#ordered?.replies.heldBytes ?? 0);
  }

  /**
   * Input bytes the protocol may take now: as many as can earn replies that still fit under
   * --max-pending-bytes plus PENDING_SLACK_BYTES, and, where lines wait their turn, no more lines
   * than the queue has room for (a line takes at least its LF). 0 once the replies pass the limit.
   */
  #feedableBytes(): number {
    const held = this.heldReplyBytes;
    const { maxPendingBytes } = this.#options;
    if (held > maxPendingBytes || this.#budget.isHeldBack(this) || acceptGate.closed) return 0;
    // A byte adds at most one byte of partial line, or a line's reply: MAX_REPLY_BYTES_PER_BYTE covers both.
    const room = Math.min(maxPendingBytes + PENDING_SLACK_BYTES - held, this.#budget.roomFor(this.bufferedBytes));
    const bytes = Math.floor(room / MAX_REPLY_BYTES_PER_BYTE);
    return this.#ordered === undefined ? bytes : Math.min(bytes, MAX_QUEUED_LINES - this.#ordered.replies.queued);
  }

  /**
   * Feeds a read to the protocol in pieces, each as large as the bounds allow; when they allow none,
   * the rest of the read is kept and the socket is not read until replies go out. So the bounds hold
   * per line's worth of input, not per read: one 64 KiB read of bare LFs would otherwise earn 3.6 MB
   * of error replies, or 65,536 queued lines, before anything looked. A turn of the event loop feeds
   * at most TURN_BUDGET_BYTES' worth; the rest waits for the next turn, so clients sending flat out
   * take turns with everyone else (a newcomer's connect, a short request) instead of a whole read of
   * 65,536 empty lines each. A read of a few long numbers goes in one turn: cut in 16 KiB turns, a
   * 64 KiB read of 4,300-digit numbers cost 15-18% more CPU, each turn a pause, a resume and a wake.
   */
  #feed(chunk: Buffer, at: number): void {
    let spent = 0;
    while (at < chunk.length && spent < TURN_BUDGET_BYTES) {
      const bytes = this.#feedableBytes();
      if (bytes <= 0) {
        this.#unread = { chunk, at };
        this.#stopReading();
        return;
      }
      const end = Math.min(chunk.length, at + PIECE_BYTES, at + bytes);
      const repliesBefore = this.replies;
      this.#feedPiece(end - at === chunk.length ? chunk : chunk.subarray(at, end));
      this.#budget.update(this, this.bufferedBytes);
      spent += end - at + LINE_COST_BYTES * (this.replies - repliesBefore);
      at = end;
    }
    if (at < chunk.length) {
      this.#unread = { chunk, at };
      this.socket.pause();
      this.#turnPending = true;
      setImmediate(nextTurn, this);
      return;
    }
    this.#unread = null;
    releaseReadBuffer(chunk); // the protocol copied what it keeps
  }

  /** The kept rest of a read, on the loop's next turn (see #feed). */
  nextTurn(): void {
    this.#turnPending = false;
    this.#readAgain();
  }

  #feedPiece(piece: Buffer): void {
    this.#countPartial(piece);
    const ordered = this.#ordered;
    if (ordered !== undefined) {
      ordered.framer.push(piece, ordered.replies);
      this.#writeReady(ordered.replies);
      this.#trackLine(ordered.framer.midLine);
      return;
    }
    const replies = this.#responder.receive(piece);
    if (replies !== '') this.#writeReplies(replies, this.#responder.takenBytes);
    this.#trackLine(this.#responder.midLine);
  }

  /** Follows the framer's partial line from the LFs alone: what is after the last one, if it is stored. */
  #countPartial(piece: Buffer): void {
    // Most reads end with a line's LF: then nothing is partial, and no search is needed.
    const lastLf = piece[piece.length - 1] === LF ? piece.length - 1 : piece.lastIndexOf(LF);
    if (lastLf !== -1) {
      this.#skippingLine = false;
      this.#partialBytes = piece.length - lastLf - 1;
    } else if (!this.#skippingLine) {
      this.#partialBytes += piece.length;
    }
    if (this.#partialBytes > this.#options.limits.maxLineBytes + 1) {
      this.#skippingLine = true; // the framer reports it and skips the rest up to its LF, storing nothing
      this.#partialBytes = 0;
    }
  }

  /** What this connection holds: its partial line and its replies not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.heldReplyBytes + this.#partialBytes;
  }

  holdBack(totalBytes: number): void {
    this.socket.pause();
    this.#options.log?.(
      `${this.peer} not read for now: connections hold ${totalBytes} bytes of --max-buffered-bytes ${this.#budget.limitBytes}, this one ${this.bufferedBytes}, among the most (${this.#options.servedBy})`,
    );
  }

  release(): void {
    this.#readAgain();
  }

  /** Replies made at once go out before any that come later (OrderedReplies.takeReady). */
  #writeReady(replies: OrderedReplies): void {
    const ready = replies.takeReady();
    if (ready !== '') this.#write(ready);
  }

  /** Reads again, the kept rest of a read first, if the bounds allow it now. */
  #readAgain(): void {
    if (this.#ending || this.#turnPending || this.socket.destroyed) return;
    if (this.#feedableBytes() <= 0) {
      this.#stopReading(); // still, or again: say so as when reading first stopped
      return;
    }
    const unread = this.#unread;
    if (unread !== null) {
      this.#feed(unread.chunk, unread.at);
      if (this.#unread !== null) return;
    }
    if (this.#endAfterUnread) this.#finishInput();
    else this.socket.resume();
  }

  // A reply that came later than its line; written in order by OrderedReplies.
  #writeLater(text: string): void {
    if (this.socket.destroyed) return;
    this.#idleSweep?.moved(this);
    this.#write(text);
    this.#budget.update(this, this.bufferedBytes);
    if (this.socket.isPaused() && this.#ordered!.replies.queued < MAX_QUEUED_LINES / 2) this.#readAgain();
  }

  #trackLine(midLine: boolean): void {
    if (this.#lineDeadlines === undefined || this.#midLine === midLine) return;
    this.#midLine = midLine;
    if (midLine) this.#lineDeadlines.start(this);
    else this.#lineDeadlines.stop(this);
  }

  #stopReading(): void {
    this.socket.pause();
    if (acceptGate.closed) {
      acceptGate.wait(this); // a burst of connections is being accepted (accept-gate.ts)
      return;
    }
    if (this.heldReplyBytes <= this.#options.maxPendingBytes) {
      this.#waitForBudgetRoom(); // or lines wait their turn: no news either way
      return;
    }
    this.#options.log?.(
      `${this.peer} not read until it reads its replies: ${this.socket.writableLength} bytes pending (--max-pending-bytes ${this.#options.maxPendingBytes}) (${this.#options.servedBy})`,
    );
  }

  /** Stopped because the budget has no room for this connection: the budget says when it has. */
  #waitForBudgetRoom(): void {
    if (this.heldReplyBytes > this.#options.maxPendingBytes || this.#budget.isHeldBack(this)) return;
    if (this.#budget.roomFor(this.bufferedBytes) < MAX_REPLY_BYTES_PER_BYTE) this.#budget.wait(this);
  }

  #onDrain(): void {
    this.#idleSweep?.moved(this);
    this.#budget.update(this, this.bufferedBytes);
    this.#readAgain();
  }

  #onEnd(): void {
    if (this.#ending) return;
    if (this.#unread !== null) this.#endAfterUnread = true; // answered once the kept rest is
    else this.#finishInput();
  }

  /** The client sent its last byte and all of it was fed: answer a last line without LF, then FIN. */
  #finishInput(): void {
    this.#ending = true;
    const ordered = this.#ordered;
    if (ordered === undefined) {
      const last = this.#responder.finish();
      this.socket.end(last);
      this.#account(last);
    } else {
      ordered.framer.finish(ordered.replies);
      this.#writeReady(ordered.replies);
      void ordered.replies.drained().then(() => this.socket.end());
    }
  }

  /** No progress either way for --idle-timeout-ms (IdleSweep). */
  idle(): void {
    this.fail('idle timeout');
  }

  #onError(err: NodeJS.ErrnoException): void {
    // 'close' follows; a reset by the client is routine, anything else is worth a log line.
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') {
      this.#options.log?.(`${this.peer} socket error ${err.code ?? err.message} (${this.#options.servedBy})`);
    }
  }
}

/** Reads at least this long are released at once (see releaseReadBuffer). */
const RELEASED_READ_BYTES = 256;

function nextTurn(session: Session): void {
  session.nextTurn();
}

/**
 * Frees a read chunk now rather than at V8's next GC. Node allocates a fresh buffer for every socket
 * read, up to 64 KiB, and V8 lets about 64 MiB of such dead buffers pile up before it collects them, so a
 * client streaming an endless line at loopback speed grew the server's RSS by 70 to 80 MiB (the
 * hardening tests' limit is 64). Detaching the chunk's ArrayBuffer (transfer to length 0) releases
 * its memory at once, to be reused by the next read. Only a chunk that owns its whole ArrayBuffer is
 * detached (never a slice of a shared pool); the session's is the socket's last 'data' listener.
 */
function releaseReadBuffer(chunk: Buffer): void {
  // Node cuts a read's buffer down to what was read: a short one costs little to leave to the GC (a
  // scavenge comes every few tens of thousands of reads, so at most some 20 MB of them wait for one),
  // while a detach costs an allocation per read, 2% of the CPU at one request a read.
  if (chunk.byteLength < RELEASED_READ_BYTES) return;
  const { buffer } = chunk;
  if (!(buffer instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength) return;
  try {
    buffer.transfer(0);
  } catch {
    // a non-detachable buffer is simply left to the GC
  }
}
