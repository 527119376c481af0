// Replies that may come later than their line (a timer standing in for a database, a conversion on a
// worker pool) still go out in request order: each line takes a place in a queue, and the head of the
// queue is written as soon as it is ready. Lines of one connection are handled one after another, as
// a handler that awaits each request would.

import { isErrorReply, lineTooLong, replyToLine, type ProtocolLimits } from '../../protocol/index.ts';
import type { LineSink } from '../../protocol/index.ts';

/** Hands a line to other threads; resolves with its reply line (LF included). */
export type Offload = (line: Uint8Array) => Promise<string>;

export interface ReplyTiming {
  /** Each reply waits this long on a timer before it is sent; 0 = no wait. */
  delayMs: number;
  /** Lines at least this long are answered by `offload` rather than on this thread. */
  offloadMinBytes: number;
  offload?: Offload | undefined;
}

/** Lines waiting for their replies, at most; past it the connection is not read until some are sent. */
export const MAX_QUEUED_LINES = 1024;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class OrderedReplies implements LineSink {
  replies = 0;
  /** Of those, the `error: ...` replies. */
  errors = 0;
  readonly #limits: ProtocolLimits;
  readonly #timing: ReplyTiming;
  readonly #write: (text: string) => void;
  #queued = 0;
  #heldBytes = 0;
  /** Replies made at once, in order, for lines with none queued ahead of them; see takeReady(). */
  #ready = '';
  // The last line's reply: each line starts after the one before it has its reply, so replies also
  // settle, and are written, in request order.
  #last: Promise<void> = Promise.resolve();

  constructor(limits: ProtocolLimits, timing: ReplyTiming, write: (text: string) => void) {
    this.#limits = limits;
    this.#timing = timing;
    this.#write = write;
  }

  /** Lines read whose replies have not been written yet. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Bytes held for lines read and not yet written: their replies made ahead of their turn, and the
   * copies of offloaded lines until their reply is written.
   */
  get heldBytes(): number {
    return this.#heldBytes + this.#ready.length;
  }

  /**
   * Replies that were ready at once (no delay, not offloaded, no line ahead of them still waiting),
   * to be written now by the caller, before any later reply: one write for many lines, where a
   * promise and a write per line would cost a flood of short lines microseconds each.
   */
  takeReady(): string {
    const ready = this.#ready;
    this.#ready = '';
    return ready;
  }

  line(bytes: Uint8Array, start: number, end: number): void {
    const { offload, offloadMinBytes, delayMs } = this.#timing;
    // The bytes are only ours during this call: copy what an offloaded line needs (a Buffer's slice()
    // would share them), into its own ArrayBuffer, which is then transferred to the pool, not copied.
    const heavy = offload !== undefined && end - start >= offloadMinBytes ? new Uint8Array(bytes.subarray(start, end)) : null;
    const immediate = heavy === null ? replyToLine(bytes, start, end, this.#limits.maxDigits) : '';
    if (heavy === null && delayMs === 0 && this.#queued === 0) {
      this.#ready += immediate;
      this.replies++;
      if (isErrorReply(immediate)) this.errors++;
      return;
    }
    this.#enqueue(heavy === null ? immediate.length : heavy.length, async () => {
      if (delayMs > 0) await sleep(delayMs);
      return heavy === null ? immediate : offload!(heavy);
    });
  }

  overlong(): void {
    const reply = lineTooLong(this.#limits.maxLineBytes).toReply();
    if (this.#timing.delayMs === 0 && this.#queued === 0) {
      this.#ready += reply;
      this.replies++;
      this.errors++;
      return;
    }
    this.#enqueue(reply.length, async () => reply);
  }

  /** Resolves once every reply queued so far has been written. */
  drained(): Promise<void> {
    return this.#last;
  }

  #enqueue(heldBytes: number, produce: () => Promise<string>): void {
    this.#queued++;
    this.#heldBytes += heldBytes;
    this.#last = this.#last.then(produce).then(
      (text) => this.#sent(heldBytes, text),
      () => this.#sent(heldBytes, 'error: internal error while answering this line\n'),
    );
  }

  #sent(heldBytes: number, text: string): void {
    this.#queued--;
    this.#heldBytes -= heldBytes;
    this.replies++;
    if (isErrorReply(text)) this.errors++;
    this.#write(text);
  }
}
