// What the load tester sends and how it judges each reply. Expected replies come from the protocol
// module itself, so a request mix (numbers, or later any lines at all, such as a --mix of bad input)
// is checked exactly as the servers answer it.

import { ProtocolError, parseIntegerText, toPythonHex } from '../../protocol/index.ts';

const ERROR_PREFIX = 'error: ';
const ERROR_PREFIX_BYTES = Buffer.from(ERROR_PREFIX, 'latin1');

export type Verdict = 'ok' | 'wrong' | 'error';

export interface Expectation {
  /** The reply line without its LF: `0x10d8`, or for a line that is not a number, the protocol's error line. */
  reply: string;
  /** Whether an `error: ` line is the right answer; any `error: ` line then counts as right. */
  isError: boolean;
}

/** The right reply to one request line (without its LF), as the protocol module computes it. */
export function expectReply(text: string, maxDigits: number): Expectation {
  const value = parseIntegerText(text, maxDigits);
  if (value instanceof ProtocolError) return { reply: value.toReply().slice(0, -1), isError: true };
  return { reply: toPythonHex(value), isError: false };
}

/**
 * Judges reply bytes[start, end) (LF excluded): `ok` when it is the expected reply (for a line that
 * should fail, any `error: ` line), `error` when it is an `error: ` line where none was due, `wrong`
 * for anything else.
 */
export function judgeReply(bytes: Uint8Array, start: number, end: number, expected: Uint8Array, isError: boolean): Verdict {
  if (isError) return startsWith(bytes, start, end, ERROR_PREFIX_BYTES) ? 'ok' : 'wrong';
  if (equalBytes(bytes, start, end, expected)) return 'ok';
  return startsWith(bytes, start, end, ERROR_PREFIX_BYTES) ? 'error' : 'wrong';
}

/** Past this length a reply is compared natively (a big number's reply is hundreds of kilobytes). */
const NATIVE_COMPARE_BYTES = 64;

function equalBytes(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  if (expected.length > NATIVE_COMPARE_BYTES) {
    return Buffer.compare(bytes.subarray(start, end), expected) === 0;
  }
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/**
 * The longest reply line worth waiting for: the hex of a --max-digits number (log 10 / log 16 =
 * 0.8305 hex digits per decimal digit, plus sign and `0x`) or an error line, and never under 64 KiB.
 */
export function maxReplyBytes(maxDigits: number): number {
  return Math.max(64 * 1024, Math.ceil(maxDigits * 0.8305) + 1024);
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

/** What a pool may be given besides its lines. */
export interface PoolExtras {
  /**
   * Expected replies already known, by line (undefined: computed here). A big number costs as much to
   * check as to serve, so --mix computes each once and shares the same Expectation object.
   */
  expectations?: readonly (Expectation | undefined)[];
  /** The kind of each request, for latency by kind (--mix): 0 is a light request. Default: all 0. */
  classOf?: Uint8Array;
}

/**
 * A fixed set of request lines with their expected replies, laid out for a lean send loop: every line
 * (LF included) back to back in one buffer, so consecutive requests go out as one subarray and nothing
 * is built per request.
 */
export class RequestPool {
  readonly size: number;
  readonly texts: readonly string[];
  /** Every request line, LF-terminated, back to back. */
  readonly bytes: Buffer;
  /** Line i is bytes[lineStart[i], lineStart[i + 1]). */
  readonly lineStart: Uint32Array;
  readonly expected: readonly Buffer[];
  readonly expectsError: Uint8Array;
  /** The kind of each request (0: light; k: the k-th --mix entry). */
  readonly classOf: Uint8Array;
  /** How many kinds there are (1 without --mix). */
  readonly classes: number;

  constructor(texts: readonly string[], maxDigits: number, extras: PoolExtras = {}) {
    if (texts.length === 0) throw new RangeError('a request pool needs at least one line');
    for (const text of texts) {
      if (text.includes('\n')) throw new RangeError(`a request line cannot hold a LF: ${JSON.stringify(text.slice(0, 80))}`);
    }
    this.size = texts.length;
    this.texts = texts;
    this.lineStart = new Uint32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) this.lineStart[i + 1] = this.lineStart[i]! + Buffer.byteLength(texts[i]!, 'utf8') + 1;
    this.bytes = Buffer.allocUnsafe(this.lineStart[texts.length]!);
    for (let i = 0; i < texts.length; i++) {
      const end = this.lineStart[i]! + this.bytes.write(texts[i]!, this.lineStart[i]!, 'utf8');
      this.bytes[end] = 0x0a;
    }
    const known = extras.expectations;
    const expectations = texts.map((text, i) => known?.[i] ?? expectReply(text, maxDigits));
    // One buffer per distinct Expectation: a big number repeated in the pool is held once.
    const shared = new Map<Expectation, Buffer>();
    this.expected = expectations.map((e) => {
      let buffer = shared.get(e);
      if (buffer === undefined) {
        buffer = Buffer.from(e.reply, 'utf8');
        shared.set(e, buffer);
      }
      return buffer;
    });
    this.expectsError = Uint8Array.from(expectations, (e) => (e.isError ? 1 : 0));
    if (extras.classOf !== undefined && extras.classOf.length !== texts.length) {
      throw new RangeError(`classOf has ${extras.classOf.length} entries for ${texts.length} lines`);
    }
    this.classOf = extras.classOf ?? new Uint8Array(texts.length);
    this.classes = this.classOf.reduce((most, c) => Math.max(most, c), 0) + 1;
  }

  /** Requests [from, to) of the pool (to <= size) as one buffer, without copying. */
  lines(from: number, to: number): Buffer {
    return this.bytes.subarray(this.lineStart[from], this.lineStart[to]);
  }

  judge(index: number, bytes: Uint8Array, start: number, end: number): Verdict {
    return judgeReply(bytes, start, end, this.expected[index]!, this.expectsError[index] === 1);
  }
}

/** A small fast deterministic PRNG (mulberry32), so every run sends the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_POOL_SIZE = 1024;

/**
 * The default mix: the blog's numbers first, then plain decimal integers of 1 to 20 digits (one in ten
 * past 15 digits, where exact doubles end), a quarter of them negative. Plain, so that the blog's
 * Python servers, whose int() accepts them too, are judged on the same requests.
 */
export function defaultNumbers(count = DEFAULT_POOL_SIZE, seed = 4312): string[] {
  const random = seededRandom(seed);
  const numbers = ['4312', '1234', '0', '-255'].slice(0, count);
  while (numbers.length < count) {
    const digits = random() < 0.1 ? 16 + Math.floor(random() * 5) : 1 + Math.floor(random() * 10);
    let text = String(digits === 1 ? Math.floor(random() * 10) : 1 + Math.floor(random() * 9));
    while (text.length < digits) text += String(Math.floor(random() * 10));
    numbers.push(random() < 0.25 && text !== '0' ? `-${text}` : text);
  }
  return numbers;
}
