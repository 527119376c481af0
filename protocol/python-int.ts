// Reads a line exactly as CPython's int(text) reads a base-10 string, and formats Python's hex().
//
// CPython first rewrites a non-ASCII string to ASCII (each str.isspace() character beyond ASCII to a
// space, each Unicode decimal digit to its ASCII digit), then parses the ASCII: strip ASCII whitespace,
// an optional sign, digits with single underscores between them. ASCII bytes are never rewritten, so
// U+001C..U+001F, which str.isspace() accepts, are not whitespace to int(). We do the same, on bytes.

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
  return parseAscii(bytes, start, end, maxDigits, bytes, start, end);
}

/** The same, for a string (used by tests and by tools that hold text rather than bytes). */
export function parseIntegerText(text: string, maxDigits: number): Integer | ProtocolError {
  const bytes = Buffer.from(text, 'utf8');
  return parseInteger(bytes, 0, bytes.length, maxDigits);
}

/** Python's hex(): `0x10d8`, `-0xff`, `0x0`. */
export function toPythonHex(value: Integer): string {
  return value < 0 ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

// `codes` holds ASCII to parse; `original` is what the client sent, for the error message and for the
// switch to the Unicode path when a byte beyond ASCII turns up.
function parseAscii(
  codes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
  original: Uint8Array,
  originalStart: number,
  originalEnd: number,
): Integer | ProtocolError {
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
  let value = 0;
  let afterUnderscore = true; // true at the start too, so a leading '_' is refused
  let underscores = false;
  for (; i < e; i++) {
    const c = codes[i]!;
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      if (digits <= MAX_EXACT_DIGITS) value = value * 10 + (c - 0x30);
      afterUnderscore = false;
    } else if (c === 0x5f && !afterUnderscore) {
      afterUnderscore = true;
      underscores = true;
    } else {
      if (codes === original && hasNonAscii(codes, i, end)) {
        return parseUnicode(original, originalStart, originalEnd, maxDigits);
      }
      return notAnInteger(lenientUtf8.decode(original.subarray(originalStart, originalEnd)));
    }
  }
  if (digits === 0 || afterUnderscore) {
    return notAnInteger(lenientUtf8.decode(original.subarray(originalStart, originalEnd)));
  }
  if (digits > maxDigits) return tooManyDigits(digits, maxDigits);
  if (digits <= MAX_EXACT_DIGITS) return negative ? -value : value;

  let text = Buffer.from(codes.buffer, codes.byteOffset + digitsStart, e - digitsStart).toString('latin1');
  if (underscores) text = text.replaceAll('_', '');
  const big = BigInt(text);
  return negative ? -big : big;
}

function hasNonAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII, then the ASCII parse.
function parseUnicode(
  bytes: Uint8Array,
  start: number,
  end: number,
  maxDigits: number,
): Integer | ProtocolError {
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
  return parseAscii(ascii, 0, n, maxDigits, bytes, start, end);
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
