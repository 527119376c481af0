// The whole protocol as one object per connection: bytes in, reply text out. No sockets, no timers.

import { LineFramer, type LineSink } from './line-framer.ts';
import { lineTooLong } from './errors.ts';
import { BufferText } from './buffer-text.ts';
import { hexLineOf } from './python-int.ts';
import type { ProtocolLimits } from './limits.ts';

/** The reply to one line, LF included: Python's hex() of it, or `error: ...`. */
export function replyToLine(bytes: Uint8Array, start: number, end: number, maxDigits: number): string {
  const reply = hexLineOf(bytes, start, end, maxDigits);
  return typeof reply === 'string' ? reply : reply.toReply();
}

/** A reply is hex (`0x..`, `-0x..`) or an `error: ...` line: its first character tells, without a scan. */
export function isErrorReply(reply: string): boolean {
  return reply.charCodeAt(0) === 0x65; // 'e'
}

export class Responder implements LineSink {
  readonly limits: ProtocolLimits;
  /** Lines answered so far, errors included. */
  replies = 0;
  /** Of those, the `error: ...` replies. */
  errors = 0;
  /** UTF-8 bytes of the text the last receive() or finish() returned. */
  takenBytes = 0;
  #framer: LineFramer;
  #text = new BufferText();
  #out = '';
  #outBytes = 0;

  constructor(limits: ProtocolLimits) {
    this.limits = limits;
    this.#framer = new LineFramer(limits.maxLineBytes);
  }

  /** Whether a line has begun and not yet ended. */
  get midLine(): boolean {
    return this.#framer.midLine;
  }

  /** Feeds bytes as they arrived; returns the replies to every line they completed, in order. */
  receive(chunk: Uint8Array): string {
    this.#framer.push(chunk, this);
    return this.#take();
  }

  /** The peer will send no more: answers a last line that had no LF. */
  finish(): string {
    this.#framer.finish(this);
    return this.#take();
  }

  line(bytes: Uint8Array, start: number, end: number): void {
    const reply = hexLineOf(bytes, start, end, this.limits.maxDigits, this.#text);
    this.replies++;
    if (typeof reply === 'string') {
      // Hex is ASCII: a character a byte. (Reading the reply's first character to tell would copy it.)
      this.#out += reply;
      this.#outBytes += reply.length;
    } else this.#error(reply.toReply());
  }

  overlong(): void {
    this.replies++;
    this.#error(lineTooLong(this.limits.maxLineBytes).toReply());
  }

  /** An error reply may quote the line, and so hold characters beyond ASCII. */
  #error(reply: string): void {
    this.errors++;
    this.#out += reply;
    this.#outBytes += Buffer.byteLength(reply);
  }

  #take(): string {
    this.#text.forget(); // the text of this read's lines: the next read's bytes may be new
    const out = this.#out;
    this.takenBytes = this.#outBytes;
    this.#out = '';
    this.#outBytes = 0;
    return out;
  }
}
