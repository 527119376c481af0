// What the load tester sends and how it judges each reply. Expected replies come from the protocol
// module itself, so a request mix (numbers, or later any lines at all, such as a --mix of bad input)
// is checked exactly as the servers answer it.

import { ProtocolError, SHUTTING_DOWN_LINE, parseIntegerText, toPythonHex } from '../../protocol/index.ts';
import { DEFAULT_DIGITS, type DigitRange } from './digit-range.ts';

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
  if (equalRange(bytes, start, end, expected, 0, expected.length)) return 'ok';
  return startsWith(bytes, start, end, ERROR_PREFIX_BYTES) ? 'error' : 'wrong';
}

const GOODBYE = Buffer.from(SHUTTING_DOWN_LINE.slice(0, -1), 'latin1');

/** Whether line bytes[start, end) (LF excluded) is a server's goodbye: it read none of the lines still unanswered. */
export function isGoodbye(bytes: Uint8Array, start: number, end: number): boolean {
  return equalRange(bytes, start, end, GOODBYE, 0, GOODBYE.length);
}

/** Past this length a reply is compared natively (a big number's reply is hundreds of kilobytes). */
const NATIVE_COMPARE_BYTES = 64;

/** Whether bytes[start, end) equals expected[from, to). */
function equalRange(bytes: Uint8Array, start: number, end: number, expected: Uint8Array, from: number, to: number): boolean {
  const length = to - from;
  if (end - start !== length) return false;
  if (length > NATIVE_COMPARE_BYTES) {
    return Buffer.compare(bytes.subarray(start, end), expected.subarray(from, to)) === 0;
  }
  for (let i = 0; i < length; i++) if (bytes[start + i] !== expected[from + i]) return false;
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
  /**
   * Every distinct expected reply (without LF), back to back: line i expects
   * expectedBytes[expectedStart[i], expectedEnd[i]). Lines that share an Expectation share its bytes.
   */
  readonly expectedBytes: Buffer;
  readonly expectedStart: Uint32Array;
  readonly expectedEnd: Uint32Array;
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
    // Each distinct Expectation is laid out once: a big number repeated in the pool is held once.
    const placed = new Map<Expectation, number>();
    const distinct: Expectation[] = [];
    const order = expectations.map((e) => {
      let k = placed.get(e);
      if (k === undefined) {
        k = distinct.length;
        placed.set(e, k);
        distinct.push(e);
      }
      return k;
    });
    const starts = new Float64Array(distinct.length + 1);
    for (let k = 0; k < distinct.length; k++) starts[k + 1] = starts[k]! + Buffer.byteLength(distinct[k]!.reply, 'utf8');
    this.expectedBytes = Buffer.allocUnsafe(starts[distinct.length]!);
    distinct.forEach((e, k) => this.expectedBytes.write(e.reply, starts[k]!, 'utf8'));
    this.expectedStart = Uint32Array.from(order, (k) => starts[k]!);
    this.expectedEnd = Uint32Array.from(order, (k) => starts[k + 1]!);
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

  /** The reply line i expects, without its LF (a view, not a copy). */
  expected(index: number): Buffer {
    return this.expectedBytes.subarray(this.expectedStart[index], this.expectedEnd[index]);
  }

  judge(index: number, bytes: Uint8Array, start: number, end: number): Verdict {
    if (this.expectsError[index] === 1) return startsWith(bytes, start, end, ERROR_PREFIX_BYTES) ? 'ok' : 'wrong';
    if (equalRange(bytes, start, end, this.expectedBytes, this.expectedStart[index]!, this.expectedEnd[index]!)) return 'ok';
    return startsWith(bytes, start, end, ERROR_PREFIX_BYTES) ? 'error' : 'wrong';
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

/** A range whose top is 20 digits is the 64-bit range: its 20-digit numbers go up to this. */
const U64_MAX = 2n ** 64n - 1n;
const U64_DIGITS = 20;

/** Lines drawn for a pool: enough distinct values that no server could profit from repeats. */
const POOL_LINES = 65_536;
/** A pool's lines hold at most about this many bytes (each load thread has its own pool). */
const POOL_BYTES = 32 * 1024 * 1024;
/** The blog's numbers, sent first where the range allows them. */
const BLOG_NUMBERS = ['4312', '1234', '0', '-255'];

/** How many lines a pool of numbers in `range` holds: POOL_LINES, fewer where they would pass POOL_BYTES. */
export function numberPoolSize(range: DigitRange): number {
  const meanLineBytes = (range.low + range.high) / 2 + 2;
  return Math.max(1, Math.min(POOL_LINES, Math.floor(POOL_BYTES / meanLineBytes)));
}

/**
 * Plain decimal numbers, each with a digit count drawn uniformly from the range (a 20-digit number at
 * the top of a range ending at 20 stays within 64 bits), a quarter of them negative, the blog's numbers
 * first where they fit. Deterministic, so every run sends the same numbers; plain, so the blog's Python
 * servers, whose int() accepts them too, are judged on the same requests.
 */
export function randomNumbers(count: number, range: DigitRange = DEFAULT_DIGITS, seed = 4312): string[] {
  const random = seededRandom(seed);
  const fits = (text: string): boolean => {
    const digits = text.replace('-', '').length;
    return digits >= range.low && digits <= range.high;
  };
  const numbers = BLOG_NUMBERS.filter(fits).slice(0, count);
  const span = range.high - range.low + 1;
  while (numbers.length < count) {
    const digits = range.low + Math.floor(random() * span);
    const text = randomDigits(random, digits, range.high === U64_DIGITS && digits === U64_DIGITS);
    numbers.push(random() < 0.25 && text !== '0' ? `-${text}` : text);
  }
  return numbers;
}

/** `digits` random digits, no leading zero (but `0` itself); within64Bits: at most 2^64 - 1. */
function randomDigits(random: () => number, digits: number, within64Bits: boolean): string {
  for (;;) {
    let text = String(digits === 1 ? Math.floor(random() * 10) : 1 + Math.floor(random() * 9));
    // Up to nine digits per draw (2^32 draws over 10^9 values: each value about as likely as another).
    while (text.length < digits) {
      const take = Math.min(9, digits - text.length);
      text += String(Math.floor(random() * 10 ** take)).padStart(take, '0');
    }
    if (!within64Bits || BigInt(text) <= U64_MAX) return text;
  }
}
