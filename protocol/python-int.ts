// Reads a line exactly as CPython's int(text) reads a base-10 string, and formats Python's hex().
//
// CPython first rewrites a non-ASCII string to ASCII (each str.isspace() character beyond ASCII to a
// space, each Unicode decimal digit to its ASCII digit), then parses the ASCII: strip ASCII whitespace,
// an optional sign, digits with single underscores between them. ASCII bytes are never rewritten, so
// U+001C..U+001F, which str.isspace() accepts, are not whitespace to int(). We do the same, on bytes.

import { latin1Of, type BufferText } from './buffer-text.ts';
import {
  ProtocolError,
  emptyLine,
  invalidUtf8,
  notAnInteger,
  tooManyDigits,
} from './errors.ts';

/** A parsed number: a plain number while it is exact (15 digits or fewer), a bigint beyond. */
export type Integer = number | bigint;

const MAX_EXACT_DIGITS = 15;
/** Nine digits are below 10^9 < 2^31: a small integer throughout, gathered by the scan itself. */
const MAX_SMALL_DIGITS = 9;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Characters beyond ASCII for which Python's str.isspace() is true. */
const UNICODE_SPACES = new Set([
  0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

const isAsciiSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Parses bytes[start, end) as Python's int() would, limited to maxDigits digits.
 * Returns the value, or the ProtocolError that says why the line is not a number.
 */
export function parseInteger(
  bytes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
): Integer | ProtocolError {
  const problem = scanLine(bytes, start, end, maxDigits);
  if (problem !== null) return problem;
  const { codes, negative, digitsStart, digitsEnd, digits } = scanned;
  if (digits <= MAX_EXACT_DIGITS) {
    const value = digits <= MAX_SMALL_DIGITS ? scanned.small : safeIntegerOfDigits(codes, digitsStart, digitsEnd);
    return negative ? -value : value;
  }
  const big = bigintOfDigits(codes, digitsStart, digitsEnd, scanned.underscores);
  return negative ? -big : big;
}

/** The same, for a string (used by tests and by tools that hold text rather than bytes). */
export function parseIntegerText(text: string, maxDigits: number): Integer | ProtocolError {
  const bytes = Buffer.from(text, 'utf8');
  return parseInteger(bytes, 0, bytes.length, maxDigits);
}

/**
 * Python's hex() of the number on bytes[start, end) and a LF (one string built, not two), or the
 * ProtocolError: what parseInteger then toPythonHex give, without a bigint up to LIMB_PATH_MAX_DIGITS digits.
 */
export function hexLineOf(
  bytes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
  text?: BufferText,
): string | ProtocolError {
  if (end - start > MAX_SMALL_DIGITS) {
    const plain = plainDigitsAt(bytes, start, end, maxDigits, text);
    if (plain !== NOT_PLAIN) return plain;
  }
  const problem = scanLine(bytes, start, end, maxDigits);
  if (problem !== null) return problem;
  const { codes, negative, digitsStart, digitsEnd, digits } = scanned;
  let magnitude: string;
  if (digits <= MAX_SMALL_DIGITS) {
    const small = scanned.small;
    if (small === 0) return '0x0\n';
    magnitude = hexOfSmallInteger(small);
  } else if (digits <= MAX_EXACT_DIGITS) magnitude = hexOfSafeInteger(safeIntegerOfDigits(codes, digitsStart, digitsEnd));
  else if (digits <= LIMB_PATH_MAX_DIGITS) magnitude = hexOfDigitsByLimbs(codes, digitsStart, digitsEnd);
  else magnitude = bigintOfDigits(codes, digitsStart, digitsEnd, scanned.underscores).toString(16);
  if (magnitude === '0') return '0x0\n';
  return negative ? `-0x${magnitude}\n` : `0x${magnitude}\n`;
}

const NOT_PLAIN = '';
/** Up to here 24-bit limbs beat V8's bigint parse for plain digits; past it BigInt() is faster (conversion-bench). */
const PLAIN_LIMB_MAX_DIGITS = 20;
const ONLY_DIGITS = /^[0-9]+$/;
/** `x`, `o`, `b`: after a leading 0, BigInt() reads another base. */
const RADIX_LETTERS = [0x78, 0x6f, 0x62];

/**
 * The reply to the line most clients send, more than MAX_SMALL_DIGITS ASCII digits with at most a
 * `-` before them, or NOT_PLAIN for anything else (spaces, `+`, underscores, Unicode, errors), which
 * the full scan then reads. Such a line is already what BigInt() parses exactly as int() does, and
 * V8's own parse and format beat any conversion in JavaScript at every length (load/perf/conversion-bench.ts).
 */
function plainDigitsAt(bytes: Uint8Array, start: number, end: number, maxDigits: number, text?: BufferText): string {
  const negative = bytes[start] === 0x2d;
  const from = negative ? start + 1 : start;
  const digits = end - from;
  if (digits <= MAX_SMALL_DIGITS || digits > maxDigits) return NOT_PLAIN;
  let magnitude: string;
  if (digits <= PLAIN_LIMB_MAX_DIGITS) {
    for (let i = from; i < end; i++) if (((bytes[i]! - 0x30) >>> 0) > 9) return NOT_PLAIN;
    magnitude = digits <= MAX_EXACT_DIGITS
      ? hexOfSafeInteger(safeIntegerOfDigits(bytes, from, end))
      : hexOfDigitsByLimbs(bytes, from, end);
  } else {
    const big = bigintOfPlainDigits(text === undefined ? latin1Of(bytes, from, end) : text.of(bytes, from, end));
    if (big === null) return NOT_PLAIN;
    magnitude = big.toString(16);
  }
  if (magnitude === '0') return '0x0\n';
  return negative ? `-0x${magnitude}\n` : `0x${magnitude}\n`;
}

/**
 * The value of text if it is decimal digits alone, else null. Up to SPLIT_PARSE_DIGITS, BigInt()'s own
 * parse is the check, as it costs nothing more: text that starts and ends with a digit and has no
 * `0x`/`0o`/`0b` prefix parses only if every character is a digit (BigInt() takes no `_`).
 */
function bigintOfPlainDigits(text: string): bigint | null {
  const first = text.charCodeAt(0);
  if (((first - 0x30) >>> 0) > 9 || ((text.charCodeAt(text.length - 1) - 0x30) >>> 0) > 9) return null;
  if (text.length > SPLIT_PARSE_DIGITS) return ONLY_DIGITS.test(text) ? bigintOfDecimal(text) : null; // parsed in parts
  if (first === 0x30 && text.length > 1 && RADIX_LETTERS.includes(text.charCodeAt(1) | 0x20)) return null;
  try {
    return BigInt(text);
  } catch {
    return null;
  }
}

/** Python's hex(): `0x10d8`, `-0xff`, `0x0`. */
export function toPythonHex(value: Integer): string {
  if (typeof value === 'number') {
    return value < 0 ? `-0x${hexOfSafeInteger(-value)}` : `0x${hexOfSafeInteger(value)}`;
  }
  return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

// ---- the scan: validation only, shared by both entry points ----------------------------------------

/**
 * What the last successful scanLine found, in one object reused so that a scan allocates nothing.
 * codes[digitsStart, digitsEnd) are the ASCII digits and single underscores: the line itself, or
 * its Unicode digits rewritten to ASCII.
 */
const scanned = {
  codes: new Uint8Array(0) as Uint8Array,
  negative: false,
  digitsStart: 0,
  digitsEnd: 0,
  digits: 0,
  underscores: false,
  /** The value, when there are MAX_SMALL_DIGITS digits or fewer. */
  small: 0,
};

function scanLine(bytes: Uint8Array, start: number, end: number, maxDigits: number): ProtocolError | null {
  return scanAscii(bytes, start, end, maxDigits, bytes, start, end);
}

// `codes` holds ASCII to parse; `original` is what the client sent, for the error message and for the
// switch to the Unicode path when a byte beyond ASCII turns up.
function scanAscii(
  codes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
  original: Uint8Array,
  originalStart: number,
  originalEnd: number,
): ProtocolError | null {
  let s = start;
  let e = end;
  while (s < e && isAsciiSpace(codes[s]!)) s++;
  while (e > s && isAsciiSpace(codes[e - 1]!)) e--;
  if (s === e) return emptyLine();

  let i = s;
  const first = codes[i]!;
  const negative = first === 0x2d; // '-'
  if (negative || first === 0x2b) i++; // '+'
  const digitsStart = i;

  let digits = 0;
  let small = 0;
  let afterUnderscore = true; // true at the start too, so a leading '_' is refused
  let underscores = false;
  for (; i < e; i++) {
    const c = codes[i]!;
    if (c >= 0x30 && c <= 0x39) {
      if (++digits <= MAX_SMALL_DIGITS) small = small * 10 + (c - 0x30);
      afterUnderscore = false;
    } else if (c === 0x5f && !afterUnderscore) {
      afterUnderscore = true;
      underscores = true;
    } else {
      if (codes === original && hasNonAscii(codes, i, end)) {
        return scanUnicode(original, originalStart, originalEnd, maxDigits);
      }
      return notAnInteger(lenientUtf8.decode(original.subarray(originalStart, originalEnd)));
    }
  }
  if (digits === 0 || afterUnderscore) {
    return notAnInteger(lenientUtf8.decode(original.subarray(originalStart, originalEnd)));
  }
  if (digits > maxDigits) return tooManyDigits(digits, maxDigits);
  scanned.codes = codes;
  scanned.negative = negative;
  scanned.digitsStart = digitsStart;
  scanned.digitsEnd = e;
  scanned.digits = digits;
  scanned.underscores = underscores;
  scanned.small = small;
  return null;
}

// ---- conversion of scanned digits (underscores skipped) --------------------------------------------
//
// Hex is written from tables of 12-bit groups (three hex digits), not by toString(16): V8 formats a
// small integer by a loop in its runtime (40-60 ns for 5 to 9 digits) and any larger number by its
// slow double path (about 240 ns); two table reads and a concatenation cost 16-20 ns.

const UNDERSCORE = 0x5f;
/** Digits gathered in small-integer arithmetic before they are folded into a double. */
const DIGITS_PER_PART = 8;
const POWERS_OF_TEN = Array.from({ length: DIGITS_PER_PART + 1 }, (_, k) => 10 ** k);

/** The value of up to MAX_EXACT_DIGITS digits, gathered in small-integer parts. */
function safeIntegerOfDigits(codes: Uint8Array, from: number, to: number): number {
  let value = 0;
  let part = 0;
  let partDigits = 0;
  for (let i = from; i < to; i++) {
    const c = codes[i]!;
    if (c === UNDERSCORE) continue;
    part = part * 10 + (c - 0x30);
    if (++partDigits === DIGITS_PER_PART) {
      value = value * POWERS_OF_TEN[DIGITS_PER_PART]! + part;
      part = 0;
      partDigits = 0;
    }
  }
  return value * POWERS_OF_TEN[partDigits]! + part;
}

const LIMB_BITS = 24;
const LIMB = 2 ** LIMB_BITS;
const TRIPLE = 4096;
/** `000`..`fff`: a limb is two of them, joined in one concatenation. */
const HEX_TRIPLES = Array.from({ length: TRIPLE }, (_, n) => n.toString(16).padStart(3, '0'));
/** `0`..`fff`: the leading group, without its zeros. */
const HEX_LEADING = Array.from({ length: TRIPLE }, (_, n) => n.toString(16));

const SMALL_INTEGER_LIMIT = 2 ** 31;

/** Lowercase hex of a non-negative safe integer, without prefix. */
function hexOfSafeInteger(n: number): string {
  if (n < SMALL_INTEGER_LIMIT) return hexOfSmallInteger(n);
  const high = Math.floor(n / LIMB); // below 2^29
  return hexOfSmallInteger(high) + hexOfLimb(n - high * LIMB);
}

/** The same, for an integer below 2^31 (no recursion, so that V8 inlines it). */
function hexOfSmallInteger(n: number): string {
  if (n < TRIPLE) return HEX_LEADING[n]!;
  if (n < LIMB) return HEX_LEADING[n >>> 12]! + HEX_TRIPLES[n & 0xfff]!;
  return HEX_LEADING[n >>> 24]! + hexOfLimb(n & 0xffffff);
}

/** A limb (below 2^24) as exactly six hex digits. */
function hexOfLimb(limb: number): string {
  return HEX_TRIPLES[limb >>> 12]! + HEX_TRIPLES[limb & 0xfff]!;
}

/**
 * Numbers up to this many digits are converted in 24-bit limbs held as doubles: 20-digit (64-bit) and
 * 39-digit (128-bit) numbers cost a few dozen multiplications instead of a bigint parse. Past it the
 * limb product grows with the square of the length and BigInt is faster.
 */
const LIMB_PATH_MAX_DIGITS = 48;
/** Digits taken per step: 10^7 < 2^24, so limb * 10^7 + carry stays an exact double (< 2^53). */
const DIGITS_PER_STEP = 7;
/** Little-endian limbs, as many as LIMB_PATH_MAX_DIGITS digits can need. */
const limbs = new Float64Array(Math.ceil((LIMB_PATH_MAX_DIGITS * Math.log2(10)) / LIMB_BITS));

/** Hex (no prefix, no leading zeros, `0` for zero) of the digits in codes[from, to). */
function hexOfDigitsByLimbs(codes: Uint8Array, from: number, to: number): string {
  let used = 0;
  let step = 0;
  let stepDigits = 0;
  for (let i = from; i < to; i++) {
    const c = codes[i]!;
    if (c === UNDERSCORE) continue;
    step = step * 10 + (c - 0x30);
    if (++stepDigits === DIGITS_PER_STEP) {
      used = multiplyAdd(used, POWERS_OF_TEN[DIGITS_PER_STEP]!, step);
      step = 0;
      stepDigits = 0;
    }
  }
  if (stepDigits > 0) used = multiplyAdd(used, POWERS_OF_TEN[stepDigits]!, step);
  if (used === 0) return '0';
  let hex = hexOfSmallInteger(limbs[used - 1]!);
  for (let k = used - 2; k >= 0; k--) hex += hexOfLimb(limbs[k]!);
  return hex;
}

/** limbs[0, used) = limbs * factor + addend; returns how many limbs are in use now (no top zero limb). */
function multiplyAdd(used: number, factor: number, addend: number): number {
  let carry = addend;
  for (let k = 0; k < used; k++) {
    const product = limbs[k]! * factor + carry;
    carry = Math.floor(product / LIMB);
    limbs[k] = product - carry * LIMB;
  }
  if (carry > 0) limbs[used++] = carry;
  return used;
}

/**
 * Between these lengths a bigint is parsed in halves, faster than V8's parse of the whole (about 20%
 * at 4300 digits); past the upper one V8's own parse is as fast. The split falls on a multiple of
 * SPLIT_STEP digits, so that few powers of ten are ever needed and all of them can be kept.
 */
const SPLIT_PARSE_DIGITS = 600;
const MAX_SPLIT_PARSE_DIGITS = 10_000;
const SPLIT_STEP = 256;
const powersOfTenBig = new Map<number, bigint>();

/** The digits in codes[from, to) as a bigint, underscores removed. */
function bigintOfDigits(codes: Uint8Array, from: number, to: number, underscores: boolean): bigint {
  let text = latin1Of(codes, from, to);
  if (underscores) text = text.replaceAll('_', '');
  return bigintOfDecimal(text);
}

function bigintOfDecimal(text: string): bigint {
  if (text.length <= SPLIT_PARSE_DIGITS || text.length > MAX_SPLIT_PARSE_DIGITS) return BigInt(text);
  const half = text.length >> 1;
  const low = half - (half % SPLIT_STEP);
  const high = text.length - low;
  return bigintOfDecimal(text.slice(0, high)) * powerOfTen(low) + bigintOfDecimal(text.slice(high));
}

function powerOfTen(k: number): bigint {
  let power = powersOfTenBig.get(k);
  if (power === undefined) {
    power = 10n ** BigInt(k);
    powersOfTenBig.set(k, power);
  }
  return power;
}

function hasNonAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII, then the ASCII scan.
function scanUnicode(
  bytes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
): ProtocolError | null {
  let text: string;
  try {
    text = strictUtf8.decode(bytes.subarray(start, end));
  } catch {
    return invalidUtf8();
  }
  const ascii = new Uint8Array(text.length);
  let n = 0;
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) ascii[n++] = cp;
    else if (UNICODE_SPACES.has(cp)) ascii[n++] = 0x20;
    else {
      const digit = decimalDigitValue(cp);
      if (digit < 0) return notAnInteger(text);
      ascii[n++] = 0x30 + digit;
    }
  }
  return scanAscii(ascii, 0, n, maxDigits, bytes, start, end);
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const isDecimalDigit = (cp: number): boolean => DECIMAL_DIGIT.test(String.fromCodePoint(cp));
const digitValues = new Map<number, number>(); // only decimal digits are kept, so it stays small

/**
 * The value of a Unicode decimal digit (category Nd), or -1. Unicode encodes each script's digits as a
 * contiguous run starting at zero, and adjacent runs (the mathematical digits) are whole runs of ten.
 */
export function decimalDigitValue(cp: number): number {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff) return -1;
  const known = digitValues.get(cp);
  if (known !== undefined) return known;
  if (!isDecimalDigit(cp)) return -1;
  let zero = cp;
  while (isDecimalDigit(zero - 1)) zero--;
  const value = (cp - zero) % 10;
  digitValues.set(cp, value);
  return value;
}
